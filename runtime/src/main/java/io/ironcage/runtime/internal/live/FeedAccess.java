package io.ironcage.runtime.internal.live;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Function;

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Who may see the live state (the feed and {@code /iron/state}): whoever presents the router's IC token, as
 * {@code x-api-key}, {@code Authorization: Bearer} or, for browsers (a WebSocket cannot carry headers from a page),
 * the {@code token} query parameter. Compared in constant time.
 */
final class FeedAccess {

    private FeedAccess() {
    }

    /**
     * @param header the request's header by name
     * @param query the raw query string, or {@code null}
     */
    static boolean allowed(String token, Function<String, String> header, String query) {
        String presented = header.apply("x-api-key");
        String authorization = header.apply("authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null && query != null) {
            List<String> values = new QueryStringDecoder(query, false).parameters().get("token");
            presented = values == null || values.isEmpty() ? null : values.get(0);
        }
        return presented != null && token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
