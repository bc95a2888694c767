package io.ironcage.runtime.internal.server;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import io.ironcage.runtime.internal.server.ControlServerJson.AnalyticsAck;
import io.ironcage.runtime.internal.server.ControlServerJson.HandshakeRequest;
import io.ironcage.runtime.internal.server.ControlServerJson.HandshakeResponse;
import io.ironcage.runtime.internal.server.ControlServerJson.ProviderKeyRequest;
import io.ironcage.runtime.internal.server.ControlServerJson.ProviderKeyResponse;
import io.ironcage.runtime.internal.server.ControlServerJson.ReportRequest;
import io.ironcage.runtime.internal.server.ControlServerJson.ReportResponse;
import io.ironcage.runtime.internal.server.ControlServerJson.ReturnRequest;
import io.ironcage.runtime.internal.server.ControlServerJson.ReturnResponse;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Calls to the Iron Cage control server, guarded by SmallRye Fault Tolerance: a timeout per attempt, retries with
 * exponential backoff (not for refusals), and a circuit breaker per endpoint so that a dead server is not hammered
 * and callers fail fast. Every method returns a {@link Uni}: nothing here blocks a thread.
 * <p>
 * The IC token goes in the JSON body where the reference server reads it ({@code ic_token}); it is also sent as
 * {@code Authorization: Bearer}, as the reference router does on the handshake (the reference server ignores it).
 */
@Singleton
public class ControlServerClient {

    private volatile ControlServerApi api;
    private volatile String token;
    private volatile String bearer;

    /** Points the client at {@code serverUrl}; called by the router at start in server mode. */
    public void configure(String serverUrl, String icToken) {
        String base = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(base))
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .build(ControlServerApi.class);
        this.token = icToken == null ? "" : icToken;
        this.bearer = "Bearer " + this.token;
    }

    /** Feature 014: the agent's provider key. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 50, abortOn = ControlServerRefusal.class)
    @ExponentialBackoff(factor = 2, maxDelay = 2000)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.75, delay = 3000, skipOn = ControlServerRefusal.class)
    public Uni<ProviderKeyResponse> providerKey() {
        return api().providerKey(bearer, new ProviderKeyRequest(token))
                .onFailure().transform(ControlServerClient::classify);
    }

    /** Protocol 005 handshake: leases a budget tranche. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 50, abortOn = ControlServerRefusal.class)
    @ExponentialBackoff(factor = 2, maxDelay = 2000)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.75, delay = 3000, skipOn = ControlServerRefusal.class)
    public Uni<HandshakeResponse> handshake(String provider, long requestedMicros) {
        return api().handshake(bearer, new HandshakeRequest(token, provider, requestedMicros))
                .onFailure().transform(ControlServerClient::classify);
    }

    /** Protocol 005 usage report for one finished call. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 50, abortOn = ControlServerRefusal.class)
    @ExponentialBackoff(factor = 2, maxDelay = 2000)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.75, delay = 3000, skipOn = ControlServerRefusal.class)
    public Uni<ReportResponse> report(ReportRequest report) {
        return api().report(bearer, report).onFailure().transform(ControlServerClient::classify);
    }

    /**
     * One analytics event (its fields as the server reads them; {@code ic_token} is added). Not retried here: the
     * event stays in the outbox and the next sync round sends it again.
     */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 3000, skipOn = ControlServerRefusal.class)
    public Uni<AnalyticsAck> analyticsEvent(JsonObject event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ic_token", token);
        body.putAll(event.getMap());
        return api().analyticsEvent(bearer, body).onFailure().transform(ControlServerClient::classify);
    }

    /** Protocol 005 return of a lease with what was spent on it; the server refunds the rest. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200, abortOn = ControlServerRefusal.class)
    public Uni<ReturnResponse> returnLease(String leaseId, long spentMicros) {
        return api().returnLease(bearer, new ReturnRequest(leaseId, spentMicros))
                .onFailure().transform(ControlServerClient::classify);
    }

    private ControlServerApi api() {
        ControlServerApi a = api;
        if (a == null) {
            throw new IllegalStateException("The control server client is not configured (quarkus.iron.server-url)");
        }
        return a;
    }

    /**
     * A 4xx answer (but 408 and 429) becomes a {@link ControlServerRefusal} carrying the reference's
     * {@code "<status>: <error> (<code>)"} message; everything else stays as is (the server is unavailable).
     */
    static Throwable classify(Throwable t) {
        if (t instanceof WebApplicationException wae && wae.getResponse() != null) {
            Response r = wae.getResponse();
            int status = r.getStatus();
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                return new ControlServerRefusal(status, describe(r));
            }
            return new ControlServerUnavailable("Control server answered " + status);
        }
        return t;
    }

    private static String describe(Response r) {
        try {
            JsonObject body = new JsonObject(r.readEntity(String.class));
            String error = body.getString("error");
            String code = body.getString("code");
            if (error != null) {
                return r.getStatus() + ": " + error + (code != null ? " (" + code + ")" : "");
            }
        } catch (RuntimeException e) {
            // not the reference's error JSON
        }
        return "Server returned status " + r.getStatus();
    }

    /** The server answered with a 5xx, 408 or 429. */
    public static final class ControlServerUnavailable extends RuntimeException {
        ControlServerUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
