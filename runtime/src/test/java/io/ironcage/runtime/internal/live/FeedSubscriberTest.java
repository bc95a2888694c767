package io.ironcage.runtime.internal.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.json.JsonObject;

/** A client that does not read: the feed neither waits for it nor grows without bound. */
class FeedSubscriberTest {

    /** A connection whose writes complete only when the test says so. */
    static final class StuckConnection {
        final List<String> sent = new ArrayList<>();
        final List<UniEmitter<? super Void>> unfinished = new ArrayList<>();

        WebSocketConnection proxy() {
            return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { WebSocketConnection.class }, (p, method, args) -> {
                        if (method.getName().equals("sendText") && args[0] instanceof String text) {
                            sent.add(text);
                            return Uni.createFrom().<Void> emitter(unfinished::add);
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        void drain() {
            new ArrayList<>(unfinished).forEach(e -> e.complete(null));
            unfinished.clear();
        }
    }

    @Test
    void messagesBeyondTheCapAreDroppedAndTheLossIsToldLater() {
        StuckConnection connection = new StuckConnection();
        FeedSubscriber subscriber = new FeedSubscriber(connection.proxy(), 3);
        for (int i = 0; i < 10; i++) {
            subscriber.offer(new JsonObject().put("n", i)); // returns at once although nothing is written
        }
        assertEquals(3, connection.sent.size(), "only up to the cap is in flight");
        assertEquals(7, subscriber.dropped());

        connection.drain();
        subscriber.offer(new JsonObject().put("n", 10));
        JsonObject next = new JsonObject(connection.sent.get(3));
        assertEquals(10, next.getInteger("n"));
        assertEquals(7, next.getLong("dropped"), "the client learns what it missed");
        assertEquals(0, subscriber.dropped());
        subscriber.offer(new JsonObject().put("n", 11));
        assertFalse(new JsonObject(connection.sent.get(4)).containsKey("dropped"));
    }
}
