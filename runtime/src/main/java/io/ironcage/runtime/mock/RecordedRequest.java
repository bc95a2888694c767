package io.ironcage.runtime.mock;

import java.util.Map;

/**
 * A request as the mock provider received it.
 *
 * @param method HTTP method
 * @param path path without query
 * @param query raw query string or {@code null}
 * @param headers headers (lower-case names; the last value of repeated headers)
 * @param body the body as text
 */
public record RecordedRequest(String method, String path, String query, Map<String, String> headers, String body) {

    /** The header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase());
    }
}
