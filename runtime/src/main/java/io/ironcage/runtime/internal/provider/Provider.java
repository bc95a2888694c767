package io.ironcage.runtime.internal.provider;

import java.net.URI;

import io.ironcage.runtime.spi.ProviderAdapter;

/**
 * A provider ready for calls: its adapter, where it lives, its key and its pooled connections.
 *
 * @param adapter the adapter
 * @param baseUrl root URL without {@code /v1}
 * @param apiKey the real key, or {@code null} when none is configured
 * @param client keep-alive connections to {@code baseUrl}, one pool per event loop
 */
public record Provider(ProviderAdapter adapter, URI baseUrl, String apiKey, UpstreamPool client) {

    public String id() {
        return adapter.id();
    }

    /** Path prefix of the base URL without trailing slash, e.g. {@code ""} or {@code /openai}. */
    public String basePath() {
        String path = baseUrl.getRawPath();
        if (path == null || path.equals("/")) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    public boolean ssl() {
        return "https".equalsIgnoreCase(baseUrl.getScheme());
    }

    public int port() {
        return baseUrl.getPort() > 0 ? baseUrl.getPort() : ssl() ? 443 : 80;
    }

    /** A description safe for logs and errors: never the key. */
    @Override
    public String toString() {
        return id() + " (" + baseUrl + ")";
    }
}
