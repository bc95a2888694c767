package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/** The list of bodies still arriving: a sweep ends exactly those past their deadline, whatever their order. */
class PendingBodiesTest {

    @Test
    void sweepEndsOnlyExpiredReadsAndRemovedOnesNever() {
        Vertx vertx = Vertx.vertx();
        try {
            RouterContext ctx = new RouterContext(vertx, null, List.of(), new TokenAuthenticator("t", "default"),
                    1024, 100, 1000, 1000, 60_000, 4096, new CallLog(1), null, null);
            PendingBodies pending = new PendingBodies();
            // started at 0, 50, 10, 200 ms: deadlines 100, 150, 110, 300 ms
            BodyRead a = read(ctx, pending, 0);
            BodyRead b = read(ctx, pending, 50);
            BodyRead c = read(ctx, pending, 10);
            BodyRead d = read(ctx, pending, 200);
            Map<BodyRead, String> names = Map.of(a, "a", b, "b", c, "c", d, "d");
            List<String> expired = new ArrayList<>();
            Consumer<BodyRead> expire = read -> expired.add(names.get(read));
            pending.add(a);
            pending.add(b);
            pending.add(c);
            pending.add(d);
            pending.remove(c); // its body arrived

            pending.sweep(millis(99), expire);
            assertEquals(List.of(), expired);
            pending.sweep(millis(120), expire);
            assertEquals(List.of("a"), expired);
            pending.remove(a); // already gone: nothing changes
            pending.sweep(millis(299), expire);
            assertEquals(List.of("a", "b"), expired);
            pending.sweep(millis(10_000), expire);
            assertEquals(List.of("a", "b", "d"), expired);
            pending.sweep(millis(20_000), expire);
            assertEquals(List.of("a", "b", "d"), expired, "each at most once");
        } finally {
            vertx.close();
        }
    }

    private static long millis(long ms) {
        return ms * 1_000_000;
    }

    /** A read that is never started (no request behind it): the sweep only looks at its deadline. */
    private static BodyRead read(RouterContext ctx, PendingBodies pending, long startMillis) {
        return new BodyRead(ctx, null, null, null, millis(startMillis), -1, pending);
    }
}
