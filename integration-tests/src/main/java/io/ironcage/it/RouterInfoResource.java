package io.ironcage.it;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.ironcage.runtime.LlmRouter;

/** The demo app's own page: where its agents should send their calls. */
@Path("/router")
public class RouterInfoResource {

    @Inject
    LlmRouter router;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> info() {
        return Map.of("baseUrl", router.baseUrl(), "providers", router.providerIds(), "provider", router.provider(),
                "calls", router.recentCalls().size());
    }

    /** The budget and the durable ledger behind it. */
    @GET
    @Path("/budget")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> budget() {
        return Map.of("budget", router.budgetStatus(), "ledger", router.ledgerStatus());
    }
}
