package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.core.buffer.Buffer;

class RequestBodyTest {

    /** Marker put in malformed bodies: error messages must never contain it. */
    private static final String SECRET = "sk_proj_SECRETd00d";

    private static RequestBody read(String json) throws RequestBody.MalformedException {
        return RequestBody.read(Buffer.buffer(json));
    }

    // ---- field extraction ----------------------------------------------------------------------------------------

    @Test
    void readsAllFieldsOfAStreamingOpenAiRequest() throws Exception {
        RequestBody body = read("""
                {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},
                  {"role":"user","content":"héllo wörld 日本語 🎉"}],
                 "temperature":0.2,"stream":true,"stream_options":{"include_usage":true},"tools":[]}
                """);
        assertEquals(new RequestBody("gpt-4o-mini", true, true, true), body);
    }

    @Test
    void readsAnAnthropicRequest() throws Exception {
        RequestBody body = read("""
                {"model":"claude-sonnet-4-20250514","max_tokens":1024,"system":[{"type":"text","text":"x",
                 "cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],
                 "stream":true}
                """);
        assertEquals(new RequestBody("claude-sonnet-4-20250514", true, false, false), body);
    }

    @Test
    void defaultsWhenFieldsAreAbsent() throws Exception {
        assertEquals(new RequestBody(null, false, false, false), read("{}"));
        assertEquals(new RequestBody("m", false, false, false), read("{\"model\":\"m\"}"));
        assertEquals(new RequestBody(null, false, false, false), read("  \n\t{ }\r\n "));
    }

    @Test
    void fieldOrderDoesNotMatter() throws Exception {
        assertEquals(new RequestBody("gpt-4o", true, true, true), read(
                "{\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"stream\":true,\"model\":\"gpt-4o\"}"));
    }

    @Test
    void streamMustBeLiteralTrue() throws Exception {
        assertTrue(read("{\"stream\":true}").stream());
        assertFalse(read("{\"stream\":false}").stream());
        assertFalse(read("{\"stream\":\"true\"}").stream());
        assertFalse(read("{\"stream\":1}").stream());
        assertFalse(read("{\"stream\":null}").stream());
    }

    @Test
    void modelMustBeAString() throws Exception {
        assertNull(read("{\"model\":42}").model());
        assertNull(read("{\"model\":null}").model());
        assertNull(read("{\"model\":true}").model());
        assertEquals("", read("{\"model\":\"\"}").model());
        assertEquals("modèle-日本", read("{\"model\":\"modèle-日本\"}").model());
        assertEquals("a\"b", read("{\"model\":\"a\\\"b\"}").model());
    }

    @Test
    void onlyTopLevelFieldsCount() throws Exception {
        RequestBody body = read("""
                {"messages":[{"role":"user","content":"x","model":"nested-in-array","stream":true}],
                 "metadata":{"model":"nested-in-object","stream":true,"stream_options":{"include_usage":true}},
                 "model":"top"}
                """);
        assertEquals(new RequestBody("top", false, false, false), body);
        assertNull(read("{\"metadata\":{\"model\":\"nested\"}}").model());
    }

    @Test
    void lastDuplicateFieldWins() throws Exception {
        assertEquals("second", read("{\"model\":\"first\",\"model\":\"second\"}").model());
        assertFalse(read("{\"stream\":true,\"stream\":false}").stream());
    }

    @Test
    void streamOptionsIncludeUsage() throws Exception {
        assertEquals(new RequestBody("m", true, true, false),
                read("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false}}"));
        assertEquals(new RequestBody("m", true, true, false),
                read("{\"model\":\"m\",\"stream\":true,\"stream_options\":{}}"));
        assertEquals(new RequestBody("m", true, true, false),
                read("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":\"true\"}}"));
        // nested values inside stream_options are skipped; a nested include_usage is not the real one
        assertEquals(new RequestBody("m", true, true, true), read("{\"model\":\"m\",\"stream\":true,"
                + "\"stream_options\":{\"x\":{\"include_usage\":false},\"y\":[1,{\"a\":[]}],\"include_usage\":true},"
                + "\"n\":1}"));
        assertEquals(new RequestBody("m", true, true, false), read("{\"model\":\"m\",\"stream\":true,"
                + "\"stream_options\":{\"x\":{\"include_usage\":true}},\"n\":1}"));
        // null still counts as present: the router must replace it rather than splice in a duplicate key
        assertEquals(new RequestBody("m", true, true, false),
                read("{\"model\":\"m\",\"stream\":true,\"stream_options\":null}"));
    }

    /**
     * Valid JSON whose {@code model}, {@code stream} or {@code stream_options} holds an array or object: the value
     * must be skipped, not mistaken for the rest of the top-level object.
     */
    @Test
    void nonScalarValuesOfKnownFieldsAreSkipped() throws Exception {
        assertEquals(new RequestBody(null, true, false, false),
                read("{\"model\":{\"name\":\"gpt-4o\"},\"stream\":true}"));
        assertEquals(new RequestBody(null, true, false, false), read("{\"model\":[\"gpt-4o\"],\"stream\":true}"));
        assertEquals(new RequestBody("m", false, false, false), read("{\"stream\":{\"model\":\"x\"},\"model\":\"m\"}"));
        assertEquals(new RequestBody("m", false, false, false), read("{\"stream\":[true],\"model\":\"m\"}"));
        assertEquals(new RequestBody("m", true, true, false),
                read("{\"model\":\"m\",\"stream_options\":[{\"include_usage\":true}],\"stream\":true}"));
        assertEquals(new RequestBody(null, false, false, false), read("{\"model\":{}}"));
    }

    // ---- malformed bodies ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   \n ",
            "[{\"model\":\"" + SECRET + "\"}]",
            "\"" + SECRET + "\"",
            "42",
            "null",
            "true",
            SECRET,
            // truncated
            "{",
            "{\"model\":\"" + SECRET,
            "{\"model\":\"" + SECRET + "\"",
            "{\"model\":\"" + SECRET + "\",",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + SECRET + "\"}",
            "{\"model\":\"gpt-4o\",\"stream_options\":{\"include_usage\":true",
            // trailing garbage
            "{\"model\":\"gpt-4o\"}" + SECRET,
            "{\"model\":\"gpt-4o\"} " + SECRET,
            "{\"model\":\"gpt-4o\"}\n" + SECRET,
            "{\"model\":\"gpt-4o\"}}",
            "{\"model\":\"gpt-4o\"}]",
            "{\"model\":\"gpt-4o\"}{\"model\":\"" + SECRET + "\"}",
            "{\"model\":\"gpt-4o\"} [\"" + SECRET + "\"]",
            "{\"model\":\"gpt-4o\"} 42",
            // syntax errors inside the object
            "{\"model\":\"gpt-4o\",}",
            "{\"model\":" + SECRET + "}",
            "{\"model\":\"gpt-4o\",\"messages\":[" + SECRET + "]}",
            "{\"model\" \"gpt-4o\"}",
            "{" + SECRET + ":1}",
            "{'model':'" + SECRET + "'}",
            "{\"model\":\"gpt-4o\",\"stream\":tru}",
            "{\"model\":\"gpt-4o\",\"stream\":True}",
            "{\"model\":\"gpt-4o\",\"n\":01}",
    })
    void malformedBodiesAreRejectedWithoutEchoingThem(String json) {
        RequestBody.MalformedException e = assertThrows(RequestBody.MalformedException.class, () -> read(json),
                () -> "accepted: " + json);
        String message = e.getMessage();
        assertTrue(message != null && message.startsWith("The request body "), message);
        assertFalse(message.contains(SECRET), () -> "message echoes the body: " + message);
        assertFalse(message.contains("SECRET"), () -> "message echoes the body: " + message);
        assertFalse(json.strip().length() > 3 && message.contains(json.strip()), () -> "message echoes the body: " + message);
        assertNull(e.getCause());
        assertEquals(0, e.getStackTrace().length, "a cheap exception without stack trace");
        assertNull(RequestBody.modelOrNull(Buffer.buffer(json)), "lenient read of a malformed body");
    }

    @Test
    void malformedMessagesSayWhatIsWrong() {
        assertEquals("The request body must be a JSON object.",
                assertThrows(RequestBody.MalformedException.class, () -> read("")).getMessage());
        assertEquals("The request body must be a JSON object.",
                assertThrows(RequestBody.MalformedException.class, () -> read("[1]")).getMessage());
        assertEquals("The request body is not valid JSON: unexpected content after the object.",
                assertThrows(RequestBody.MalformedException.class, () -> read("{\"model\":\"m\"}{}")).getMessage());
        String truncated = assertThrows(RequestBody.MalformedException.class,
                () -> read("{\"model\":\"m\",\n\"stream\":true")).getMessage();
        assertTrue(truncated.startsWith("The request body is not valid JSON: unexpected end of input (line 2, column "),
                truncated);
        assertTrue(assertThrows(RequestBody.MalformedException.class, () -> read("{\"model\":\"m\",\n\"stream\":tr"))
                .getMessage().startsWith("The request body is not valid JSON: syntax error (line 2, column "));
        assertEquals("The request body is not valid JSON: syntax error (line 1, column 1)",
                assertThrows(RequestBody.MalformedException.class, () -> read(SECRET)).getMessage());
        assertEquals("The request body is not valid JSON: syntax error (line 1, column 20)",
                assertThrows(RequestBody.MalformedException.class, () -> read("{\"model\":\"gpt-4o\"} " + SECRET))
                        .getMessage());
    }

    @Test
    void largeValidBodyIsRead() throws Exception {
        StringBuilder sb = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < 5_000; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"message ").append(i)
                    .append(" héllo 🎉\",\"nested\":{\"model\":\"no\",\"a\":[[[]]]}}");
        }
        sb.append("],\"model\":\"gpt-4.1\",\"stream\":true}");
        assertEquals(new RequestBody("gpt-4.1", true, false, false), read(sb.toString()));
    }

    // ---- modelOrNull ---------------------------------------------------------------------------------------------

    @Test
    void modelOrNullIsLenient() {
        assertNull(RequestBody.modelOrNull(Buffer.buffer()));
        assertNull(RequestBody.modelOrNull(Buffer.buffer("not json")));
        assertNull(RequestBody.modelOrNull(Buffer.buffer("{\"model\":\"gpt-4o\"")));
        assertNull(RequestBody.modelOrNull(Buffer.buffer("[\"gpt-4o\"]")));
        assertNull(RequestBody.modelOrNull(Buffer.buffer("{\"input\":\"text\"}")));
        assertNull(RequestBody.modelOrNull(Buffer.buffer("{\"model\":7}")));
        assertEquals("text-embedding-3-small",
                RequestBody.modelOrNull(Buffer.buffer("{\"input\":[\"a\",\"b\"],\"model\":\"text-embedding-3-small\"}")));
        for (String body : List.of("{\"model\":\"m\"}", " {\"model\" : \"m\" } ")) {
            assertEquals("m", RequestBody.modelOrNull(Buffer.buffer(body)));
        }
    }
}
