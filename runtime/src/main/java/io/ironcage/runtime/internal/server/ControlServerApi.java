package io.ironcage.runtime.internal.server;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.ironcage.runtime.internal.server.ControlServerJson.AnalyticsAck;
import io.ironcage.runtime.internal.server.ControlServerJson.HandshakeRequest;
import io.ironcage.runtime.internal.server.ControlServerJson.HandshakeResponse;
import io.ironcage.runtime.internal.server.ControlServerJson.ProviderKeyRequest;
import io.ironcage.runtime.internal.server.ControlServerJson.ProviderKeyResponse;
import io.ironcage.runtime.internal.server.ControlServerJson.ReportRequest;
import io.ironcage.runtime.internal.server.ControlServerJson.ReportResponse;
import io.ironcage.runtime.internal.server.ControlServerJson.ReturnRequest;
import io.ironcage.runtime.internal.server.ControlServerJson.ReturnResponse;
import io.smallrye.mutiny.Uni;

/**
 * The Iron Cage control server endpoints the router calls, as the reference implementation speaks them (Feature 014
 * provider key, Protocol 005 budget, analytics ingestion). Built programmatically with the configured base URL; all calls are non-blocking.
 */
@Path("/api/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface ControlServerApi {

    @POST
    @Path("/agents/provider-key")
    Uni<ProviderKeyResponse> providerKey(@HeaderParam("Authorization") String bearer, ProviderKeyRequest body);

    @POST
    @Path("/budget/handshake")
    Uni<HandshakeResponse> handshake(@HeaderParam("Authorization") String bearer, HandshakeRequest body);

    @POST
    @Path("/budget/report")
    Uni<ReportResponse> report(@HeaderParam("Authorization") String bearer, ReportRequest body);

    @POST
    @Path("/analytics/events")
    Uni<AnalyticsAck> analyticsEvent(@HeaderParam("Authorization") String bearer, Map<String, Object> event);

    @POST
    @Path("/budget/return")
    Uni<ReturnResponse> returnLease(@HeaderParam("Authorization") String bearer, ReturnRequest body);
}
