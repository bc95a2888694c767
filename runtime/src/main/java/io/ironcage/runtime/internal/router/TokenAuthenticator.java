package io.ironcage.runtime.internal.router;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.MultiMap;

/**
 * Checks the IC token a caller presents as {@code Authorization: Bearer <token>} or {@code x-api-key: <token>} and
 * tells which agent it stands for: the router's own token, or one of the tokens given to agents the runtime started.
 * Tokens are looked up by their SHA-256 digest, so neither the lookup nor a comparison depends on how much of a
 * presented token is right (no timing oracle), however many agents there are. Without any token nothing is accepted.
 */
public final class TokenAuthenticator {

    private static final String BEARER = "Bearer ";
    /** Digest (as a string of its bytes) → agent id. */
    private final Map<String, String> agents = new ConcurrentHashMap<>();

    /** @param token the router's own token, standing for {@code agent}; may be {@code null} */
    public TokenAuthenticator(String token, String agent) {
        if (token != null && !token.isEmpty()) {
            admit(token, agent);
        }
    }

    /** Accepts {@code token} from now on, as {@code agent}'s. */
    public void admit(String token, String agent) {
        agents.put(digest(token), agent);
    }

    /** Refuses {@code token} from now on. */
    public void revoke(String token) {
        agents.remove(digest(token));
    }

    public boolean accepts(MultiMap headers) {
        return agentOf(headers) != null;
    }

    /** The agent whose token the headers carry, or {@code null} when they carry none that is accepted. */
    public String agentOf(MultiMap headers) {
        if (agents.isEmpty()) {
            return null;
        }
        String apiKey = headers.get("x-api-key");
        String agent = apiKey == null ? null : agents.get(digest(apiKey));
        if (agent != null) {
            return agent;
        }
        String bearer = bearerToken(headers.get("authorization"));
        return bearer == null ? null : agents.get(digest(bearer));
    }

    /** The token of an {@code Authorization: Bearer <token>} header value, or {@code null} for any other value. */
    public static String bearerToken(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim()
                : null;
    }

    /** One digester per thread (event loops): looking one up per call would cost a provider search. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    });

    private static String digest(String token) {
        byte[] d = SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8));
        return new String(d, StandardCharsets.ISO_8859_1);
    }
}
