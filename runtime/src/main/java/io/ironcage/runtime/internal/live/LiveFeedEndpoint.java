package io.ironcage.runtime.internal.live;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.inject.Inject;

import io.ironcage.runtime.LlmRouter;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * {@code /iron/ws}: the live feed, for the router's IC token (as {@code Authorization: Bearer}, {@code x-api-key} or,
 * for browsers, which cannot set headers on a WebSocket, the {@code token} query parameter). A wrong token closes
 * the connection with 1008 (policy violation) before anything is sent.
 */
@WebSocket(path = "/iron/ws")
public class LiveFeedEndpoint {

    @Inject
    LiveFeed feed;

    @Inject
    LlmRouter router;

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
        String presented = handshake.header("x-api-key");
        String authorization = handshake.header("authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null && handshake.query() != null) {
            java.util.List<String> values = new QueryStringDecoder(handshake.query(), false).parameters().get("token");
            presented = values == null || values.isEmpty() ? null : values.get(0);
        }
        String token = router.apiKey();
        return presented != null && token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
