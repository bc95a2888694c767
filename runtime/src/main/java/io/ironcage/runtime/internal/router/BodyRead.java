package io.ironcage.runtime.internal.router;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads one call's request body, up to the size limit and, when there is one, the time limit; a complete body
 * starts the call's {@link Exchange}.
 */
final class BodyRead extends Deadlines.Deadline<BodyRead> implements Handler<Buffer> {

    private final RouterContext ctx;
    private final HttpServerRequest request;
    private final Route route;
    private final String agent;
    private final long startNanos;
    private final BodyCollector body;
    /** Where the time limit is kept, or {@code null} without one. */
    private final Deadlines<BodyRead> pending;
    /** The call started, or was answered (too large, too slow): whatever else arrives is dropped. */
    private boolean done;

    BodyRead(RouterContext ctx, HttpServerRequest request, Route route, String agent, long startNanos,
            long declaredBytes, Deadlines<BodyRead> pending) {
        this.ctx = ctx;
        this.request = request;
        this.route = route;
        this.agent = agent;
        this.startNanos = startNanos;
        this.body = new BodyCollector(ctx.maxBodyBytes(), declaredBytes);
        this.pending = pending;
    }

    void start() {
        if (pending != null) {
            pending.add(this, startNanos + ctx.clientBodyTimeoutMillis() * 1_000_000);
            // a client that leaves mid-body: what it sent is let go now, not at the deadline
            request.response().closeHandler(v -> finish());
        }
        request.handler(this);
        request.endHandler(v -> end());
        if (RouterServer.expectsContinue(request)) {
            request.response().writeContinue(); // the call passed the checks: the client may send its body now
        }
    }

    @Override
    public void handle(Buffer chunk) {
        if (!done && !body.add(chunk)) {
            finish();
            RouterServer.rejectTooLarge(request, startNanos, route.dialect(), ctx.maxBodyBytes());
        }
    }

    private void end() {
        if (!done) {
            finish();
            new Exchange(ctx, request, route, agent).start(body.body());
        }
    }

    /** The body did not arrive in time: 408, and the connection closes (the rest of the body cannot be told apart). */
    @Override
    void expire() {
        if (done) {
            return;
        }
        done = true;
        request.response().putHeader("connection", "close");
        RouterServer.reject(request, startNanos, route.dialect(), 408, "The request body did not arrive within "
                + ctx.clientBodyTimeoutMillis() + " ms (quarkus.iron.router.client-body-timeout).")
                .onComplete(v -> request.connection().close());
    }

    /** Nothing more is read for the call (it started, or was answered): it leaves the time limit's list. */
    private void finish() {
        done = true;
        if (pending != null) {
            pending.remove(this);
        }
    }
}
