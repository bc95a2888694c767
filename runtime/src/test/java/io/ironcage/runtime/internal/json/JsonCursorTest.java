package io.ironcage.runtime.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class JsonCursorTest {

    @Test
    void readsTheFieldsAskedForAndSkipsTheRest() throws Exception {
        String json = " {\"id\" : \"x\", \"skip\":{\"a\":[1,2,{\"b\":[]}],\"c\":\"}]\"},\n\t\"n\":42 ,\"s\":\"v\"}";
        JsonCursor c = new JsonCursor(json);
        assertTrue(c.enterObject());
        List<String> read = new ArrayList<>();
        while (c.nextField()) {
            if (c.fieldIs("n")) {
                read.add("n=" + c.longValue(-1));
            } else if (c.fieldIs("s") || c.fieldIs("id")) {
                read.add(c.stringValue());
            } else {
                c.skipValue();
            }
        }
        assertEquals(List.of("x", "n=42", "v"), read);
    }

    @Test
    void decodesEscapesInValuesAndNamesAsAJsonParserDoes() throws Exception {
        String json = "{\"us\\u0061ge\":\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f \\u00e9\\ud83d\\ude00 h\u00e9\u65e5\"}";
        JsonCursor c = new JsonCursor(json);
        assertTrue(c.enterObject());
        assertTrue(c.nextField());
        assertTrue(c.fieldIs("usage"), "an escaped name is compared decoded");
        assertEquals(new JsonObject(json).getString("usage"), c.stringValue());
        assertFalse(c.nextField());
    }

    @Test
    void numbersAreReadAsNumberLongValueHasThem() throws Exception {
        assertEquals(List.of(7L, -12L, 7L, 1000L, 0L, 1234567890123456789L, -1L, -1L, -1L, -1L),
                longs("[7,-12,7.9,1e3,0,1234567890123456789,\"12\",null,true,{\"n\":1}]"));
        JsonCursor c = new JsonCursor("[3000000000, 5]");
        c.enterArray();
        c.nextElement();
        assertEquals(-1, c.intValue(-1), "not an int");
        c.nextElement();
        assertEquals(5, c.intValue(-1));
        assertFalse(c.nextElement());
    }

    @Test
    void aValueThatIsNotWhatWasAskedForIsSkippedWhole() throws Exception {
        JsonCursor c = new JsonCursor("{\"a\":[1,{\"b\":2}],\"o\":\"str\",\"n\":null,\"e\":[ ],\"f\":[0],\"z\":9}");
        assertTrue(c.enterObject());
        c.nextField();
        assertFalse(c.enterObject(), "an array is not an object");
        c.nextField();
        assertFalse(c.nextIsObject());
        assertFalse(c.enterArray(), "a string is not an array");
        c.nextField();
        assertTrue(c.isNull());
        c.nextField();
        assertTrue(c.nextIsEmptyArray());
        assertTrue(c.enterArray());
        assertFalse(c.nextElement());
        c.nextField();
        assertFalse(c.nextIsEmptyArray());
        assertNull(c.stringValue(), "an array is not a string");
        c.nextField();
        assertTrue(c.fieldIs("z"));
        assertFalse(c.isNull());
        assertEquals(9, c.longValue(0));
        assertFalse(c.nextField());
    }

    @Test
    void malformedTextFailsWhereItIsWalkedAndTheMessageNeverQuotesIt() {
        for (String bad : List.of("{\"secret-sk-1\":\"unterminated", "{\"secret-sk-1\" 1}", "{\"a\":1 \"b\":2}",
                "{\"a\":1,}", "[1,]", "{,\"a\":1}", "{\"a\":nul}", "{\"a\":tru}", "{\"a\":x}", "{\"a\":\"raw\nline\"}",
                "{\"a\":", "{\"a\":[1,2", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12zz\"}",
                "{secret-sk-1:1}",
                "")) {
            JsonCursor.MalformedJson e = assertThrows(JsonCursor.MalformedJson.class, () -> walk(bad), bad);
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
        }
    }

    @Test
    void nestingIsBoundedSoNoTextExhaustsTheStack() throws Exception {
        String deepest = "[".repeat(JsonCursor.MAX_DEPTH) + "\"x\"" + "]".repeat(JsonCursor.MAX_DEPTH);
        assertEquals(List.of("x"), walk(deepest));
        JsonCursor c = new JsonCursor("[" + deepest + "]");
        assertThrows(JsonCursor.MalformedJson.class, c::skipValue);
        assertThrows(JsonCursor.MalformedJson.class, () -> walk("{\"a\":" + "[{\"b\":".repeat(100_000)));
    }

    @Test
    void atEndSaysWhetherAnythingFollowsTheValuesWalked() throws Exception {
        JsonCursor c = new JsonCursor(" {\"a\":1} \n");
        c.skipValue();
        assertTrue(c.atEnd());
        c = new JsonCursor("{\"a\":1} {}");
        c.skipValue();
        assertFalse(c.atEnd());
    }

    @Test
    void walksWhatJacksonAccepts() throws Exception {
        String json = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" a\\\"n\\u00e9\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null,\"x\":[true,false,-0.5E+2,{}],\"y\":{}}";
        String content = new JsonObject(json).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                .getString("content");
        assertEquals(List.of("chatcmpl-mock", "chat.completion.chunk", content), walk(json));
    }

    /** Every string value of the text, in order, with everything else walked. */
    private static List<String> walk(String json) throws JsonCursor.MalformedJson {
        List<String> strings = new ArrayList<>();
        walkValue(new JsonCursor(json), strings);
        return strings;
    }

    private static void walkValue(JsonCursor c, List<String> strings) throws JsonCursor.MalformedJson {
        if (c.nextIsObject()) {
            c.enterObject();
            while (c.nextField()) {
                walkValue(c, strings);
            }
        } else if (c.nextIsArray()) {
            c.enterArray();
            while (c.nextElement()) {
                walkValue(c, strings);
            }
        } else {
            String s = c.stringValue();
            if (s != null) {
                strings.add(s);
            }
        }
    }

    private static List<Long> longs(String array) throws Exception {
        JsonCursor c = new JsonCursor(array);
        List<Long> out = new ArrayList<>();
        c.enterArray();
        while (c.nextElement()) {
            out.add(c.longValue(-1));
        }
        return out;
    }
}
