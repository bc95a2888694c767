package io.ironcage.runtime.internal.live;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.json.JsonObject;

/**
 * One live-feed connection and its bounded queue: at most {@code maxPending} messages sent but not yet written;
 * beyond that messages are dropped for it, never waited for, and the next one it gets says how many.
 */
final class FeedSubscriber {

    private final WebSocketConnection connection;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    FeedSubscriber(WebSocketConnection connection, int maxPending) {
        this.connection = connection;
        this.maxPending = maxPending;
    }

    /** Sends the message unless too many are still unsent. Never blocks. */
    void offer(JsonObject message) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            message.put("dropped", lost);
        }
        connection.sendText(message.encode()).subscribe().with(ok -> pending.decrementAndGet(),
                failure -> pending.decrementAndGet());
    }

    long dropped() {
        return dropped.get();
    }
}
