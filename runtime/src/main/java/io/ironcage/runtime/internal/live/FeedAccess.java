package io.ironcage.runtime.internal.live;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.config.IronRuntimeConfig;
import io.ironcage.runtime.internal.router.TokenAuthenticator;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Who may see the live state (the feed and {@code /iron/state}): whoever presents the router's IC token or the
 * configured admin token ({@code quarkus.iron.dashboard.admin-token}, which cannot call the router), as
 * {@code x-api-key}, {@code Authorization: Bearer} or, for browsers (a WebSocket cannot carry headers from a page),
 * the {@code token} query parameter. Compared in constant time, with every accepted token.
 */
final class FeedAccess {

    private FeedAccess() {
    }

    /** The router's IC token and the admin token, when set. */
    static List<String> accepted(LlmRouter router, IronRuntimeConfig.DashboardConfig config) {
        List<String> tokens = new ArrayList<>(2);
        if (router.apiKey() != null) {
            tokens.add(router.apiKey());
        }
        config.adminToken().filter(t -> !t.isBlank()).ifPresent(tokens::add);
        return tokens;
    }

    /**
     * @param accepted the tokens that open the live state
     * @param header the request's header by name
     * @param query the raw query string, or {@code null}
     */
    static boolean allowed(List<String> accepted, Function<String, String> header, String query) {
        String presented = header.apply("x-api-key");
        if (presented == null) {
            presented = TokenAuthenticator.bearerToken(header.apply("authorization"));
        }
        if (presented == null && query != null) {
            List<String> values = new QueryStringDecoder(query, false).parameters().get("token");
            presented = values == null || values.isEmpty() ? null : values.get(0);
        }
        if (presented == null) {
            return false;
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String token : accepted) { // every one compared, whichever matches
            match |= MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given);
        }
        return match;
    }
}
