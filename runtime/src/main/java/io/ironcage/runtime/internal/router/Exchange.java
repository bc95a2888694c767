package io.ironcage.runtime.internal.router;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import io.ironcage.runtime.CompletedCall;
import io.ironcage.runtime.ReliabilityEvent;
import io.ironcage.runtime.internal.provider.Provider;
import io.ironcage.runtime.internal.server.ControlServerRefusal;
import io.ironcage.runtime.internal.translate.DialectErrors;
import io.ironcage.runtime.internal.translate.PassThroughStream;
import io.ironcage.runtime.internal.translate.StreamTranslator;
import io.ironcage.runtime.internal.translate.Translation;
import io.ironcage.runtime.internal.translate.UnsupportedParameterException;
import io.ironcage.runtime.internal.usage.UsageReader;
import io.ironcage.runtime.spi.CallOutcome;
import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.PolicyDecision;
import io.ironcage.runtime.spi.RouterRequest;
import io.ironcage.runtime.spi.StreamEvent;
import io.ironcage.runtime.spi.Usage;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One call through the router, from the complete client body to the last byte sent back. Runs on the event loop of
 * the client's connection; never blocks and never holds a whole stream.
 * <p>
 * Answers take one of three paths: piped byte for byte (same dialect, nothing to change), relayed event by event
 * (streams that are translated, have usage hidden or are inspected by policies), or read whole and rewritten
 * (translated JSON answers and translated errors).
 */
final class Exchange {

    private static final Logger LOG = Logger.getLogger(Exchange.class);
    /** Answers are also kept aside (up to this size) to read their usage, or to translate them, when they end. */
    private static final int MAX_ANSWER_COPY = 32 * 1024 * 1024;
    static final String OVERHEAD_HEADER = "x-iron-overhead-ms";
    private static final String REQUEST_ID_HEADER = "x-iron-request-id";
    /** How many upstream attempts the answer took (only when more than one). */
    static final String ATTEMPTS_HEADER = "x-iron-attempts";
    /** The fallback model that answered (only when the requested one did not). */
    static final String MODEL_HEADER = "x-iron-model";

    private final RouterContext ctx;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Route route;
    /** The agent whose IC token the call carries. */
    private final String agent;
    private final String id = CallIds.next();
    private final long startNanos = System.nanoTime();

    private RouterRequest call;
    private Provider provider;
    /** Set when the client's dialect differs from the provider's. */
    private Translation translation;
    private JsonObject clientJson;
    /** OpenAI streams: the router asked for usage on the client's behalf and hides the extra chunk. */
    private boolean hideUsage;
    private Buffer upstreamBody;
    private HttpClientRequest upstream;
    private long sentNanos;
    private long overheadNanos;
    /** The watchdog, or the wait before a retry. */
    private final CallTimer timer;
    private long lastActivityNanos;
    /** The provider is not read while the client catches up (see {@link #waitForClient}). */
    private boolean clientBehind;
    private Usage usage;
    /** The stream answer's way to the client; {@code null} for other answers. */
    private StreamRelay stream;
    private Buffer answerCopy;
    /** The policies that see this JSON answer whole before it is sent. */
    private List<Policy> answerInspectors = List.of();
    /** The provider's headers of an answer held for {@link #answerInspectors} (not translated). */
    private MultiMap answerHeaders;
    /** A JSON answer's latest chunk, held so the last one leaves with the terminating chunk in one write. */
    private Buffer heldChunk;
    /** The answer is rewritten whole at its end (translated JSON or error): nothing is written before. */
    private boolean rewriteWhole;
    private boolean finished;
    private boolean clientGone;
    private boolean answerEnded;
    /** The model the client asked for (its fallbacks are tried after it). */
    private String requestedModel;
    /** The body the current model's attempts send upstream (a copy goes out on each retry). */
    private Buffer sentBody;
    /** Upstream attempts for this call, all models together. */
    private int attempts;
    /** Retries of the current model. */
    private int retries;
    /** How many of the requested model's fallbacks have been used. */
    private int fallbacksUsed;
    /** Identifies the current attempt, so that late events of an abandoned one are ignored. */
    private Object currentAttempt;
    /** The current attempt's verdict for its provider's breaker: fails for 5xx, connect errors, timeouts. */
    private CompletableFuture<Void> attemptOutcome;
    /** {@code retry-after} for an error answer, in seconds, when the router knows one (open breaker). */
    private long retryAfterSeconds = -1;

    Exchange(RouterContext ctx, HttpServerRequest request, Route route, String agent) {
        this.ctx = ctx;
        this.agent = agent;
        this.request = request;
        this.response = request.response();
        this.route = route;
        this.timer = new CallTimer(Vertx.currentContext());
    }

    /** Starts the call once the client's body has been read completely. */
    void start(Buffer body) {
        response.putHeader(REQUEST_ID_HEADER, id);
        response.closeHandler(v -> onClientGone());
        String model;
        boolean stream = false;
        Dialect dialect = route.dialect();
        RequestBody peek = null;
        if (route.isChat()) {
            if (request.method() != HttpMethod.POST) {
                fail(405, null, null, "Method " + request.method() + " is not allowed on " + route.path() + "; use POST.");
                return;
            }
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
        Buffer clientBody = body;
        String chosenModel = model;
        boolean streamed = stream;
        RequestBody peeked = peek;
        keyed(() -> proceed(clientBody, chosenModel, streamed, dialect, peeked));
    }

    /** Runs {@code next} once the chosen provider has its key (server mode may have to fetch it first). */
    private void keyed(Runnable next) {
        CompletableFuture<Provider> keyed = ctx.providers().withKey(provider).toCompletableFuture();
        if (keyed.isDone() && !keyed.isCompletedExceptionally()) {
            provider = keyed.join();
            next.run();
            return;
        }
        // Server mode, key not cached: continue on this call's context once the control server answered.
        Context context = Vertx.currentContext();
        keyed.whenComplete((p, err) -> context.runOnContext(v -> {
            if (finished) {
                return;
            }
            if (err != null) {
                Throwable cause = unwrap(err);
                if (cause instanceof ControlServerRefusal) {
                    fail(500, null, "iron_cage_key_fetch_failed", "Key fetch failed: " + cause.getMessage());
                } else {
                    fail(503, "iron_cage_server_unavailable", "iron_cage_server_unavailable", "No provider key: the "
                            + "Iron Cage control server could not be reached (" + cause + "); retry later.");
                }
                return;
            }
            provider = p;
            next.run();
        }));
    }

    /** The rest of {@link #start}, once the provider has its key. */
    private void proceed(Buffer body, String model, boolean stream, Dialect dialect, RequestBody peek) {
        if (provider.apiKey() == null) {
            fail(500, null, "provider_not_configured", "Provider '" + provider.id()
                    + "' has no API key configured (quarkus.iron.providers." + provider.id() + ".api-key).");
            return;
        }
        if (requestedModel == null) {
            requestedModel = model;
        }
        call = new RouterRequest(id, dialect, route.path(), provider.id(), model, stream, request.headers(), body,
                agent);
        if (!runRequestPolicies()) {
            return;
        }
        if (route.isChat() && !prepareChatBody(peek)) {
            return;
        }
        forward(upstreamBody != null ? upstreamBody : call.body());
    }

    /** Runs {@link Policy#onRequest} in order; false when one refused the call. */
    private boolean runRequestPolicies() {
        for (Policy policy : ctx.policies()) {
            PolicyDecision decision = policy.onRequest(call);
            if (decision instanceof PolicyDecision.Reject reject) {
                fail(reject.status(), reject.type(), reject.type(), reject.message());
                return false;
            }
            if (decision instanceof PolicyDecision.Rewrite rewrite) {
                call = call.withBody(rewrite.body());
            }
        }
        return true;
    }

    /**
     * Decides what goes upstream for a chat call: the body as sent, the body asking for OpenAI stream usage, or the
     * translated body. False when translation refused the request.
     */
    private boolean prepareChatBody(RequestBody peek) {
        Dialect providerDialect = provider.adapter().dialect();
        translation = Translation.between(call.dialect(), providerDialect, ctx.defaultMaxTokens());
        if (translation == null) {
            hideUsage = call.dialect() == Dialect.OPENAI && peek.stream() && !peek.includeUsage();
            if (hideUsage) {
                upstreamBody = StreamOptions.withIncludeUsage(call.body(), peek.hasStreamOptions());
            }
            return true;
        }
        try {
            clientJson = call.body().toJsonObject();
            upstreamBody = translation.request(clientJson).toBuffer();
            return true;
        } catch (UnsupportedParameterException e) {
            fail(400, null, "unsupported_parameter", e.getMessage(), e.param());
        } catch (DecodeException | ClassCastException e) {
            fail(400, null, "invalid_json", "The request body is not a JSON object a translation can read.");
        }
        return false;
    }

    private void forward(Buffer body) {
        sentBody = body;
        attempt();
    }

    /** One upstream attempt, through the breaker of its provider (and model). */
    private void attempt() {
        attempts++;
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        attemptOutcome = outcome;
        ctx.reliability().guarded(provider.id(), call.model(), () -> {
            send(attempts == 1 ? sentBody : sentBody.copy());
            return outcome;
        }).whenComplete((v, e) -> {
            if (unwrap(e) instanceof CircuitBreakerOpenException) {
                onBreakerOpen();
            }
        });
    }

    private void send(Buffer body) {
        String query = request.query();
        String path = translation != null ? translation.providerPath() : route.path();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(provider.baseUrl().getHost())
                .setPort(provider.port())
                .setSsl(provider.ssl())
                .setURI(provider.basePath() + path + (query == null ? "" : "?" + query));
        if (attempts == 1) {
            overheadNanos = System.nanoTime() - startNanos; // the router's own time, not the waits between attempts
        }
        sentNanos = System.nanoTime();
        armWatchdog(ctx.firstByteTimeoutMillis());
        Object attempt = new Object();
        currentAttempt = attempt;
        provider.client().local().request(options).onComplete(ar -> {
            boolean current = attempt == currentAttempt && !finished;
            if (ar.failed()) {
                if (current) {
                    onConnectFailed(ar.cause());
                }
                return;
            }
            if (!current) { // the client left, or this attempt timed out while connecting and another one runs
                ar.result().reset();
                return;
            }
            upstream = ar.result();
            putUpstreamHeaders(upstream.headers());
            upstream.exceptionHandler(e -> {
                if (attempt == currentAttempt) {
                    upstreamFailed(e);
                }
            });
            upstream.response(rar -> {
                if (attempt != currentAttempt) {
                    return;
                } else if (rar.succeeded()) {
                    onResponse(rar.result());
                } else {
                    upstreamFailed(rar.cause());
                }
            });
            upstream.end(body);
        });
    }

    /** The client's headers as they go upstream: hop-by-hop and auth ones dropped, the provider's key set. */
    private void putUpstreamHeaders(MultiMap headers) {
        Headers.forwardUpstream(request.headers(), headers);
        if (translation != null) {
            Headers.dropDialectHeaders(headers, translation.client());
        }
        provider.adapter().authenticate(headers, provider.apiKey());
        headers.set("content-type", "application/json");
    }

    private void onResponse(HttpClientResponse answer) {
        if (finished) {
            return;
        }
        int status = answer.statusCode();
        if (status >= 500) {
            attemptFailed("HTTP " + status);
        } else {
            attemptOutcome.complete(null);
        }
        if (status == 429 || status >= 500) {
            HttpClientRequest failedRequest = upstream;
            Object failedAttempt = currentAttempt;
            if (retryOrFallBack(answer.headers(), "HTTP " + status)) {
                answer.exceptionHandler(ignored -> { });
                // this answer is not wanted any more; a fallback's attempt may already have started
                discard(failedRequest, failedAttempt);
                return;
            }
        }
        long now = System.nanoTime();
        lastActivityNanos = now;
        String contentType = answer.getHeader("content-type");
        boolean sse = contentType != null && contentType.startsWith("text/event-stream");
        boolean ok = answer.statusCode() < 300;
        answerInspectors = ok && !sse ? inspectors(Policy::inspectsAnswer) : List.of();
        rewriteWhole = translation != null && !(ok && sse) || !answerInspectors.isEmpty();
        if (rewriteWhole && translation == null) {
            answerHeaders = answer.headers(); // passed on with the answer once the policies have seen it
        }
        if (sse) {
            List<Policy> inspecting = inspectors(Policy::inspectsStream);
            StreamTranslator translator = translation != null ? translation.stream(clientJson)
                    : hideUsage || !inspecting.isEmpty() ? new PassThroughStream(call.dialect(), hideUsage) : null;
            stream = new StreamRelay(call, ctx.vertx().getOrCreateContext(), response, translator, inspecting,
                    this::readUsage, this::endStreamWithError, () -> waitForClient(answer));
        } else {
            answerCopy = Buffer.buffer();
        }
        answer.exceptionHandler(this::upstreamFailed);
        answer.handler(chunk -> onChunk(answer, chunk));
        answer.endHandler(v -> onAnswerEnd(answer.statusCode()));
        if (!rewriteWhole) {
            response.setStatusCode(answer.statusCode());
            if (answer.statusMessage() != null) {
                response.setStatusMessage(answer.statusMessage());
            }
            Headers.downstream(answer.headers(), response.headers());
            putAttemptHeaders();
            // Always chunked, even when the provider sent a length: the last chunk goes out only after the call has
            // been completed (recorded, policies told), so a client with the whole answer also sees it accounted;
            // it leaves together with the terminating chunk (one write, not two, for the usual one-chunk answer).
            response.setChunked(true);
            overheadNanos += System.nanoTime() - now;
            response.putHeader(OVERHEAD_HEADER, millis(overheadNanos));
        } else {
            overheadNanos += System.nanoTime() - now;
        }
    }

    private void onChunk(HttpClientResponse answer, Buffer chunk) {
        if (finished) {
            return;
        }
        long t = System.nanoTime();
        lastActivityNanos = t;
        if (stream != null) {
            stream.feed(chunk);
        } else {
            if (!rewriteWhole) {
                if (heldChunk != null) {
                    response.write(heldChunk);
                }
                heldChunk = chunk;
            }
            keepCopy(chunk);
        }
        // a stream writes what a read brought once that read is handled, and looks at the client's queue then
        if (stream == null && !finished && response.writeQueueFull()) {
            waitForClient(answer);
        }
        overheadNanos += System.nanoTime() - t;
    }

    /**
     * The client's write queue is full: the provider is not read until it drains (back-pressure, nothing piles up in
     * the router). The provider's silence meanwhile is the router's doing: it does not count as idle time.
     */
    private void waitForClient(HttpClientResponse answer) {
        clientBehind = true;
        answer.pause();
        response.drainHandler(v -> {
            clientBehind = false;
            lastActivityNanos = System.nanoTime();
            answer.resume();
        });
    }

    private void keepCopy(Buffer chunk) {
        if (answerCopy != null) {
            if (answerCopy.length() + chunk.length() <= MAX_ANSWER_COPY) {
                answerCopy.appendBuffer(chunk);
            } else {
                answerCopy = null;
            }
        }
    }

    /** The policies that want this answer's events or body (asked per call: a budget may be set while running). */
    private List<Policy> inspectors(java.util.function.Predicate<Policy> wants) {
        List<Policy> found = null;
        for (Policy policy : ctx.policies()) {
            if (wants.test(policy)) {
                if (found == null) {
                    found = new ArrayList<>(2);
                }
                found.add(policy);
            }
        }
        return found == null ? List.of() : found;
    }

    /** Merges the usage a provider event carries, if any. */
    private void readUsage(StreamEvent event) {
        try {
            Usage u = UsageReader.fromEvent(provider.adapter().dialect(), event);
            if (u != null) {
                usage = usage == null ? u : usage.updatedBy(u);
            }
        } catch (IOException e) {
            LOG.debugf("Call %s: unreadable usage in a stream event", id);
        }
    }

    private void onAnswerEnd(int status) {
        if (finished) {
            return;
        }
        answerEnded = true;
        Buffer last = heldChunk;
        if (stream != null) {
            last = stream.end();
        } else {
            readAnswerUsage(status);
        }
        if (finished) { // a policy cut the stream while it ended
            return;
        }
        if (rewriteWhole) {
            sendRewrittenAnswer(status);
            return;
        }
        complete(status, null);
        if (last != null && last.length() > 0) {
            response.end(last);
        } else {
            response.end();
        }
    }

    private void readAnswerUsage(int status) {
        if (answerCopy == null || answerCopy.length() == 0 || status >= 300) {
            return;
        }
        try {
            usage = UsageReader.fromAnswer(provider.adapter().dialect(), answerCopy);
        } catch (IOException e) {
            LOG.debugf("Call %s: answer is not JSON, no usage read", id);
        }
    }

    /** A translated JSON answer or a provider error, in the client's dialect. */
    private void sendRewrittenAnswer(int status) {
        if (answerCopy == null) {
            fail(502, null, "upstream_error", "Provider '" + provider.id() + "' sent an answer too large to "
                    + (translation != null ? "translate." : "inspect."));
            return;
        }
        Buffer body;
        if (translation == null) {
            body = answerCopy;
        } else if (status >= 300) {
            body = translation.error(status, answerCopy).toBuffer();
        } else {
            try {
                body = translation.answer(new JsonObject(answerCopy)).toBuffer();
            } catch (RuntimeException e) {
                fail(502, null, "upstream_error", "Provider '" + provider.id()
                        + "' sent an answer that could not be translated: " + describe(e));
                return;
            }
        }
        for (Policy policy : answerInspectors) {
            PolicyDecision decision = policy.onAnswer(call, body);
            if (decision instanceof PolicyDecision.Reject reject) {
                fail(reject.status(), reject.type(), reject.type(), reject.message());
                return;
            }
            if (decision instanceof PolicyDecision.Rewrite rewrite) {
                body = rewrite.body();
            }
        }
        if (answerHeaders != null) {
            Headers.downstream(answerHeaders, response.headers());
        }
        response.setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader(OVERHEAD_HEADER, millis(overheadNanos));
        putAttemptHeaders();
        complete(status, status >= 300 ? "provider answered " + status : null);
        response.end(body);
    }

    private void upstreamFailed(Throwable cause) {
        if (finished) {
            return;
        }
        String message = "Provider '" + provider.id() + "' failed: " + describe(cause);
        attemptFailed(message);
        if (noAnswerYet() && retryOrFallBack(null, message)) {
            return;
        }
        if (!response.headWritten()) {
            fail(502, null, "upstream_error", message);
        } else if (stream != null) {
            endStreamWithError("api_error", message);
        } else {
            abort(message);
        }
    }

    private void onTimeout() {
        if (noAnswerYet()) {
            String reason = "no answer within " + ctx.firstByteTimeoutMillis() + " ms";
            attemptFailed(reason);
            discardUpstream();
            // not retried (a slow provider would make the client wait that long again), but a fallback may answer
            if (!finished && !clientGone && fallBack(reason)) {
                return;
            }
        }
        endTimedOut("Provider '" + provider.id() + "' did not answer within "
                + (answerCopy == null && stream == null ? ctx.firstByteTimeoutMillis() : ctx.idleTimeoutMillis())
                + " ms.", "Provider '" + provider.id() + "' sent nothing for " + ctx.idleTimeoutMillis()
                        + " ms; the stream was ended.", "idle timeout");
    }

    private void onClientGone() {
        if (finished) {
            return;
        }
        clientGone = true;
        complete(response.headWritten() ? response.getStatusCode() : 499, "client closed the connection");
    }

    /** Ends a stream that has started with an in-stream error of the client's dialect and its proper end. */
    private void endStreamWithError(String type, String message) {
        if (finished) {
            return;
        }
        Buffer tail = stream.errorTail(type, message);
        complete(response.getStatusCode(), message);
        response.end(tail);
    }

    /** A non-stream answer broke after its headers were sent: all the client can learn is a broken connection. */
    private void abort(String message) {
        complete(response.getStatusCode(), message);
        response.reset();
    }

    private void fail(int status, String type, String code, String message) {
        fail(status, type, code, message, null);
    }

    /**
     * Answers with an error produced by the router itself. As everywhere here, the call is completed (logged, policies
     * told) before the last byte goes out, so that whoever reads the answer also sees the call recorded.
     */
    private void fail(int status, String type, String code, String message, String param) {
        if (finished) {
            return;
        }
        Dialect dialect = call != null ? call.dialect() : route.dialect();
        String errorType = type != null ? type : DialectErrors.typeFor(dialect, status);
        JsonObject body = DialectErrors.body(dialect, errorType, code, param, message);
        if (sentNanos == 0) {
            overheadNanos = System.nanoTime() - startNanos;
        }
        if (!response.headWritten()) {
            response.headers().clear(); // a provider's headers, copied for an answer that will not come
            response.putHeader(REQUEST_ID_HEADER, id);
            putAttemptHeaders();
        }
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .putHeader(OVERHEAD_HEADER, millis(overheadNanos));
        complete(status, message);
        response.end(body.toBuffer());
    }

    private void complete(int status, String error) {
        if (finished) {
            return;
        }
        finished = true;
        timer.cancel();
        if (attemptOutcome != null) {
            attemptOutcome.complete(null); // ended without a verdict (e.g. the client left): not a provider failure
        }
        if (upstream != null && !answerEnded) {
            upstream.reset(); // stop the provider's work nobody will read
        }
        if (call == null) {
            if (LOG.isDebugEnabled()) {
                LOG.debugf("Call %s refused with %d: %s", id, status, error);
            }
            return;
        }
        CallOutcome outcome = new CallOutcome(status, usage == null ? Usage.NONE : usage, usage != null, error,
                clientGone, overheadNanos / 1e6, (System.nanoTime() - startNanos) / 1e6);
        ctx.metrics().overhead(call.agent(), call.provider(), overheadNanos);
        for (Policy policy : ctx.policies()) {
            try {
                policy.onComplete(call, outcome);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Policy %s failed in onComplete for call %s", policy.getClass().getName(), id);
            }
        }
        // after the policies: what follows calls sees them settled (spend included)
        ctx.callLog().add(new CompletedCall(id, call.dialect(), call.provider(), call.model(), call.stream(), outcome,
                call.agent()));
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Call %s to %s model %s ended with %d (%s), usage %s", id, call.provider(), call.model(),
                    status, error == null ? "ok" : error, outcome.usage());
        }
    }

    /**
     * Starts the watchdog: one timer per call that, when it fires, checks how long the provider has been silent and
     * re-arms itself for the rest. Chunks only record the time they arrived ({@code lastActivityNanos}), which is far cheaper
     * than cancelling and re-creating a timer per chunk.
     */
    private void armWatchdog(long millis) {
        lastActivityNanos = System.nanoTime();
        if (millis > 0) {
            timer.schedule(millis, this::onWatchdog);
        }
    }

    private void onWatchdog() {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        long totalLeft = ctx.totalTimeoutMillis() - (now - startNanos) / 1_000_000;
        if (totalLeft <= 0) {
            onTotalTimeout();
            return;
        }
        long limit = noAnswerYet() ? ctx.firstByteTimeoutMillis() : ctx.idleTimeoutMillis();
        long silentMillis = clientBehind ? 0 : (now - lastActivityNanos) / 1_000_000;
        if (silentMillis < limit) {
            timer.schedule(Math.min(limit - silentMillis, totalLeft), this::onWatchdog);
        } else {
            onTimeout();
        }
    }

    private void onTotalTimeout() {
        String message = "The call took longer than " + ctx.totalTimeoutMillis()
                + " ms (quarkus.iron.router.total-timeout) and was ended.";
        endTimedOut(message, message, message);
    }

    /**
     * Ends a call that ran out of time: 504 while nothing was sent, an in-stream timeout error in a stream, else the
     * connection is closed (a JSON answer cannot be taken back).
     */
    private void endTimedOut(String beforeAnswer, String inStream, String otherwise) {
        if (!response.headWritten()) {
            fail(504, null, "upstream_timeout", beforeAnswer);
        } else if (stream != null) {
            endStreamWithError(call.dialect() == Dialect.ANTHROPIC ? "timeout_error" : "upstream_timeout", inStream);
        } else {
            abort(otherwise);
        }
    }

    /** Ends the current attempt's request; what it still reports is not this call's business any more. */
    private void discardUpstream() {
        discard(upstream, currentAttempt);
    }

    /** Ends an attempt's request; whatever that attempt still reports is ignored. */
    private void discard(HttpClientRequest request, Object attempt) {
        if (currentAttempt == attempt) {
            currentAttempt = null;
        }
        if (upstream == request) {
            upstream = null;
        }
        if (request != null) {
            request.reset();
        }
    }

    /** Nothing of an answer has arrived for the current attempt (so nothing reached the client either). */
    private boolean noAnswerYet() {
        return !response.headWritten() && answerCopy == null && stream == null;
    }

    private void attemptFailed(String why) {
        if (attemptOutcome != null) {
            attemptOutcome.completeExceptionally(new AttemptFailure(why));
        }
    }

    private void onConnectFailed(Throwable cause) {
        String message = "Provider '" + provider.id() + "' is unreachable: " + describe(cause);
        attemptFailed(message);
        if (retryOrFallBack(null, message)) {
            return;
        }
        if (cause instanceof ConnectTimeoutException) {
            fail(504, null, "upstream_connect_timeout", message);
        } else {
            fail(502, null, "upstream_unreachable", message);
        }
    }

    /**
     * After a retryable failure, while nothing reached the client: tries the same model again after a wait (the
     * provider's {@code retry-after}, else backoff with jitter), or, when its retries are used up, the next fallback
     * model. False when neither is possible: the caller answers with the failure.
     *
     * @param answerHeaders the failed answer's headers, or {@code null} when there was none
     */
    private boolean retryOrFallBack(MultiMap answerHeaders, String reason) {
        if (finished || clientGone || response.headWritten()) {
            return false;
        }
        long delay = ctx.reliability().retryDelayMillis(retries + 1, answerHeaders);
        long spentNanos = System.nanoTime() - startNanos;
        if (delay >= 0 && spentNanos + delay * 1_000_000 < ctx.reliability().retryBudgetNanos()) {
            retries++;
            ctx.reliability().event(new ReliabilityEvent(ReliabilityEvent.Kind.RETRY, provider.id(), call.model(), id,
                    reason + "; retry " + retries + " in " + delay + " ms"));
            timer.schedule(delay, () -> {
                if (!finished) {
                    attempt();
                }
            });
            return true;
        }
        return fallBack(reason);
    }

    /** Goes on with the next fallback model of the requested one (another provider's, translated as needed). */
    private boolean fallBack(String reason) {
        List<String> models = ctx.reliability().fallbacks(requestedModel);
        if (!route.isChat() || fallbacksUsed >= models.size()) {
            return false;
        }
        String next = models.get(fallbacksUsed++);
        Provider nextProvider = ctx.providers().choose(null, next);
        Buffer body;
        RequestBody peek;
        try {
            body = call.body().toJsonObject().put("model", next).toBuffer();
            peek = RequestBody.read(body);
        } catch (RuntimeException | RequestBody.MalformedException e) {
            return false; // not a JSON body: nothing to put another model in
        }
        if (nextProvider == null) {
            LOG.warnf("Call %s: no provider serves the fallback model '%s'; skipped", id, next);
            return fallBack(reason);
        }
        ctx.reliability().event(new ReliabilityEvent(ReliabilityEvent.Kind.FALLBACK, provider.id(), call.model(), id,
                reason + "; falling back to " + next));
        timer.cancel();
        translation = null;
        clientJson = null;
        hideUsage = false;
        upstreamBody = null;
        retries = 0;
        provider = nextProvider;
        Dialect dialect = call.dialect();
        keyed(() -> proceed(body, next, peek.stream(), dialect, peek));
        return true;
    }

    /** The breaker refused the attempt before it was made: a fallback, else 503 with when to come back. */
    private void onBreakerOpen() {
        attempts--; // nothing was sent
        attemptOutcome = null;
        ctx.reliability().event(new ReliabilityEvent(ReliabilityEvent.Kind.BREAKER_REJECTED, provider.id(),
                call.model(), id, "circuit breaker open"));
        String reason = "the circuit breaker of provider '" + provider.id() + "' is open";
        if (fallBack(reason)) {
            return;
        }
        retryAfterSeconds = ctx.reliability().breakerRetryAfterSeconds();
        fail(503, null, "iron_cage_provider_unavailable", "Provider '" + provider.id() + "' has failed too often: "
                + reason + "; retry after " + retryAfterSeconds + " s.");
    }

    /** What the client learns of the attempts behind its answer. */
    private void putAttemptHeaders() {
        if (attempts > 1) {
            response.putHeader(ATTEMPTS_HEADER, Integer.toString(attempts));
        }
        if (fallbacksUsed > 0 && call != null) {
            response.putHeader(MODEL_HEADER, call.model());
        }
        if (retryAfterSeconds >= 0) {
            response.putHeader("retry-after", Long.toString(retryAfterSeconds));
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** A failed attempt, as its breaker sees it (no stack trace: it is an outcome, not a bug). */
    private static final class AttemptFailure extends Exception {
        AttemptFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Nanoseconds as milliseconds with three decimals, e.g. {@code 0.042}. */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        long fraction = micros % 1000;
        return micros / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
