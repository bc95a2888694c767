package io.ironcage.runtime.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * The Jackson factory for the router's streaming reads of bodies and events (no object tree). Parse errors never
 * carry the source: a message could otherwise quote what an agent sent.
 */
public final class StreamingJson {

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    private StreamingJson() {
    }
}
