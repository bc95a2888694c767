package io.ironcage.runtime.internal.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;

/**
 * The Jackson factory for the router's streaming reads of bodies and events (no object tree). Parse errors never
 * carry the source: a message could otherwise quote what an agent sent.
 */
public final class StreamingJson {

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    private StreamingJson() {
    }

    /**
     * A parser over a buffer's bytes where they lie: request bodies and answers are heap buffers, read in place
     * rather than copied (a body is read more than once: routing, usage, the PII scan). Other buffers are read from a
     * copy. ({@link BufferImpl#byteBuf()} is Vert.x's internal, undeprecated way to the bytes.)
     */
    public static JsonParser parser(Buffer buffer) throws IOException {
        if (buffer instanceof BufferImpl impl) {
            ByteBuf bytes = impl.byteBuf();
            if (bytes.hasArray()) {
                return FACTORY.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(),
                        bytes.readableBytes());
            }
        }
        return FACTORY.createParser(buffer.getBytes());
    }
}
