package io.ironcage.runtime.mock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A deterministic stand-in for OpenAI and Anthropic on loopback: chat completions and messages, JSON and SSE
 * streams with usage, models and embeddings. Dev mode routes to it when no provider key is configured; tests and
 * the benchmark start their own.
 * <p>
 * It checks the provider key ({@code Authorization: Bearer} for OpenAI paths, {@code x-api-key} for Anthropic paths)
 * when keys are set, records what it received ({@link #requests()}, or {@code GET /mock/requests}) and obeys fault
 * headers: {@code x-mock-status} (answer with that error status), {@code x-mock-delay-ms} (wait before the headers),
 * {@code x-mock-chunk-delay-ms} (wait between stream events), {@code x-mock-stall-after} (stop sending after that many
 * events, connection left open), {@code x-mock-cut-after} (close the connection after that many events),
 * {@code x-mock-repeat} (say a text answer that many times, for long outputs). Failures can be limited:
 * {@code x-mock-fail-times: N} with {@code x-mock-fail-key: K} fails only the first N requests carrying key K (then
 * answers normally), {@code x-mock-fail-model: M} fails only requests for model M (and {@code x-mock-delay-model: M}
 * delays only those); an error may carry
 * {@code retry-after} / {@code retry-after-ms} given as {@code x-mock-retry-after} / {@code x-mock-retry-after-ms}.
 * {@code x-mock-answer} sets the text of the answer (instead of echoing the last user text).
 */
public final class MockProvider {

    private static final int MAX_RECORDED = 200;

    private final Vertx vertx;
    private final String openAiKey;
    private final String anthropicKey;
    private final ConcurrentLinkedDeque<RecordedRequest> recorded = new ConcurrentLinkedDeque<>();
    /** The deque's size: {@code ConcurrentLinkedDeque.size()} walks the whole deque, too slow on every request. */
    private final AtomicInteger recordedCount = new AtomicInteger();
    private final AtomicInteger abortedStreams = new AtomicInteger();
    private final Map<String, AtomicInteger> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private HttpServer server;

    /**
     * @param openAiKey key expected on OpenAI paths, or {@code null} to accept any
     * @param anthropicKey key expected on Anthropic paths, or {@code null} to accept any
     */
    public MockProvider(Vertx vertx, String openAiKey, String anthropicKey) {
        this.vertx = vertx;
        this.openAiKey = openAiKey;
        this.anthropicKey = anthropicKey;
    }

    /** Starts listening on {@code 127.0.0.1:port} ({@code 0} = a free port). */
    public Future<MockProvider> start(int port) {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                .requestHandler(req -> req.body().onSuccess(body -> handle(req, body)));
        return server.listen().map(s -> this);
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    public int port() {
        return server.actualPort();
    }

    /** Root URL, as {@code quarkus.iron.providers.<id>.base-url} wants it (no {@code /v1}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** What was received, oldest first (the last {@value #MAX_RECORDED}; {@code /mock/…} calls excluded). */
    public List<RecordedRequest> requests() {
        return new ArrayList<>(recorded);
    }

    public RecordedRequest lastRequest() {
        return recorded.peekLast();
    }

    /** How many streams the client (the router) abandoned before they ended. */
    public int abortedStreams() {
        return abortedStreams.get();
    }

    public void reset() {
        recorded.clear();
        recordedCount.set(0);
        failures.clear();
        abortedStreams.set(0);
    }

    private void handle(HttpServerRequest req, Buffer body) {
        String path = req.path();
        if (path.startsWith("/mock/")) {
            handleControl(req, path);
            return;
        }
        record(req, body);
        boolean anthropic = path.endsWith("/v1/messages");
        String expected = anthropic ? anthropicKey : openAiKey;
        String presented = anthropic ? req.getHeader("x-api-key") : bearer(req.getHeader("authorization"));
        HttpServerResponse res = req.response();
        if (expected != null && !expected.equals(presented)) {
            error(res, anthropic, 401, "authentication_error", "Incorrect API key provided.");
            return;
        }
        if (shouldFail(req, body)) {
            int code = intHeader(req, "x-mock-status", 503);
            copyHeader(req, res, "x-mock-retry-after", "retry-after");
            copyHeader(req, res, "x-mock-retry-after-ms", "retry-after-ms");
            later(req, body, () -> error(res, anthropic, code, anthropic ? "api_error" : "server_error",
                    req.headers().get("x-mock-error-message") != null ? req.getHeader("x-mock-error-message")
                            : "Mock failure " + code));
            return;
        }
        later(req, body, () -> answer(req, path, body));
    }

    /** Whether the fault headers ask for an error on this request. */
    private boolean shouldFail(HttpServerRequest req, Buffer body) {
        String failModel = req.getHeader("x-mock-fail-model");
        if (failModel != null) {
            return failModel.equals(modelOf(body));
        }
        String times = req.getHeader("x-mock-fail-times");
        if (times != null) {
            String key = String.valueOf(req.getHeader("x-mock-fail-key"));
            return failures.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() <= Integer.parseInt(times);
        }
        return req.getHeader("x-mock-status") != null;
    }

    private static String modelOf(Buffer body) {
        try {
            return body.toJsonObject().getString("model");
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static void copyHeader(HttpServerRequest req, HttpServerResponse res, String from, String to) {
        String value = req.getHeader(from);
        if (value != null) {
            res.putHeader(to, value);
        }
    }

    private void answer(HttpServerRequest req, String path, Buffer body) {
        HttpServerResponse res = req.response();
        if (path.endsWith("/v1/models") && req.method().name().equals("GET")) {
            json(res, MockAnswers.models());
            return;
        }
        if (path.endsWith("/v1/embeddings")) {
            json(res, MockAnswers.embeddings(body.toJsonObject()));
            return;
        }
        boolean anthropic = path.endsWith("/v1/messages");
        if (!anthropic && !path.endsWith("/v1/chat/completions")) {
            error(res, false, 404, "invalid_request_error", "Unknown mock path " + path);
            return;
        }
        JsonObject request;
        try {
            request = body.toJsonObject();
        } catch (RuntimeException e) {
            error(res, anthropic, 400, "invalid_request_error", "Mock could not parse the JSON body.");
            return;
        }
        MockAnswers answers = new MockAnswers(request, anthropic, intHeader(req, "x-mock-repeat", 1),
                req.getHeader("x-mock-answer"));
        if (!request.getBoolean("stream", false)) {
            json(res, answers.whole());
            return;
        }
        res.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        res.closeHandler(v -> {
            if (!res.ended()) {
                abortedStreams.incrementAndGet();
            }
        });
        sendEvents(req, res, answers.streamEvents(), 0);
    }

    private void sendEvents(HttpServerRequest req, HttpServerResponse res, List<String> events, int next) {
        if (res.closed()) {
            return;
        }
        if (next == events.size()) {
            res.end();
            return;
        }
        if (intHeader(req, "x-mock-stall-after", -1) == next) {
            return;
        }
        if (intHeader(req, "x-mock-cut-after", -1) == next) {
            req.connection().close();
            return;
        }
        res.write(events.get(next));
        long delay = intHeader(req, "x-mock-chunk-delay-ms", 0);
        if (delay > 0) {
            vertx.setTimer(delay, t -> sendEvents(req, res, events, next + 1));
        } else {
            sendEvents(req, res, events, next + 1);
        }
    }

    private void handleControl(HttpServerRequest req, String path) {
        if (path.equals("/mock/requests") && req.method().name().equals("DELETE")) {
            reset();
            req.response().setStatusCode(204).end();
        } else if (path.equals("/mock/requests")) {
            JsonArray all = new JsonArray();
            recorded.forEach(r -> all.add(new JsonObject().put("method", r.method()).put("path", r.path())
                    .put("query", r.query()).put("headers", new JsonObject(new LinkedHashMap<>(r.headers())))
                    .put("body", r.body())));
            req.response().putHeader("content-type", "application/json").end(all.encode());
        } else if (path.equals("/mock/stats")) {
            json(req.response(), new JsonObject().put("requests", recordedCount.get()).put("abortedStreams",
                    abortedStreams.get()));
        } else {
            req.response().setStatusCode(404).end();
        }
    }

    private void record(HttpServerRequest req, Buffer body) {
        Map<String, String> headers = new LinkedHashMap<>();
        req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
        recorded.addLast(new RecordedRequest(req.method().name(), req.path(), req.query(), headers, body.toString()));
        if (recordedCount.incrementAndGet() > MAX_RECORDED && recorded.pollFirst() != null) {
            recordedCount.decrementAndGet();
        }
    }

    /** After {@code x-mock-delay-ms} (only for the model {@code x-mock-delay-model} when that is set). */
    private void later(HttpServerRequest req, Buffer body, Runnable action) {
        String onlyFor = req.getHeader("x-mock-delay-model");
        long delay = onlyFor == null || onlyFor.equals(modelOf(body)) ? intHeader(req, "x-mock-delay-ms", 0) : 0;
        if (delay > 0) {
            vertx.setTimer(delay, t -> action.run());
        } else {
            action.run();
        }
    }

    private static void json(HttpServerResponse res, JsonObject body) {
        res.putHeader("content-type", "application/json").end(body.toBuffer());
    }

    private static void error(HttpServerResponse res, boolean anthropic, int status, String type, String message) {
        JsonObject body = anthropic
                ? new JsonObject().put("type", "error").put("error", new JsonObject().put("type", type).put("message", message))
                : new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
                        .putNull("param").putNull("code"));
        res.setStatusCode(status);
        json(res, body);
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    }

    private static int intHeader(HttpServerRequest req, String name, int fallback) {
        String value = req.getHeader(name);
        return value == null ? fallback : Integer.parseInt(value.trim());
    }

    /** Runs a mock on the given port (default 0) until killed; for the benchmark and manual trials. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Vertx vertx = Vertx.vertx();
        MockProvider mock = new MockProvider(vertx, null, null);
        mock.start(port).toCompletionStage().toCompletableFuture().join();
        System.out.println("Mock provider listening on " + mock.baseUrl());
    }
}
