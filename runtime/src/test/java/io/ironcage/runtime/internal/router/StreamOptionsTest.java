package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

class StreamOptionsTest {

    private static final String SPLICED = "\"stream_options\":{\"include_usage\":true}";

    /** Runs the rewrite the way the router does: flags from {@link RequestBody#read}, then the splice or rewrite. */
    private static String rewrite(String body) throws RequestBody.MalformedException {
        RequestBody before = RequestBody.read(Buffer.buffer(body));
        Buffer out = StreamOptions.withIncludeUsage(Buffer.buffer(body), before.hasStreamOptions());
        String result = out.toString(StandardCharsets.UTF_8);

        JsonObject original = new JsonObject(body);
        JsonObject rewritten = new JsonObject(result); // must be valid JSON
        // include_usage is now true, and the router reads it as such
        assertEquals(Boolean.TRUE, rewritten.getJsonObject("stream_options").getValue("include_usage"), result);
        RequestBody after = RequestBody.read(out);
        assertEquals(new RequestBody(before.model(), before.stream(), true, true), after, result);
        // every other field is kept, unchanged
        JsonObject expectedOptions = (original.getValue("stream_options") instanceof JsonObject o ? o.copy()
                : new JsonObject()).put("include_usage", true);
        assertEquals(original.copy().put("stream_options", expectedOptions), rewritten, result);
        return result;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"héllo wörld 日本語 🎉\"}],\"stream\":true}",
            "{\"stream\":true}",
            "{\"stream\":true,\"model\":\"gpt-4o\",\"temperature\":0.7,\"n\":1,\"stop\":[\"}\",\"{\"],"
                    + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],"
                    + "\"metadata\":{\"stream_options\":\"not this one\"}}",
            "  {\"model\":\"gpt-4o\",\"stream\":true}",
            "\n\t \r\n{\"model\":\"gpt-4o\",\"stream\":true}",
            "{ \"model\" : \"gpt-4o\" , \"stream\" : true }",
            "{\n  \"model\": \"gpt-4o\",\n  \"stream\": true\n}\n",
    })
    void splicesIntoABodyWithoutStreamOptions(String body) throws Exception {
        String result = rewrite(body);
        int brace = body.indexOf('{');
        // the body is not re-encoded: prefix up to the brace, the new field, then the original bytes
        assertTrue(result.startsWith(body.substring(0, brace + 1) + SPLICED), result);
        assertTrue(result.endsWith(body.substring(brace + 1)), result);
        assertEquals(body.length() + SPLICED.length() + 1, result.length(), result);
        byte[] tail = body.substring(brace + 1).getBytes(StandardCharsets.UTF_8);
        byte[] out = result.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(tail, Arrays.copyOfRange(out, out.length - tail.length, out.length), "bytes kept verbatim");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{ }", "  {}", "{\n}", "{\r\n\t}\n", " \n{ \n } " })
    void splicesIntoAnEmptyObjectWithoutATrailingComma(String body) throws Exception {
        String result = rewrite(body);
        assertEquals(1, new JsonObject(result).size(), result);
        assertTrue(!result.contains(","), result);
    }

    @Test
    void nullOrNonObjectStreamOptionsAreReplacedNotDuplicated() throws Exception {
        for (String options : new String[] { "null", "[]", "\"x\"" }) {
            String result = rewrite("{\"model\":\"m\",\"stream\":true,\"stream_options\":" + options + "}");
            assertEquals(1, result.split("stream_options", -1).length - 1, result);
        }
    }

    @Test
    void rewritesExistingStreamOptionsWithIncludeUsageFalse() throws Exception {
        String result = rewrite("""
                {"model":"gpt-4o","stream":true,"stream_options":{"include_usage":false,"extra":{"k":[1,2]}},
                 "messages":[{"role":"user","content":"héllo 🎉"}],"max_completion_tokens":50,"logit_bias":{"50256":-100}}
                """);
        JsonObject json = new JsonObject(result);
        assertEquals(new JsonObject("{\"include_usage\":true,\"extra\":{\"k\":[1,2]}}"), json.getJsonObject("stream_options"));
        assertEquals("héllo 🎉", json.getJsonArray("messages").getJsonObject(0).getString("content"));
        assertEquals(-100, json.getJsonObject("logit_bias").getInteger("50256"));
    }

    @Test
    void rewritesExistingStreamOptionsWithoutIncludeUsage() throws Exception {
        String result = rewrite("{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{}}");
        assertEquals(new JsonObject("{\"include_usage\":true}"), new JsonObject(result).getJsonObject("stream_options"));
        result = rewrite("{\"stream_options\":{\"include_obfuscation\":false},\"stream\":true}");
        assertEquals(new JsonObject("{\"include_obfuscation\":false,\"include_usage\":true}"),
                new JsonObject(result).getJsonObject("stream_options"));
    }

    @Test
    void keepsEveryFieldOfARealisticRequest() throws Exception {
        String body = """
                {
                  "model": "gpt-4o-mini",
                  "messages": [
                    {"role": "system", "content": "You are terse. Use {braces} and \\"quotes\\"."},
                    {"role": "user", "content": "héllo wörld 日本語 🎉"},
                    {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                      "function": {"name": "lookup", "arguments": "{\\"q\\":\\"x\\"}"}}]},
                    {"role": "tool", "tool_call_id": "call_1", "content": "42"}
                  ],
                  "temperature": 0,
                  "top_p": 1.0,
                  "seed": 9007199254740991,
                  "response_format": {"type": "json_object"},
                  "user": "u-1",
                  "stream": true
                }
                """;
        String result = rewrite(body);
        JsonObject json = new JsonObject(result);
        assertEquals(9007199254740991L, json.getLong("seed"));
        assertEquals("{\"q\":\"x\"}", json.getJsonArray("messages").getJsonObject(2).getJsonArray("tool_calls")
                .getJsonObject(0).getJsonObject("function").getString("arguments"));
    }

    @Test
    void refusesABodyWithoutAnObject() {
        assertThrows(IllegalArgumentException.class, () -> StreamOptions.withIncludeUsage(Buffer.buffer("[]"), false));
        assertThrows(IllegalArgumentException.class, () -> StreamOptions.withIncludeUsage(Buffer.buffer(""), false));
    }
}
