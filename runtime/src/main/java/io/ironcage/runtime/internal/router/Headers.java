package io.ironcage.runtime.internal.router;

import java.util.Map;

import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.MultiMap;

/** Which headers cross the router, in each direction. */
final class Headers {

    /** Hop-by-hop headers (RFC 9110 §7.6.1) plus those the router sets itself. */
    private static final String[] NOT_FORWARDED_UP = { "connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
            "authorization", "x-api-key", "accept-encoding", "expect" };

    private static final String[] NOT_FORWARDED_DOWN = { "connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length" };

    private Headers() {
    }

    /**
     * Adds the client's headers minus hop-by-hop and auth headers to the upstream request's own (one copy, where a
     * map of their own would be copied again); the adapter adds the real key afterwards.
     */
    static void forwardUpstream(MultiMap client, MultiMap upstream) {
        copy(client, upstream, NOT_FORWARDED_UP);
    }

    /**
     * Removes the headers that only mean something in the client's dialect when the call is translated for the
     * other one ({@code anthropic-version} and {@code anthropic-beta} must not reach OpenAI, OpenAI's organisation
     * and project headers must not reach Anthropic).
     */
    static void dropDialectHeaders(MultiMap headers, Dialect client) {
        if (client == Dialect.ANTHROPIC) {
            headers.remove("anthropic-version");
            headers.remove("anthropic-beta");
        } else {
            headers.remove("openai-organization");
            headers.remove("openai-project");
        }
    }

    /** Copies the provider's response headers to the client; the body length is left to the writer. */
    static void downstream(MultiMap provider, MultiMap client) {
        copy(provider, client, NOT_FORWARDED_DOWN);
    }

    private static void copy(MultiMap from, MultiMap to, String[] excluded) {
        for (Map.Entry<String, String> header : from) {
            if (!isOneOf(header.getKey(), excluded)) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    /** Case-insensitive membership without lower-casing (names are short; equalsIgnoreCase checks length first). */
    private static boolean isOneOf(String name, String[] names) {
        for (String candidate : names) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
