package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;

/** A body is collected whole, up to its limit, with as little copying as it allows. */
class BodyCollectorTest {

    @Test
    void aBodyInOneChunkIsKeptAsItCame() {
        BodyCollector collector = new BodyCollector(100, 11);
        Buffer chunk = Buffer.buffer("{\"a\":\"bc\"}");
        assertTrue(collector.add(chunk));
        assertSame(chunk, collector.body());
    }

    @Test
    void chunksAreGatheredInOrderIntoABufferOfTheDeclaredLength() {
        BodyCollector collector = new BodyCollector(1_000, 360);
        for (int i = 0; i < 3; i++) {
            assertTrue(collector.add(Buffer.buffer(("part" + i + ";").repeat(20))));
        }
        Buffer body = collector.body();
        assertEquals(("part0;".repeat(20)) + "part1;".repeat(20) + "part2;".repeat(20), body.toString());
        assertEquals(360, body.length());
        assertEquals(360, capacity(body), "sized once, not regrown chunk by chunk");
        BodyCollector declared = new BodyCollector(1_000, 900);
        declared.add(Buffer.buffer("x".repeat(10)));
        declared.add(Buffer.buffer("y".repeat(10)));
        assertEquals(900, capacity(declared.body()), "sized from the declared length");
    }

    @Test
    void aHugeDeclaredLengthReservesAtMostOneMebibyte() {
        BodyCollector collector = new BodyCollector(50 << 20, 40 << 20);
        collector.add(Buffer.buffer("a"));
        collector.add(Buffer.buffer("b"));
        assertEquals(1 << 20, capacity(collector.body()));
    }

    @Test
    void aChunkOverTheLimitIsRefusedAndLeavesTheBodyAsItWas() {
        BodyCollector collector = new BodyCollector(10, -1);
        assertTrue(collector.add(Buffer.buffer("12345")));
        assertTrue(collector.add(Buffer.buffer("67890")));
        assertFalse(collector.add(Buffer.buffer("1")));
        assertEquals("1234567890", collector.body().toString());
    }

    @Test
    void noChunkIsAnEmptyBody() {
        assertEquals(0, new BodyCollector(10, 0).body().length());
    }

    private static int capacity(Buffer buffer) {
        return ((BufferImpl) buffer).byteBuf().capacity();
    }
}
