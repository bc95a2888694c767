package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** A call's timed task: runs on the call's context, after its delay, once; replaced or cancelled, it never runs. */
class CallTimerTest {

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final BlockingQueue<Object> ran = new LinkedBlockingQueue<>();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void runsOnTheCallsContextAfterItsDelay() throws Exception {
        long start = System.nanoTime();
        CallTimer timer = onContext(() -> {
            CallTimer t = new CallTimer(context);
            t.schedule(150, () -> ran.add(Vertx.currentContext()));
            return t;
        });
        assertSame(context, ran.poll(10, TimeUnit.SECONDS), "ran on the call's context");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "not before its delay");
        onContext(() -> {
            timer.cancel(); // nothing pending any more: a no-op
            return null;
        });
        assertNull(ran.poll(300, TimeUnit.MILLISECONDS), "ran once");
    }

    @Test
    void aNewTaskReplacesThePendingOne() throws Exception {
        onContext(() -> {
            CallTimer timer = new CallTimer(context);
            timer.schedule(100, () -> ran.add("first"));
            timer.schedule(200, () -> ran.add("second"));
            return null;
        });
        assertEquals("second", ran.poll(10, TimeUnit.SECONDS));
        assertNull(ran.poll(300, TimeUnit.MILLISECONDS), "the replaced task never ran");
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        onContext(() -> {
            CallTimer timer = new CallTimer(context);
            timer.schedule(50, () -> ran.add("cancelled"));
            timer.cancel();
            return null;
        });
        assertNull(ran.poll(400, TimeUnit.MILLISECONDS));
    }

    @Test
    void aTaskMayScheduleTheNextOneAsTheWatchdogDoes() throws Exception {
        onContext(() -> {
            CallTimer timer = new CallTimer(context);
            timer.schedule(20, () -> {
                ran.add("first");
                timer.schedule(20, () -> ran.add("re-armed"));
            });
            return null;
        });
        assertEquals(List.of("first", "re-armed"),
                List.of(ran.poll(10, TimeUnit.SECONDS), ran.poll(10, TimeUnit.SECONDS)));
    }

    private <T> T onContext(java.util.function.Supplier<T> action) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> done.complete(action.get()));
        return done.get(10, TimeUnit.SECONDS);
    }
}
