package io.ironcage.runtime.internal.router;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;

/**
 * A call's one pending timed task (its watchdog, or the wait before a retry), scheduled straight on the event loop of
 * the call's context and run on that context like the call's other handlers. Not a Vert.x timer: those keep a
 * registry (a concurrent map entry and a close hook per timer) that cost about 0.5 µs per call when profiled, for
 * nothing a call needs; the event loop's own timer queue is all there is underneath either way. Event-loop thread
 * only, like the call. ({@link ContextInternal} is Vert.x's internal API, which Quarkus uses too; Vert.x 5 moves it to
 * {@code io.vertx.core.internal}.)
 */
final class CallTimer {

    private final ContextInternal context;
    private ScheduledFuture<?> pending;

    /** @param context the call's context (an event-loop context, as every HTTP request's is) */
    CallTimer(Context context) {
        this.context = (ContextInternal) context;
    }

    /**
     * Runs {@code task} after {@code millis}, instead of whatever was pending. A cancelled task never runs (cancelled
     * on the event loop that would run it), so the one that runs is always the pending one.
     */
    void schedule(long millis, Runnable task) {
        cancel();
        pending = context.nettyEventLoop().schedule(() -> context.emit(v -> {
            pending = null; // before the task, which may schedule the next one
            task.run();
        }), Math.max(1, millis), TimeUnit.MILLISECONDS);
    }

    /** Drops the pending task, if any. */
    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
