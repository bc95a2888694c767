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
        assertEquals("{\"n\":1}", fieldText(body, "usage"));
        assertEquals("\"h\u00e9\u65e5\"", fieldText(body, "after"));
        assertEquals("[1,{\"a\":\"]}\"}]", fieldText("{\"x\":[1,{\"a\":\"]}\"}],\"y\":2}", "x"), "brackets in strings");
        assertEquals("-1.5e3", fieldText("{\"x\":-1.5e3}", "x"), "a scalar closed by its object");
        assertEquals("null", fieldText("{\"x\":null ,\"y\":2}", "x"), "a scalar closed by a blank");
        assertEquals("true", fieldText("{\"x\":true,\"y\":2}", "x"), "a scalar closed by a comma");
    }

    @Test
    void findsNothingWhereTheFieldIsNotATopLevelOne() throws Exception {
        assertNull(fieldText("{\"a\":{\"usage\":{}}}", "usage"), "nested only");
        assertNull(fieldText("{\"id\":\"usage\",\"n\":1}", "usage"), "a value");
        assertNull(fieldText("[{\"usage\":{}}]", "usage"), "not an object");
        assertNull(fieldText("{\"usages\":{}}", "usage"), "another name");
        assertNull(fieldText("", "usage"), "empty");
        assertNull(fieldText("{\"usage\":", "usage"), "cut after the name");
        assertEquals("\"x\"", fieldText("  {\"usage\":\"x\"}", "usage"));
        assertEquals("{\"n\":1", fieldText("{\"usage\":{\"n\":1", "usage"), "cut: the rest, for the reader to fail on");
    }

    private static String fieldText(String body, String name) {
        return StreamingJson.fieldText(Buffer.buffer(body), StreamingJson.fieldName(name));
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
