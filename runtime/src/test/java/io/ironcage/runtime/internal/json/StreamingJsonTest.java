package io.ironcage.runtime.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/** A parser reads exactly a buffer's bytes, wherever they lie: a whole heap buffer, a slice of one, direct memory. */
class StreamingJsonTest {

    private static final String JSON = "{\"model\":\"gpt-4o-mini\",\"n\":[1,2]}";

    @Test
    void readsAHeapBufferInPlace() throws Exception {
        assertEquals(List.of("model", "gpt-4o-mini", "n", "1", "2"), texts(Buffer.buffer(JSON)));
    }

    @Test
    void readsOnlyItsSliceOfALargerArray() throws Exception {
        Buffer framed = Buffer.buffer("[\"before\"," + JSON + ",\"after\"]");
        int start = framed.toString().indexOf('{');
        Buffer slice = framed.slice(start, start + JSON.length());
        assertEquals(List.of("model", "gpt-4o-mini", "n", "1", "2"), texts(slice));
    }

    @Test
    void readsDirectMemoryFromACopy() throws Exception {
        byte[] bytes = JSON.getBytes(StandardCharsets.UTF_8);
        Buffer direct = Buffer.buffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
        assertEquals(List.of("model", "gpt-4o-mini", "n", "1", "2"), texts(direct));
    }

    private static List<String> texts(Buffer buffer) throws Exception {
        List<String> texts = new ArrayList<>();
        try (JsonParser p = StreamingJson.parser(buffer)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t.isScalarValue()) {
                    texts.add(p.getText());
                }
            }
        }
        return texts;
    }
}
