package io.ironcage.runtime.internal.router;

import java.util.Set;

import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/** Which headers cross the router, in each direction. */
final class Headers {

    /** Hop-by-hop headers (RFC 9110 §7.6.1) plus those the router sets itself. */
    private static final Set<String> NOT_FORWARDED_UP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
            "authorization", "x-api-key", "accept-encoding", "expect");

    private static final Set<String> NOT_FORWARDED_DOWN = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length");

    private Headers() {
    }

    /** The client's headers minus hop-by-hop and auth headers; the adapter adds the real key afterwards. */
    static MultiMap upstream(MultiMap client) {
        MultiMap out = HttpHeaders.headers().addAll(client);
        for (String name : NOT_FORWARDED_UP) {
            out.remove(name); // case-insensitive, no per-header lower-casing
        }
        return out;
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
        MultiMap copy = HttpHeaders.headers().addAll(provider);
        for (String name : NOT_FORWARDED_DOWN) {
            copy.remove(name);
        }
        client.addAll(copy);
    }
}
