package io.ironcage.it;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.ironcage.runtime.agent.AgentHandle;
import io.ironcage.runtime.agent.AgentMetrics;
import io.ironcage.runtime.agent.AgentRuntime;
import io.ironcage.runtime.agent.AgentSpec;

/** The demo app's agents: start one with a command, list them with their status, metrics and last output. */
@Path("/agents")
public class AgentsResource {

    @Inject
    AgentRuntime runtime;

    /**
     * What to start: {@code {"command": ["python3", "agent.py"]}}, optionally with a {@code name} kept across
     * restarts, a {@code budgetUsd} of its own and {@code stopWhenExhausted}.
     */
    public record StartRequest(List<String> command, String name, BigDecimal budgetUsd, boolean stopWhenExhausted) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> start(StartRequest body) {
        return describe(runtime.startAgent(new AgentSpec(body.command(), null, Map.of(), body.budgetUsd(),
                body.stopWhenExhausted(), body.name())));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list() {
        return runtime.agents().stream().map(this::describe).toList();
    }

    /** What an agent did, this run or an earlier one (the ledger keeps it). */
    @GET
    @Path("/{id}/metrics")
    @Produces(MediaType.APPLICATION_JSON)
    public AgentMetrics metrics(@PathParam("id") String id) {
        return runtime.metrics(id);
    }

    private Map<String, Object> describe(AgentHandle agent) {
        return Map.of("id", agent.id(), "status", agent.status().name(), "metrics", runtime.metrics(agent.id()),
                "output", agent.output());
    }
}
