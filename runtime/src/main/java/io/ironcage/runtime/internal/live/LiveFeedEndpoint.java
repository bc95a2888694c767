package io.ironcage.runtime.internal.live;

import jakarta.inject.Inject;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.config.IronRuntimeConfig;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * {@code /iron/ws}: the live feed, for the router's IC token or the admin token (see {@link FeedAccess}). A wrong token closes the
 * connection with 1008 (policy violation) before anything is sent.
 */
@WebSocket(path = "/iron/ws")
public class LiveFeedEndpoint {

    @Inject
    LiveFeed feed;

    @Inject
    LlmRouter router;

    @Inject
    IronRuntimeConfig config;

    @OnOpen
    void open(WebSocketConnection connection) {
        if (!authorized(connection.handshakeRequest())) {
            connection.close(new CloseReason(1008, "Invalid IC token")).subscribe().with(v -> {
            }, e -> {
            });
            return;
        }
        feed.join(connection);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        feed.leave(connection);
    }

    private boolean authorized(HandshakeRequest handshake) {
        return FeedAccess.allowed(FeedAccess.accepted(router, config.dashboard()), handshake::header,
                handshake.query());
    }
}
