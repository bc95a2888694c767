package io.ironcage.runtime.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    private static final byte[] USAGE = StreamingJson.fieldName("usage");
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

    @Test
    void findsATopLevelFieldPastNestedOnesAndStringsThatLookLikeIt() throws Exception {
        String body = "{\"choices\":[{\"message\":{\"usage\":{\"n\":99},\"content\":\"say \\\"usage\\\": {\\\\\"}}],"
                + "\"usage\" :\t{\"n\":1},\"after\":\"h\u00e9\u65e5\"}";
        assertEquals("{\"n\":99}", new io.vertx.core.json.JsonObject(body).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("message").getJsonObject("usage").encode(), "valid JSON, with a nested usage");
        assertEquals(List.of("n", "1"), fieldTexts(body, "usage"));
        assertEquals(List.of("h\u00e9\u65e5"), fieldTexts(body, "after"));
    }

    @Test
    void findsNothingWhereTheFieldIsNotATopLevelOne() throws Exception {
        assertNull(StreamingJson.parserAtField(Buffer.buffer("{\"a\":{\"usage\":{}}}"), USAGE), "nested only");
        assertNull(StreamingJson.parserAtField(Buffer.buffer("{\"id\":\"usage\",\"n\":1}"), USAGE), "a value");
        assertNull(StreamingJson.parserAtField(Buffer.buffer("[{\"usage\":{}}]"), USAGE), "not an object");
        assertNull(StreamingJson.parserAtField(Buffer.buffer("{\"usages\":{}}"), USAGE), "another name");
        assertNull(StreamingJson.parserAtField(Buffer.buffer(""), USAGE), "empty");
        assertEquals(List.of("x"), fieldTexts("  {\"usage\":\"x\"}", "usage"));
    }

    private static List<String> fieldTexts(String body, String name) throws Exception {
        List<String> texts = new ArrayList<>();
        try (JsonParser p = StreamingJson.parserAtField(Buffer.buffer(body), StreamingJson.fieldName(name))) {
            JsonToken first = p.nextToken();
            if (first.isScalarValue()) {
                return List.of(p.getText());
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                texts.add(p.getText());
            }
        }
        return texts;
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
