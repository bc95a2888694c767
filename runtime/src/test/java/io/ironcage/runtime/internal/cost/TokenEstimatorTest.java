package io.ironcage.runtime.internal.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class TokenEstimatorTest {

    private static final PriceTable TABLE = PriceTable.load(Optional.empty());

    /** ceil(bytes / 3) + 4 per message + 16 + 1600 per image. */
    private static long expected(long bytes, int messages, int images) {
        return (bytes + 2) / 3 + 4L * messages + 16 + 1600L * images;
    }

    private static long estimate(String json) {
        return TokenEstimator.estimateInputTokens(new JsonObject(json));
    }

    // ---- OpenAI --------------------------------------------------------------------------------------------------

    @Test
    void openAiStringContent() {
        String json = """
                {"model":"gpt-4o","messages":[{"role":"system","content":"You are terse."},
                                              {"role":"user","content":"Hello"}]}
                """;
        assertEquals(expected(14 + 5, 2, 0), estimate(json));
        assertEquals(31, estimate(json));
    }

    @Test
    void openAiContentPartsWithAnImage() {
        String json = """
                {"model":"gpt-4o","messages":[{"role":"user","content":[
                  {"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"}},
                  {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"high"}}]}]}
                """;
        assertEquals(expected(13, 1, 2), estimate(json), "images count a fixed 1600, not their data");
    }

    @Test
    void openAiToolDefinitionsAndToolCalls() {
        String tool = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}";
        assertEquals(84, tool.length());
        String json = """
                {"model":"gpt-4o","tools":[%s],
                 "messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                                "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                             {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}
                """.formatted(tool);
        // call id 6 + name 11 + arguments 16, tool_call_id 6 + content 5, tool definition 84
        assertEquals(expected(6 + 11 + 16 + 6 + 5 + 84, 2, 0), estimate(json));
        assertEquals(67, estimate(json));
    }

    @Test
    void openAiResponseFormatAndLegacyFunctionsCount() {
        long base = estimate("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        long withFormat = estimate("""
                {"messages":[{"role":"user","content":"x"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"}}}}
                """);
        assertTrue(withFormat > base + 20, withFormat + " vs " + base);
        long withFunctions = estimate("""
                {"messages":[{"role":"user","content":"x","function_call":{"name":"f","arguments":"{}"}}],
                 "functions":[{"name":"f","parameters":{"type":"object"}}]}
                """);
        assertTrue(withFunctions > base + 10, withFunctions + " vs " + base);
    }

    @Test
    void embeddingInputs() {
        assertEquals(expected(3 + 6, 0, 0), estimate("{\"model\":\"text-embedding-3-small\",\"input\":[\"abc\",\"defghi\"]}"));
        assertEquals(expected(11, 0, 0), estimate("{\"input\":\"hello world\"}"));
        assertEquals(4 + 16, estimate("{\"input\":[[1,2,3],[4]]}"), "token ids count one token each");
        assertEquals(3 + 16, estimate("{\"input\":[1,2,3]}"));
    }

    // ---- Anthropic -----------------------------------------------------------------------------------------------

    @Test
    void anthropicSystemBlocksImagesToolUseAndResults() {
        String json = """
                {"model":"claude-sonnet-4-5","max_tokens":1024,
                 "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
                 "tools":[{"name":"lookup","input_schema":{"type":"object"}}],
                 "messages":[
                   {"role":"user","content":[
                     {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo"}},
                     {"type":"text","text":"Describe"}]},
                   {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"x"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"found"}]}]}
                """;
        // system 9, text 8, tool_use id 7 + name 6 + input {"q":"x"} 9, tool_result id 7 + content 5, tool 50
        assertEquals(expected(9 + 8 + 7 + 6 + 9 + 7 + 5 + 50, 4, 1), estimate(json));
        assertEquals(1666, estimate(json));
    }

    @Test
    void anthropicSystemStringAndNestedToolResultBlocks() {
        assertEquals(expected(3 + 2, 2, 0), estimate("""
                {"system":"abc","messages":[{"role":"user","content":"hi"}]}
                """));
        String json = """
                {"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[
                   {"type":"text","text":"chart:"},
                   {"type":"image","source":{"type":"url","url":"https://example.com/c.png"}}]}]},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"c2lnbmF0dXJl"},
                                                {"type":"text","text":"ok"}]}]}
                """;
        assertEquals(expected(1 + 6 + 3 + 2, 2, 1), estimate(json));
    }

    @Test
    void unknownBlocksCountTheirJsonEncoding() {
        JsonObject document = new JsonObject()
                .put("type", "document")
                .put("source", new JsonObject().put("type", "text").put("media_type", "text/plain").put("data", "abc"));
        JsonObject request = new JsonObject().put("messages", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("role", "user").put("content", new io.vertx.core.json.JsonArray().add(document))));
        assertEquals(expected(document.encode().length(), 1, 0), TokenEstimator.estimateInputTokens(request));
    }

    // ---- general -------------------------------------------------------------------------------------------------

    @Test
    void emptyAndMissing() {
        assertEquals(16, estimate("{}"));
        assertEquals(16, TokenEstimator.estimateInputTokens(null));
        assertEquals(16 + 4, estimate("{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}"));
        assertEquals(16 + 4, estimate("{\"messages\":[{\"role\":\"user\"}]}"));
        assertEquals(16, estimate("{\"messages\":\"not an array\"}"));
    }

    @Test
    void multiByteTextCountsUtf8Bytes() {
        String text = "h\u00e9llo \u65e5\u672c \ud83d\ude00";
        assertEquals(18, text.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(18, TokenEstimator.utf8Length(text));
        assertEquals(expected(18, 1, 0), TokenEstimator.estimateInputTokens(new JsonObject()
                .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", text)))));
        String mixed = "a\u00ff\u0800\uffff\ud800\udc00z";
        assertEquals(mixed.getBytes(StandardCharsets.UTF_8).length, TokenEstimator.utf8Length(mixed));
    }

    @Test
    void estimateStaysAboveFourBytesPerToken() {
        String prose = "The quick brown fox jumps over the lazy dog. ".repeat(200);
        long estimate = TokenEstimator.estimateInputTokens(new JsonObject()
                .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", prose))));
        assertTrue(estimate >= prose.length() / 3, "bytes / 3 at least");
        assertTrue(estimate > prose.length() / 4 * 13 / 10, "well above the ~4 bytes per token of English");
    }

    // ---- max output ----------------------------------------------------------------------------------------------

    @Test
    void maxOutputTokensOrder() {
        ModelPrice gpt51 = TABLE.find("gpt-5.1").orElseThrow();
        ModelPrice sonnet4 = TABLE.find("claude-sonnet-4-20250514").orElseThrow();
        ModelPrice embedding = TABLE.find("text-embedding-3-small").orElseThrow();
        assertEquals(100, TokenEstimator.maxOutputTokens(new JsonObject("{\"max_tokens\":100}"), gpt51));
        assertEquals(200, TokenEstimator.maxOutputTokens(new JsonObject("{\"max_completion_tokens\":200}"), gpt51));
        assertEquals(100, TokenEstimator.maxOutputTokens(
                new JsonObject("{\"max_tokens\":100,\"max_completion_tokens\":200}"), gpt51));
        assertEquals(50, TokenEstimator.maxOutputTokens(
                new JsonObject("{\"max_tokens\":0,\"max_completion_tokens\":50}"), gpt51));
        assertEquals(300, TokenEstimator.maxOutputTokens(new JsonObject("{\"max_output_tokens\":300}"), gpt51));
        assertEquals(1_000_000, TokenEstimator.maxOutputTokens(new JsonObject("{\"max_tokens\":1000000}"), sonnet4),
                "not capped by the model max");
        assertEquals(128_000, TokenEstimator.maxOutputTokens(new JsonObject("{}"), gpt51));
        assertEquals(64_000, TokenEstimator.maxOutputTokens(new JsonObject("{}"), sonnet4));
        assertEquals(64_000, TokenEstimator.maxOutputTokens(new JsonObject("{\"max_tokens\":\"100\"}"), sonnet4));
        assertEquals(64_000, TokenEstimator.maxOutputTokens(new JsonObject("{\"max_tokens\":-5}"), sonnet4));
        assertEquals(64_000, TokenEstimator.maxOutputTokens(null, sonnet4));
        assertEquals(128_000, TokenEstimator.maxOutputTokens(new JsonObject("{}"), null));
        assertEquals(128_000, TokenEstimator.maxOutputTokens(new JsonObject("{}"), embedding), "0 means unknown");
        assertEquals(11, TokenEstimator.maxOutputTokens(new JsonObject("{\"max_tokens\":10.5}"), gpt51));
    }

    @Test
    void severalChoicesMultiplyTheMaxOutput() {
        ModelPrice gpt4o = TABLE.find("gpt-4o").orElseThrow();
        assertEquals(300, TokenEstimator.maxOutputTokens(new JsonObject("{\"max_tokens\":100,\"n\":3}"), gpt4o));
        assertEquals(2 * 16_384, TokenEstimator.maxOutputTokens(new JsonObject("{\"n\":2}"), gpt4o));
        assertEquals(100, TokenEstimator.maxOutputTokens(new JsonObject("{\"max_tokens\":100,\"n\":1}"), gpt4o));
        assertEquals(Long.MAX_VALUE, TokenEstimator.maxOutputTokens(
                new JsonObject("{\"max_tokens\":9223372036854775807,\"n\":2}"), gpt4o));
    }
}
