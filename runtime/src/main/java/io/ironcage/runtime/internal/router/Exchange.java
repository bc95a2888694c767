package io.ironcage.runtime.internal.router;

import java.util.UUID;

import org.jboss.logging.Logger;

import io.ironcage.runtime.CompletedCall;
import io.ironcage.runtime.internal.provider.Provider;
import io.ironcage.runtime.internal.sse.SseParser;
import io.ironcage.runtime.internal.usage.UsageReader;
import io.ironcage.runtime.spi.CallOutcome;
import io.ironcage.runtime.spi.ChunkDecision;
import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.PolicyDecision;
import io.ironcage.runtime.spi.RouterRequest;
import io.ironcage.runtime.spi.StreamEvent;
import io.ironcage.runtime.spi.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One call through the router, from the complete client body to the last byte sent back. Runs on the event loop of
 * the client's connection; never blocks and never holds a whole stream.
 */
final class Exchange {

    private static final Logger LOG = Logger.getLogger(Exchange.class);
    /** Non-stream answers are also kept aside (up to this size) to read their usage when they end. */
    private static final int MAX_ANSWER_COPY = 32 * 1024 * 1024;
    private static final String NULL_USAGE = "\"usage\":null";
    static final String OVERHEAD_HEADER = "x-iron-overhead-ms";
    private static final String REQUEST_ID_HEADER = "x-iron-request-id";

    private final RouterContext ctx;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Route route;
    private final String id = UUID.randomUUID().toString();
    private final long startNanos = System.nanoTime();

    private RouterRequest call;
    private Provider provider;
    /** OpenAI streams: the router asked for usage on the client's behalf and hides the extra chunk. */
    private boolean hideUsage;
    private HttpClientRequest upstream;
    private long sentNanos;
    private long overheadNanos;
    private long timer = -1;
    private Usage usage;
    private SseParser parser;
    private Buffer answerCopy;
    private boolean finished;
    private boolean clientGone;
    private boolean answerEnded;

    Exchange(RouterContext ctx, HttpServerRequest request, Route route) {
        this.ctx = ctx;
        this.request = request;
        this.response = request.response();
        this.route = route;
    }

    /** Starts the call once the client's body has been read completely. */
    void start(Buffer body) {
        response.putHeader(REQUEST_ID_HEADER, id);
        response.closeHandler(v -> onClientGone());
        String model;
        boolean stream = false;
        Dialect dialect = route.dialect();
        if (route.isChat()) {
            if (request.method() != HttpMethod.POST) {
                fail(405, null, null, "Method " + request.method() + " is not allowed on " + route.path() + "; use POST.");
                return;
            }
            RequestBody peek;
            try {
                peek = RequestBody.read(body);
            } catch (RequestBody.MalformedException e) {
                fail(400, null, "invalid_json", e.getMessage());
                return;
            }
            if (peek.model() == null || peek.model().isBlank()) {
                fail(400, null, "missing_model", "The request body must name a model (a string field 'model').");
                return;
            }
            model = peek.model();
            stream = peek.stream();
            hideUsage = dialect == Dialect.OPENAI && stream && !peek.includeUsage();
            if (hideUsage) {
                body = StreamOptions.withIncludeUsage(body, peek.hasStreamOptions());
            }
        } else {
            model = RequestBody.modelOrNull(body);
        }
        provider = ctx.providers().choose(route.forcedProvider(), model);
        if (provider == null) {
            fail(400, null, "model_not_found", model == null
                    ? "No provider could be chosen for this request: it names no model and no default provider is set (quarkus.iron.default-provider)."
                    : "No provider serves the model '" + model + "'. Use a known model, a provider path prefix (/openai, /anthropic, …) or set quarkus.iron.default-provider.");
            return;
        }
        if (route.isChat() && provider.adapter().dialect() != dialect) {
            fail(501, null, "translation_not_supported", "The model '" + model + "' is served by '" + provider.id()
                    + "', which speaks the " + provider.adapter().dialect() + " dialect, but this request uses the "
                    + dialect + " dialect. Translation between dialects is not available yet; call "
                    + provider.adapter().dialect().chatPath() + " instead.");
            return;
        }
        if (provider.apiKey() == null) {
            fail(500, null, "provider_not_configured", "Provider '" + provider.id()
                    + "' has no API key configured (quarkus.iron.providers." + provider.id() + ".api-key).");
            return;
        }
        call = new RouterRequest(id, dialect, route.path(), provider.id(), model, stream, request.headers(), body);
        for (Policy policy : ctx.policies()) {
            PolicyDecision decision = policy.onRequest(call);
            if (decision instanceof PolicyDecision.Reject reject) {
                fail(reject.status(), reject.type(), reject.type(), reject.message());
                return;
            }
            if (decision instanceof PolicyDecision.Rewrite rewrite) {
                call = new RouterRequest(id, dialect, route.path(), provider.id(), model, stream, request.headers(),
                        rewrite.body());
            }
        }
        forward();
    }

    private void forward() {
        MultiMap headers = Headers.upstream(request.headers());
        provider.adapter().authenticate(headers, provider.apiKey());
        String query = request.query();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(provider.baseUrl().getHost())
                .setPort(provider.port())
                .setSsl(provider.ssl())
                .setURI(provider.basePath() + route.path() + (query == null ? "" : "?" + query))
                .setHeaders(headers);
        Buffer body = call.body();
        overheadNanos = System.nanoTime() - startNanos;
        sentNanos = System.nanoTime();
        armTimer(ctx.firstByteTimeoutMillis());
        provider.client().request(options).onComplete(ar -> {
            if (ar.failed()) {
                if (!finished) {
                    fail(502, null, "upstream_unreachable", "Provider '" + provider.id() + "' is unreachable: "
                            + describe(ar.cause()));
                }
                return;
            }
            upstream = ar.result();
            if (finished) { // client left or timed out while connecting
                upstream.reset();
                return;
            }
            upstream.exceptionHandler(this::upstreamFailed);
            upstream.response(rar -> {
                if (rar.succeeded()) {
                    onResponse(rar.result());
                } else {
                    upstreamFailed(rar.cause());
                }
            });
            upstream.end(body);
        });
    }

    private void onResponse(HttpClientResponse answer) {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        cancelTimer();
        armTimer(ctx.idleTimeoutMillis());
        response.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null) {
            response.setStatusMessage(answer.statusMessage());
        }
        Headers.downstream(answer.headers(), response.headers());
        String contentType = answer.getHeader("content-type");
        boolean sse = contentType != null && contentType.startsWith("text/event-stream");
        boolean rewriting = sse && (hideUsage || !ctx.inspectingPolicies().isEmpty());
        // Always chunked, even when the provider sent a length: the last chunk goes out only after the call has been
        // completed (recorded, policies told), so a client that has the whole answer also sees the call accounted.
        response.setChunked(true);
        if (sse) {
            parser = new SseParser(rewriting ? this::relayEvent : this::observeEvent);
        } else {
            answerCopy = Buffer.buffer();
        }
        overheadNanos += System.nanoTime() - now;
        response.putHeader(OVERHEAD_HEADER, millis(overheadNanos));
        answer.exceptionHandler(this::upstreamFailed);
        answer.handler(chunk -> onChunk(answer, chunk, rewriting));
        answer.endHandler(v -> onAnswerEnd(answer.statusCode()));
    }

    private void onChunk(HttpClientResponse answer, Buffer chunk, boolean rewriting) {
        if (finished) {
            return;
        }
        cancelTimer();
        armTimer(ctx.idleTimeoutMillis());
        long t = System.nanoTime();
        if (parser != null) {
            if (!rewriting) {
                response.write(chunk);
            }
            parser.feed(chunk);
        } else {
            response.write(chunk);
            if (answerCopy != null) {
                if (answerCopy.length() + chunk.length() <= MAX_ANSWER_COPY) {
                    answerCopy.appendBuffer(chunk);
                } else {
                    answerCopy = null;
                }
            }
        }
        if (response.writeQueueFull()) {
            answer.pause();
            response.drainHandler(v -> answer.resume());
        }
        overheadNanos += System.nanoTime() - t;
    }

    /** Byte-for-byte stream: only look for usage. */
    private void observeEvent(StreamEvent event) {
        readUsage(event);
    }

    /** Rewritten stream: usage hiding and stream-inspecting policies decide what the client gets. */
    private void relayEvent(StreamEvent event) {
        if (finished) {
            return;
        }
        if (hideUsage && event.data().contains(NULL_USAGE)) {
            // Ordinary chunk of a stream the router asked usage for: drop the field textually, no JSON round trip.
            event = new StreamEvent(event.event(), withoutNullUsage(event.data()));
        } else {
            JsonObject json = readUsage(event);
            if (hideUsage && json != null && isUsageOnlyChunk(json)) {
                return; // the usage chunk the client did not ask for
            }
        }
        for (Policy policy : ctx.inspectingPolicies()) {
            ChunkDecision decision = policy.onChunk(call, event);
            if (decision instanceof ChunkDecision.Drop) {
                return;
            }
            if (decision instanceof ChunkDecision.Replace replace) {
                event = replace.event();
            } else if (decision instanceof ChunkDecision.Cut cut) {
                endStreamWithError(cut.type(), cut.message());
                return;
            }
        }
        response.write(SseParser.encode(event));
    }

    private static boolean isUsageOnlyChunk(JsonObject json) {
        return json.getValue("usage") instanceof JsonObject && json.getValue("choices") instanceof JsonArray choices
                && choices.isEmpty();
    }

    private static String withoutNullUsage(String data) {
        String trailing = "," + NULL_USAGE;
        return data.contains(trailing) ? data.replace(trailing, "") : data.replace(NULL_USAGE + ",", "");
    }

    /** Parses events that may carry usage and merges what they carry; returns the parsed JSON or {@code null}. */
    private JsonObject readUsage(StreamEvent event) {
        if (!UsageReader.mayCarryUsage(event.data())) {
            return null;
        }
        try {
            JsonObject json = new JsonObject(event.data());
            Usage u = UsageReader.fromEvent(call.dialect(), event, json);
            if (u != null) {
                usage = usage == null ? u : usage.updatedBy(u);
            }
            return json;
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private void onAnswerEnd(int status) {
        if (finished) {
            return;
        }
        if (parser != null) {
            parser.end();
        } else if (answerCopy != null && answerCopy.length() > 0 && status < 300) {
            try {
                usage = UsageReader.fromAnswer(call.dialect(), new JsonObject(answerCopy));
            } catch (DecodeException | ClassCastException e) {
                LOG.debugf("Call %s: answer is not JSON, no usage read", id);
            }
        }
        answerEnded = true;
        if (!finished) {
            complete(status, null);
            response.end();
        }
    }

    private void upstreamFailed(Throwable cause) {
        if (finished) {
            return;
        }
        String message = "Provider '" + provider.id() + "' failed: " + describe(cause);
        if (!response.headWritten()) {
            fail(502, null, "upstream_error", message);
        } else if (parser != null) {
            endStreamWithError("api_error", message);
        } else {
            abort(message);
        }
    }

    private void onTimeout() {
        timer = -1;
        if (finished) {
            return;
        }
        if (!response.headWritten()) {
            fail(504, null, "upstream_timeout", "Provider '" + provider.id() + "' did not answer within "
                    + ctx.firstByteTimeoutMillis() + " ms.");
        } else if (parser != null) {
            endStreamWithError(call.dialect() == Dialect.ANTHROPIC ? "timeout_error" : "upstream_timeout",
                    "Provider '" + provider.id() + "' sent nothing for " + ctx.idleTimeoutMillis()
                            + " ms; the stream was ended.");
        } else {
            abort("idle timeout");
        }
    }

    private void onClientGone() {
        if (finished) {
            return;
        }
        clientGone = true;
        complete(response.headWritten() ? response.getStatusCode() : 499, "client closed the connection");
    }

    /** Ends a stream that has started with an in-stream error of the client's dialect. */
    private void endStreamWithError(String type, String message) {
        Buffer tail = Buffer.buffer();
        if (!parser.atEventBoundary()) {
            tail.appendString("\n\n");
        }
        tail.appendBuffer(SseParser.encode(ErrorBodies.streamEvent(call.dialect(), type, message)));
        if (call.dialect() == Dialect.OPENAI) {
            tail.appendString("data: [DONE]\n\n");
        }
        complete(response.getStatusCode(), message);
        response.end(tail);
    }

    /** A non-stream answer broke after its headers were sent: all the client can learn is a broken connection. */
    private void abort(String message) {
        complete(response.getStatusCode(), message);
        response.reset();
    }

    /**
     * Answers with an error produced by the router itself. As everywhere here, the call is completed (logged, policies
     * told) before the last byte goes out, so that whoever reads the answer also sees the call recorded.
     */
    private void fail(int status, String type, String code, String message) {
        if (finished) {
            return;
        }
        String errorType = type != null ? type : ErrorBodies.typeFor(route.dialect(), status);
        Buffer body = ErrorBodies.body(route.dialect(), errorType, code, message).toBuffer();
        if (sentNanos == 0) {
            overheadNanos = System.nanoTime() - startNanos;
        }
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .putHeader(OVERHEAD_HEADER, millis(overheadNanos));
        complete(status, message);
        response.end(body);
    }

    private void complete(int status, String error) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimer();
        if (upstream != null && !answerEnded) {
            upstream.reset(); // stop the provider's work nobody will read
        }
        if (call == null) {
            LOG.debugf("Call %s refused with %d: %s", id, status, error);
            return;
        }
        CallOutcome outcome = new CallOutcome(status, usage == null ? Usage.NONE : usage, usage != null, error,
                clientGone, overheadNanos / 1e6, (System.nanoTime() - startNanos) / 1e6);
        ctx.callLog().add(new CompletedCall(id, call.dialect(), call.provider(), call.model(), call.stream(), outcome));
        for (Policy policy : ctx.policies()) {
            try {
                policy.onComplete(call, outcome);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Policy %s failed in onComplete for call %s", policy.getClass().getName(), id);
            }
        }
        LOG.debugf("Call %s to %s model %s ended with %d (%s), usage %s", id, call.provider(), call.model(), status,
                error == null ? "ok" : error, outcome.usage());
    }

    private void armTimer(long millis) {
        if (millis > 0) {
            timer = ctx.vertx().setTimer(millis, t -> onTimeout());
        }
    }

    private void cancelTimer() {
        if (timer >= 0) {
            ctx.vertx().cancelTimer(timer);
            timer = -1;
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
