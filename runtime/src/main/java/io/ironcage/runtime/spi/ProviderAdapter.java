package io.ironcage.runtime.spi;

import io.vertx.core.MultiMap;

/**
 * A provider the router can forward calls to.
 * <p>
 * Implementations are discovered at build time from {@code META-INF/services/io.ironcage.runtime.spi.ProviderAdapter}
 * (or declared as CDI beans) and may inject configuration. The key and base URL of an adapter come from
 * {@code quarkus.iron.providers.<id>.api-key} and {@code .base-url}; {@link #defaultBaseUrl()} is used when no base
 * URL is configured.
 */
public interface ProviderAdapter {

    /** Stable id, used in config keys ({@code quarkus.iron.providers.<id>}) and as the path prefix {@code /<id>/v1/…}. */
    String id();

    /** The dialect this provider speaks natively. */
    Dialect dialect();

    /** Root URL of the provider without {@code /v1}, e.g. {@code https://api.openai.com}. */
    String defaultBaseUrl();

    /** Whether calls for {@code model} belong to this provider. */
    boolean claimsModel(String model);

    /** Whether a key of this format belongs to this provider (used when nothing else decides). */
    default boolean claimsKey(String apiKey) {
        return false;
    }

    /**
     * Sets the upstream authentication headers. The client's own auth headers have already been removed.
     * The default authenticates as the dialect expects: {@code Authorization: Bearer} for OpenAI,
     * {@code x-api-key} plus {@code anthropic-version} (the client's, or {@code 2023-06-01}) for Anthropic.
     */
    default void authenticate(MultiMap upstreamHeaders, String apiKey) {
        if (dialect() == Dialect.ANTHROPIC) {
            upstreamHeaders.set("x-api-key", apiKey);
            if (!upstreamHeaders.contains("anthropic-version")) {
                upstreamHeaders.set("anthropic-version", "2023-06-01");
            }
        } else {
            upstreamHeaders.set("Authorization", "Bearer " + apiKey);
        }
    }
}
