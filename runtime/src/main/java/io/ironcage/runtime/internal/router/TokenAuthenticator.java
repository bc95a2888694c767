package io.ironcage.runtime.internal.router;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.vertx.core.MultiMap;

/**
 * Checks the IC token an agent presents as {@code Authorization: Bearer <token>} or {@code x-api-key: <token>},
 * in constant time. Without a configured token nothing is accepted.
 */
public final class TokenAuthenticator {

    private static final String BEARER = "Bearer ";
    private final byte[] token;

    public TokenAuthenticator(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean accepts(MultiMap headers) {
        if (token == null) {
            return false;
        }
        String apiKey = headers.get("x-api-key");
        if (apiKey != null && matches(apiKey)) {
            return true;
        }
        String authorization = headers.get("authorization");
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && matches(authorization.substring(BEARER.length()).trim());
    }

    private boolean matches(String presented) {
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }
}
