package io.ironcage.it.server;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ironcage.runtime.mock.MockProvider;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A mock Iron Cage control server on loopback that speaks the reference server's endpoints and JSON (provider key,
 * budget handshake/report/return, analytics events) and records every request it gets (method, path, body, Authorization header), plus
 * a mock provider that only accepts the key the control server hands out. Tests drive it over {@code /mock/*}:
 * {@code GET /mock/requests}, {@code DELETE /mock/requests}, {@code POST /mock/down} (every API call then has its
 * connection reset, as if the server were unreachable) and {@code POST /mock/up}.
 */
public class MockControlServerResource implements QuarkusTestResourceLifecycleManager {

    public static final String IC_TOKEN = "ic_test_token";
    static final String PROVIDER_KEY = "sk-server-openai-SECRET-5555";

    private Vertx vertx;
    private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Long> granted = new HashMap<>();
    private final java.util.Set<String> analyticsIds = new java.util.HashSet<>();
    private volatile boolean down;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        MockProvider provider = new MockProvider(vertx, PROVIDER_KEY, "sk-ant-unused-key");
        provider.start(0).toCompletionStage().toCompletableFuture().join();
        String providerUrl = provider.baseUrl();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            handle(req, body.toString(), providerUrl);
        }));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        String url = "http://127.0.0.1:" + server.actualPort();
        return Map.of("quarkus.iron.server-url", url, "control.url", url, "mock.url", providerUrl);
    }

    private void handle(HttpServerRequest req, String body, String providerUrl) {
        String path = req.path();
        if (path.startsWith("/mock/")) {
            switch (path) {
                case "/mock/requests" -> {
                    if (req.method().name().equals("DELETE")) {
                        requests.clear();
                        req.response().setStatusCode(204).end();
                    } else {
                        req.response().putHeader("content-type", "application/json")
                                .end(new JsonArray(List.copyOf(requests)).encode());
                    }
                }
                case "/mock/down" -> {
                    down = true;
                    req.response().setStatusCode(204).end();
                }
                case "/mock/up" -> {
                    down = false;
                    req.response().setStatusCode(204).end();
                }
                default -> req.response().setStatusCode(404).end();
            }
            return;
        }
        if (down) {
            req.connection().close();
            return;
        }
        requests.add(new JsonObject().put("method", req.method().name()).put("path", path).put("body", body)
                .put("authorization", req.getHeader("authorization")));
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (RuntimeException e) {
            reply(req, 400, new JsonObject().put("error", "Invalid JSON"));
            return;
        }
        switch (path) {
            case "/api/v1/agents/provider-key" -> {
                if (!IC_TOKEN.equals(json.getString("ic_token"))) {
                    reply(req, 401, new JsonObject().put("error", "Invalid IC Token").put("code", "UNAUTHORIZED"));
                    return;
                }
                // base_url with /v1, as a server may be configured: the router must not end up with /v1/v1
                reply(req, 200, new JsonObject().put("provider_key", PROVIDER_KEY).put("provider", "openai")
                        .put("base_url", providerUrl + "/v1"));
            }
            case "/api/v1/budget/handshake" -> {
                if (!IC_TOKEN.equals(json.getString("ic_token"))) {
                    reply(req, 401, new JsonObject().put("error", "Invalid IC Token"));
                    return;
                }
                long grant = json.getLong("requested_budget", 10_000_000L);
                String lease = "lease_" + UUID.randomUUID();
                synchronized (granted) {
                    granted.put(lease, grant);
                }
                reply(req, 200, new JsonObject().put("ip_token", "AES256:aXY=:Y2lwaGVy:dGFn").put("lease_id", lease)
                        .put("budget_granted", grant).put("budget_remaining", 50_000_000L).putNull("expires_at"));
            }
            case "/api/v1/budget/report" -> {
                synchronized (granted) {
                    if (!granted.containsKey(json.getString("lease_id"))) {
                        reply(req, 404, new JsonObject().put("error", "Lease not found"));
                        return;
                    }
                }
                reply(req, 200, new JsonObject().put("success", true).put("budget_remaining", 40_000_000L));
            }
            case "/api/v1/budget/return" -> {
                Long grant;
                synchronized (granted) {
                    grant = granted.remove(json.getString("lease_id"));
                }
                if (grant == null) {
                    reply(req, 404, new JsonObject().put("error", "Lease not found"));
                    return;
                }
                long spent = json.getLong("spent_microdollars", 0L);
                reply(req, 200, new JsonObject().put("success", true).put("returned", Math.max(grant - spent, 0)));
            }
            case "/api/v1/analytics/events" -> analytics(req, json);
            default -> reply(req, 404, new JsonObject().put("error", "Not found"));
        }
    }

    /** As the reference server ingests an event (our four kinds accepted): once per event id. */
    private void analytics(HttpServerRequest req, JsonObject event) {
        if (!IC_TOKEN.equals(event.getString("ic_token"))) {
            reply(req, 401, new JsonObject().put("error", "UNAUTHORIZED").put("message", "Invalid or expired IC token"));
            return;
        }
        String type = event.getString("event_type");
        if (!List.of("llm_request_completed", "llm_request_failed", "router_started", "router_stopped").contains(type)
                || event.getString("event_id") == null) {
            reply(req, 400, new JsonObject().put("error", "VALIDATION_ERROR").put("message", "event_type " + type));
            return;
        }
        String id = event.getString("event_id");
        boolean added;
        synchronized (analyticsIds) {
            added = analyticsIds.add(id);
        }
        reply(req, added ? 202 : 200, new JsonObject().put("event_id", id).put("status", added ? "accepted" : "duplicate"));
    }

    private static void reply(HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
