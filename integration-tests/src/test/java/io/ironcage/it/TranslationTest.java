package io.ironcage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.CompletedCall;
import io.ironcage.runtime.spi.Dialect;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Translated calls at the wire level: an OpenAI-format call for a Claude model goes to Anthropic and an
 * Anthropic-format call for a GPT model goes to OpenAI; the answers (JSON, SSE, errors) come back in the client's
 * dialect. Bodies are read as UTF-8 bytes so that non-ASCII tool arguments are checked exactly.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class TranslationTest extends RouterTestBase {

    private static final String CLAUDE = "claude-sonnet-4-5";
    private static final String GPT = "gpt-4o-mini";
    private static final String CITY = "Zürich 東京";

    private static final JsonObject OPENAI_WEATHER_TOOL = new JsonObject().put("type", "function").put("function",
            new JsonObject().put("name", "get_weather").put("description", "Weather in a city")
                    .put("parameters", new JsonObject().put("type", "object")
                            .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
                            .put("required", new JsonArray().add("city"))));
    private static final JsonObject OPENAI_TIME_TOOL = new JsonObject().put("type", "function").put("function",
            new JsonObject().put("name", "get_time")
                    .put("parameters", new JsonObject().put("type", "object").put("properties", new JsonObject()
                            .put("timezone", new JsonObject().put("type", "string"))
                            .put("hours", new JsonObject().put("type", "integer")))));
    private static final JsonObject ANTHROPIC_WEATHER_TOOL = new JsonObject().put("name", "get_weather")
            .put("description", "Weather in a city")
            .put("input_schema", new JsonObject().put("type", "object")
                    .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
                    .put("required", new JsonArray().add("city")));
    private static final JsonObject ANTHROPIC_TIME_TOOL = new JsonObject().put("name", "get_time")
            .put("input_schema", new JsonObject().put("type", "object").put("properties", new JsonObject()
                    .put("timezone", new JsonObject().put("type", "string"))
                    .put("hours", new JsonObject().put("type", "integer"))));

    // ---- request builders

    private static JsonObject openAiChat(String model, String userText) {
        return new JsonObject().put("model", model)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", userText)));
    }

    private static JsonObject anthropicMessages(String model, String userText) {
        return new JsonObject().put("model", model).put("max_tokens", 64)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", userText)));
    }

    private Response postOpenAi(JsonObject body) {
        return openAi().body(body.encode()).post("/v1/chat/completions");
    }

    private Response postAnthropic(JsonObject body) {
        return anthropic().header("anthropic-version", "2023-06-01").body(body.encode()).post("/v1/messages");
    }

    private static String utf8(Response response) {
        return new String(response.asByteArray(), StandardCharsets.UTF_8);
    }

    private static JsonObject json(Response response) {
        return new JsonObject(utf8(response));
    }

    // ==== OpenAI client -> Claude (Anthropic provider) ==============================================================

    @Test
    void openAiJsonForClaudeGoesToAnthropicMessagesAndComesBackAsAChatCompletion() {
        Response response = postOpenAi(openAiChat(CLAUDE, "Hello router"));
        assertEquals(200, response.statusCode(), utf8(response));
        JsonObject answer = json(response);
        assertEquals("chat.completion", answer.getString("object"));
        JsonObject choice = answer.getJsonArray("choices").getJsonObject(0);
        assertEquals("assistant", choice.getJsonObject("message").getString("role"));
        assertEquals("Mock answer to: Hello router", choice.getJsonObject("message").getString("content"));
        assertEquals("stop", choice.getString("finish_reason"));
        assertEquals(5, answer.getJsonObject("usage").getInteger("completion_tokens"));
        assertTrue(answer.getJsonObject("usage").getInteger("prompt_tokens") > 0, answer.encode());

        assertEquals("/v1/messages", mock.last().get("path"));
        Map<String, String> headers = mock.lastHeaders();
        assertEquals(MockProviderResource.ANTHROPIC_KEY, headers.get("x-api-key"));
        assertNotNull(headers.get("anthropic-version"), "Anthropic requires anthropic-version: " + headers);
        assertNull(headers.get("authorization"), "the OpenAI-style auth header must not reach Anthropic");
        assertFalse(headers.containsValue(TOKEN) || headers.containsValue("Bearer " + TOKEN), "IC token leaked");
        JsonObject sent = new JsonObject(mock.lastBody());
        assertEquals(CLAUDE, sent.getString("model"));
        assertEquals(4096, sent.getInteger("max_tokens"), "Anthropic needs max_tokens: the default when none is set");
        assertEquals("user", sent.getJsonArray("messages").getJsonObject(0).getString("role"));
        assertEquals("Hello router", sent.getJsonArray("messages").getJsonObject(0).getString("content"));

        CompletedCall call = lastCall();
        assertEquals(Dialect.OPENAI, call.dialect());
        assertEquals("anthropic", call.provider());
        assertFalse(call.stream());
        assertEquals(200, call.outcome().status());
        assertTrue(call.outcome().usageReported());
        assertEquals(5, call.outcome().usage().outputTokens());
        assertTrue(call.outcome().usage().inputTokens() > 0);
    }

    @Test
    void openAiMaxCompletionTokensBecomesAnthropicMaxTokens() {
        postOpenAi(openAiChat(CLAUDE, "Hello router").put("max_completion_tokens", 77)).then().statusCode(200);
        assertEquals(77, new JsonObject(mock.lastBody()).getInteger("max_tokens"));
    }

    @Test
    void openAiStreamForClaudeIsTranslatedEndsWithDoneAndCarriesNoUsageChunk() {
        Response response = postOpenAi(openAiChat(CLAUDE, "Hello router").put("stream", true));
        assertEquals(200, response.statusCode());
        assertTrue(response.contentType().startsWith("text/event-stream"), response.contentType());
        String sse = utf8(response);
        List<Sse> events = Sse.parse(sse);

        assertEquals("[DONE]", events.get(events.size() - 1).data(), sse);
        assertEquals(1, events.stream().filter(e -> "[DONE]".equals(e.data())).count(), sse);
        assertFalse(sse.contains("\"usage\""), "the client did not ask for usage: " + sse);
        List<JsonObject> chunks = chunks(events);
        for (JsonObject chunk : chunks) {
            assertEquals("chat.completion.chunk", chunk.getString("object"), chunk.encode());
            assertFalse(chunk.containsKey("error"), chunk.encode());
        }
        assertEquals("assistant", chunks.get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                .getString("role"));
        assertEquals(List.of("stop"), finishReasons(chunks), "exactly one finish chunk");
        assertEquals("Mock answer to: Hello router", SseText.openAiContent(sse));

        JsonObject sent = new JsonObject(mock.lastBody());
        assertEquals("/v1/messages", mock.last().get("path"));
        assertEquals(Boolean.TRUE, sent.getBoolean("stream"));
        assertFalse(sent.containsKey("stream_options"), "Anthropic has no stream_options: " + sent);

        assertLastStreamRecorded(5);
    }

    @Test
    void openAiStreamForClaudeWithIncludeUsageGetsExactlyOneUsageChunkBeforeDone() {
        JsonObject request = openAiChat(CLAUDE, "Hello router").put("stream", true)
                .put("stream_options", new JsonObject().put("include_usage", true));
        String sse = utf8(postOpenAi(request).then().statusCode(200).extract().response());
        List<Sse> events = Sse.parse(sse);
        assertEquals("[DONE]", events.get(events.size() - 1).data(), sse);
        List<JsonObject> chunks = chunks(events);
        List<JsonObject> usageChunks = chunks.stream().filter(c -> c.getValue("usage") instanceof JsonObject).toList();
        assertEquals(1, usageChunks.size(), sse);
        JsonObject usageChunk = usageChunks.get(0);
        assertEquals(new JsonArray(), usageChunk.getJsonArray("choices"));
        assertEquals(5, usageChunk.getJsonObject("usage").getInteger("completion_tokens"));
        assertTrue(usageChunk.getJsonObject("usage").getInteger("prompt_tokens") > 0);
        assertEquals(usageChunk, chunks.get(chunks.size() - 1), "the usage chunk is the last before [DONE]");
        for (JsonObject chunk : chunks.subList(0, chunks.size() - 1)) {
            assertTrue(chunk.containsKey("usage") && chunk.getValue("usage") == null,
                    "with include_usage every other chunk says usage null, as OpenAI does: " + chunk.encode());
        }
        assertEquals("Mock answer to: Hello router", SseText.openAiContent(sse));
        assertFalse(new JsonObject(mock.lastBody()).containsKey("stream_options"));
        assertEquals(5, lastCall().outcome().usage().outputTokens());
    }

    @Test
    void openAiToolCallsFromClaudeStreamWithTheirArgumentsIntact() {
        JsonObject request = openAiChat(CLAUDE, "What is the weather?").put("stream", true)
                .put("tools", new JsonArray().add(OPENAI_WEATHER_TOOL));
        String sse = utf8(postOpenAi(request).then().statusCode(200).extract().response());
        List<JsonObject> chunks = chunks(Sse.parse(sse));
        assertTrue(sse.trim().endsWith("data: [DONE]"), sse);
        assertEquals(List.of("tool_calls"), finishReasons(chunks));

        Map<Integer, ToolCall> calls = toolCalls(chunks);
        assertEquals(1, calls.size(), sse);
        ToolCall call = calls.get(0);
        assertEquals("toolu_mock_1", call.id);
        assertEquals("get_weather", call.name);
        assertTrue(call.fragments > 1, "arguments arrive in several deltas: " + sse);
        assertEquals(new JsonObject().put("city", CITY), new JsonObject(call.arguments.toString()));
        assertEquals("Calling get_weather.", SseText.openAiContent(sse), "Claude's text before the call is kept");

        JsonObject sent = new JsonObject(mock.lastBody());
        JsonObject tool = sent.getJsonArray("tools").getJsonObject(0);
        assertEquals("get_weather", tool.getString("name"));
        assertEquals("string", tool.getJsonObject("input_schema").getJsonObject("properties").getJsonObject("city")
                .getString("type"));
        assertFalse(tool.containsKey("function") || tool.containsKey("parameters"), tool.encode());
        // 20 chars of arguments in 5-char pieces: 4 pieces + 1 per call
        assertEquals(5, lastCall().outcome().usage().outputTokens());
    }

    @Test
    void openAiParallelToolCallsFromClaudeGetIndexes0And1() {
        JsonObject request = openAiChat(CLAUDE, "Use both tools please").put("stream", true)
                .put("tools", new JsonArray().add(OPENAI_WEATHER_TOOL).add(OPENAI_TIME_TOOL));
        String sse = utf8(postOpenAi(request).then().statusCode(200).extract().response());
        List<JsonObject> chunks = chunks(Sse.parse(sse));
        Map<Integer, ToolCall> calls = toolCalls(chunks);
        assertEquals(List.of(0, 1), new ArrayList<>(calls.keySet()), sse);
        assertEquals("toolu_mock_1", calls.get(0).id);
        assertEquals("get_weather", calls.get(0).name);
        assertEquals(new JsonObject().put("city", CITY), new JsonObject(calls.get(0).arguments.toString()));
        assertEquals("toolu_mock_2", calls.get(1).id);
        assertEquals("get_time", calls.get(1).name);
        assertEquals(new JsonObject().put("timezone", "mock-timezone").put("hours", 42),
                new JsonObject(calls.get(1).arguments.toString()));
        assertEquals(List.of("tool_calls"), finishReasons(chunks));

        JsonObject answer = json(postOpenAi(request.copy().put("stream", false)));
        JsonArray toolCalls = answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getJsonArray("tool_calls");
        assertEquals(2, toolCalls.size(), answer.encode());
        assertEquals("toolu_mock_1", toolCalls.getJsonObject(0).getString("id"));
        assertEquals("toolu_mock_2", toolCalls.getJsonObject(1).getString("id"));
        assertEquals("get_time", toolCalls.getJsonObject(1).getJsonObject("function").getString("name"));
    }

    // ==== Anthropic client -> GPT (OpenAI provider) =================================================================

    @Test
    void anthropicJsonForGptGoesToChatCompletionsAndComesBackAsAMessage() {
        Response response = anthropic().header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "tools-2024-04-04")
                .body(anthropicMessages(GPT, "Hello router").encode()).post("/v1/messages");
        assertEquals(200, response.statusCode(), utf8(response));
        JsonObject answer = json(response);
        assertEquals("message", answer.getString("type"));
        assertEquals("assistant", answer.getString("role"));
        assertEquals("text", answer.getJsonArray("content").getJsonObject(0).getString("type"));
        assertEquals("Mock answer to: Hello router", answer.getJsonArray("content").getJsonObject(0).getString("text"));
        assertEquals("end_turn", answer.getString("stop_reason"));
        assertEquals(5, answer.getJsonObject("usage").getInteger("output_tokens"));
        assertTrue(answer.getJsonObject("usage").getInteger("input_tokens") > 0);

        assertEquals("/v1/chat/completions", mock.last().get("path"));
        Map<String, String> headers = mock.lastHeaders();
        assertEquals("Bearer " + MockProviderResource.OPENAI_KEY, headers.get("authorization"));
        assertNull(headers.get("x-api-key"), "the IC token header must not reach OpenAI");
        assertNull(headers.get("anthropic-version"), "anthropic-version must not reach OpenAI");
        assertNull(headers.get("anthropic-beta"), "anthropic-beta must not reach OpenAI");
        assertFalse(headers.containsValue(TOKEN), "IC token leaked");
        JsonObject sent = new JsonObject(mock.lastBody());
        assertEquals(GPT, sent.getString("model"));
        assertEquals(64, sent.getInteger("max_completion_tokens"));
        assertFalse(sent.containsKey("max_tokens"), sent.encode());
        assertFalse(sent.containsKey("stream_options"), "not a stream: " + sent);
        assertEquals("Hello router", sent.getJsonArray("messages").getJsonObject(0).getString("content"));

        CompletedCall call = lastCall();
        assertEquals(Dialect.ANTHROPIC, call.dialect());
        assertEquals("openai", call.provider());
        assertEquals(5, call.outcome().usage().outputTokens());
        assertTrue(call.outcome().usage().inputTokens() > 0);
    }

    @Test
    void anthropicStreamForGptStartsWithMessageStartAndEndsWithMessageStop() {
        Response response = postAnthropic(anthropicMessages(GPT, "Hello router").put("stream", true));
        assertEquals(200, response.statusCode());
        assertTrue(response.contentType().startsWith("text/event-stream"), response.contentType());
        String sse = utf8(response);
        List<Sse> events = Sse.parse(sse);
        assertEquals("message_start", events.get(0).event(), sse);
        assertEquals("message_stop", events.get(events.size() - 1).event(), sse);
        for (Sse event : events) {
            assertEquals(event.event(), event.json().getString("type"), "event name = data type: " + event);
        }
        assertFalse(sse.contains("[DONE]"), sse);
        assertEquals(1, events.stream().filter(e -> "message_delta".equals(e.event())).count());
        JsonObject messageDelta = only(events, "message_delta");
        assertEquals("end_turn", messageDelta.getJsonObject("delta").getString("stop_reason"));
        assertEquals(5, messageDelta.getJsonObject("usage").getInteger("output_tokens"));
        assertTrue(messageDelta.getJsonObject("usage").getInteger("input_tokens") > 0, messageDelta.encode());
        assertEquals("Mock answer to: Hello router", SseText.anthropicText(sse));

        assertEquals("/v1/chat/completions", mock.last().get("path"));
        JsonObject sent = new JsonObject(mock.lastBody());
        assertEquals(Boolean.TRUE, sent.getBoolean("stream"));
        assertEquals(Boolean.TRUE, sent.getJsonObject("stream_options").getBoolean("include_usage"),
                "the router needs OpenAI's stream usage: " + sent);

        assertLastStreamRecorded(5);
    }

    @Test
    void anthropicToolUseFromGptStreamsAsToolUseBlocksWithStopReasonToolUse() {
        JsonObject request = anthropicMessages(GPT, "What is the weather?").put("stream", true)
                .put("tools", new JsonArray().add(ANTHROPIC_WEATHER_TOOL));
        String sse = utf8(postAnthropic(request).then().statusCode(200).extract().response());
        List<Sse> events = Sse.parse(sse);
        assertEquals("message_start", events.get(0).event(), sse);
        assertEquals("message_stop", events.get(events.size() - 1).event(), sse);
        JsonObject messageDelta = only(events, "message_delta");
        assertEquals("tool_use", messageDelta.getJsonObject("delta").getString("stop_reason"));
        assertEquals(5, messageDelta.getJsonObject("usage").getInteger("output_tokens"));

        Map<Integer, ToolCall> blocks = toolUseBlocks(events);
        assertEquals(List.of(0), new ArrayList<>(blocks.keySet()), sse);
        assertEquals("call_mock_1", blocks.get(0).id);
        assertEquals("get_weather", blocks.get(0).name);
        assertTrue(blocks.get(0).fragments > 1, sse);
        assertEquals(new JsonObject().put("city", CITY), new JsonObject(blocks.get(0).arguments.toString()));

        JsonObject tool = new JsonObject(mock.lastBody()).getJsonArray("tools").getJsonObject(0);
        assertEquals("function", tool.getString("type"));
        assertEquals("get_weather", tool.getJsonObject("function").getString("name"));
        assertEquals("string", tool.getJsonObject("function").getJsonObject("parameters").getJsonObject("properties")
                .getJsonObject("city").getString("type"));
        assertEquals(5, lastCall().outcome().usage().outputTokens());
    }

    @Test
    void anthropicParallelToolCallsFromGptBecomeConsecutiveBlocks() {
        JsonObject request = anthropicMessages(GPT, "Use both tools please").put("stream", true)
                .put("tools", new JsonArray().add(ANTHROPIC_WEATHER_TOOL).add(ANTHROPIC_TIME_TOOL));
        String sse = utf8(postAnthropic(request).then().statusCode(200).extract().response());
        List<Sse> events = Sse.parse(sse);
        Map<Integer, ToolCall> blocks = toolUseBlocks(events);
        assertEquals(List.of(0, 1), new ArrayList<>(blocks.keySet()), sse);
        assertEquals("call_mock_1", blocks.get(0).id);
        assertEquals(new JsonObject().put("city", CITY), new JsonObject(blocks.get(0).arguments.toString()));
        assertEquals("call_mock_2", blocks.get(1).id);
        assertEquals("get_time", blocks.get(1).name);
        assertEquals(new JsonObject().put("timezone", "mock-timezone").put("hours", 42),
                new JsonObject(blocks.get(1).arguments.toString()));
        // blocks do not interleave: block 0 stops before block 1 starts
        int stop0 = indexOf(events, "content_block_stop", 0);
        int start1 = indexOf(events, "content_block_start", 1);
        assertTrue(stop0 >= 0 && stop0 < start1, sse);
        assertEquals("tool_use", only(events, "message_delta").getJsonObject("delta").getString("stop_reason"));
    }

    // ==== errors ====================================================================================================

    @Test
    void providerRateLimitReachesAnOpenAiClientOfClaudeInTheOpenAiShape() {
        for (boolean stream : new boolean[] { false, true }) {
            Response response = openAi().header("x-mock-status", "429").header("x-mock-error-message", "Slow down")
                    .body(openAiChat(CLAUDE, "Hello router").put("stream", stream).encode())
                    .post("/v1/chat/completions");
            assertEquals(429, response.statusCode(), utf8(response));
            assertTrue(response.contentType().startsWith("application/json"), response.contentType());
            JsonObject body = json(response);
            assertFalse(body.containsKey("type"), "not the Anthropic error shape: " + body);
            assertEquals("Slow down", body.getJsonObject("error").getString("message"), body.encode());
            assertNotNull(body.getJsonObject("error").getString("type"), body.encode());
            assertEquals("/v1/messages", mock.last().get("path"));
            assertEquals(429, lastCall().outcome().status());
        }
    }

    @Test
    void providerRateLimitReachesAnAnthropicClientOfGptInTheAnthropicShape() {
        for (boolean stream : new boolean[] { false, true }) {
            Response response = anthropic().header("x-mock-status", "429").header("x-mock-error-message", "Slow down")
                    .body(anthropicMessages(GPT, "Hello router").put("stream", stream).encode()).post("/v1/messages");
            assertEquals(429, response.statusCode(), utf8(response));
            JsonObject expected = new JsonObject().put("type", "error")
                    .put("error", new JsonObject().put("type", "rate_limit_error").put("message", "Slow down"));
            assertEquals(expected, json(response));
            assertEquals("/v1/chat/completions", mock.last().get("path"));
        }
    }

    @Test
    void nAbove1ForClaudeIsRefusedNamingTheParameterAndNothingIsSent() {
        Response response = postOpenAi(openAiChat(CLAUDE, "Hello router").put("n", 2));
        assertEquals(400, response.statusCode(), utf8(response));
        JsonObject error = json(response).getJsonObject("error");
        assertEquals("n", error.getString("param"), error.encode());
        assertEquals("invalid_request_error", error.getString("type"));
        assertTrue(error.getString("message").contains("'n'"), error.encode());
        assertEquals(0, mock.count());
        // n = 1 changes nothing and is accepted
        postOpenAi(openAiChat(CLAUDE, "Hello router").put("n", 1)).then().statusCode(200);
        assertFalse(new JsonObject(mock.lastBody()).containsKey("n"));
    }

    @Test
    void topKForGptIsRefusedNamingTheParameterAndNothingIsSent() {
        Response response = postAnthropic(anthropicMessages(GPT, "Hello router").put("top_k", 5));
        assertEquals(400, response.statusCode(), utf8(response));
        JsonObject body = json(response);
        assertEquals("error", body.getString("type"), body.encode());
        assertEquals("invalid_request_error", body.getJsonObject("error").getString("type"));
        assertTrue(body.getJsonObject("error").getString("message").contains("top_k"), body.encode());
        assertEquals(0, mock.count());
    }

    // ==== broken translated streams =================================================================================

    @Test
    void translatedStreamCutByAnthropicEndsWithAnOpenAiErrorChunkThenDone() {
        Response response = openAi().header("x-mock-cut-after", "4")
                .body(openAiChat(CLAUDE, "Hello router").put("stream", true).encode()).post("/v1/chat/completions");
        assertEquals(200, response.statusCode());
        String sse = utf8(response);
        List<Sse> events = Sse.parse(sse);
        assertEquals("[DONE]", events.get(events.size() - 1).data(), sse);
        JsonObject error = events.get(events.size() - 2).json();
        assertTrue(error.getJsonObject("error").getString("message").contains("Provider 'anthropic' failed"), sse);
        assertTrue(finishReasons(chunks(events.subList(0, events.size() - 2))).isEmpty(),
                "a cut stream must not claim a normal finish: " + sse);
        assertEquals("Mock", SseText.openAiContent(sse), "the part received before the cut was delivered");
        assertNotNull(lastCall().outcome().error(), "the call is recorded as failed");
    }

    @Test
    void translatedStreamCutByOpenAiEndsWithAnAnthropicErrorEvent() {
        Response response = anthropic().header("x-mock-cut-after", "4")
                .body(anthropicMessages(GPT, "Hello router").put("stream", true).encode()).post("/v1/messages");
        assertEquals(200, response.statusCode());
        String sse = utf8(response);
        List<Sse> events = Sse.parse(sse);
        assertEquals("message_start", events.get(0).event(), sse);
        Sse last = events.get(events.size() - 1);
        assertEquals("error", last.event(), sse);
        assertEquals("error", last.json().getString("type"));
        assertTrue(last.json().getJsonObject("error").getString("message").contains("Provider 'openai' failed"), sse);
        assertTrue(events.stream().noneMatch(e -> "message_stop".equals(e.event())), sse);
        assertNotNull(lastCall().outcome().error());
    }

    @Test
    void stalledTranslatedStreamsEndWithTheClientDialectsTimeoutError() {
        Response openAi = openAi().header("x-mock-stall-after", "4")
                .body(openAiChat(CLAUDE, "Hello router").put("stream", true).encode()).post("/v1/chat/completions");
        assertEquals(200, openAi.statusCode());
        String sse = utf8(openAi);
        List<Sse> events = Sse.parse(sse);
        assertEquals("[DONE]", events.get(events.size() - 1).data(), sse);
        JsonObject error = events.get(events.size() - 2).json().getJsonObject("error");
        assertNotNull(error, sse);
        assertTrue(error.getString("message").contains("sent nothing for 2000 ms"), sse);
        assertNotNull(lastCall().outcome().error());

        Response anthropic = anthropic().header("x-mock-stall-after", "4")
                .body(anthropicMessages(GPT, "Hello router").put("stream", true).encode()).post("/v1/messages");
        assertEquals(200, anthropic.statusCode());
        String anthSse = utf8(anthropic);
        List<Sse> anthEvents = Sse.parse(anthSse);
        Sse last = anthEvents.get(anthEvents.size() - 1);
        assertEquals("error", last.event(), anthSse);
        assertEquals("timeout_error", last.json().getJsonObject("error").getString("type"), anthSse);
        assertTrue(last.json().getJsonObject("error").getString("message").contains("sent nothing"), anthSse);
        assertNotNull(lastCall().outcome().error());
    }

    // ==== helpers ===================================================================================================

    /** One SSE event as the client received it. */
    record Sse(String event, String data) {

        JsonObject json() {
            return new JsonObject(data);
        }

        static List<Sse> parse(String body) {
            List<Sse> events = new ArrayList<>();
            String event = null;
            StringBuilder data = null;
            for (String line : (body + "\n\n").split("\n", -1)) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Sse(event, data.toString()));
                    }
                    event = null;
                    data = null;
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
                }
            }
            return events;
        }
    }

    /** A tool call assembled from stream deltas. */
    static final class ToolCall {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
        int fragments;
    }

    /** The JSON chunks of an OpenAI stream (everything but [DONE]). */
    private static List<JsonObject> chunks(List<Sse> events) {
        return events.stream().filter(e -> !"[DONE]".equals(e.data())).map(Sse::json).toList();
    }

    private static List<String> finishReasons(List<JsonObject> chunks) {
        List<String> reasons = new ArrayList<>();
        for (JsonObject chunk : chunks) {
            JsonArray choices = chunk.getJsonArray("choices");
            if (choices != null && !choices.isEmpty() && choices.getJsonObject(0).getString("finish_reason") != null) {
                reasons.add(choices.getJsonObject(0).getString("finish_reason"));
            }
        }
        return reasons;
    }

    /** OpenAI tool calls by index, assembled from {@code delta.tool_calls}. */
    private static Map<Integer, ToolCall> toolCalls(List<JsonObject> chunks) {
        Map<Integer, ToolCall> calls = new TreeMap<>();
        for (JsonObject chunk : chunks) {
            JsonArray choices = chunk.getJsonArray("choices");
            if (choices == null || choices.isEmpty()) {
                continue;
            }
            JsonArray deltas = choices.getJsonObject(0).getJsonObject("delta").getJsonArray("tool_calls");
            if (deltas == null) {
                continue;
            }
            for (Object o : deltas) {
                JsonObject delta = (JsonObject) o;
                ToolCall call = calls.computeIfAbsent(delta.getInteger("index"), i -> new ToolCall());
                if (delta.getString("id") != null) {
                    assertNull(call.id, "a tool call's id is sent once: " + chunk.encode());
                    call.id = delta.getString("id");
                }
                JsonObject function = delta.getJsonObject("function");
                if (function != null && function.getString("name") != null) {
                    call.name = function.getString("name");
                }
                if (function != null && function.getString("arguments") != null
                        && !function.getString("arguments").isEmpty()) {
                    call.arguments.append(function.getString("arguments"));
                    call.fragments++;
                }
            }
        }
        return calls;
    }

    /** Anthropic tool_use blocks by content block index, assembled from {@code input_json_delta} events. */
    private static Map<Integer, ToolCall> toolUseBlocks(List<Sse> events) {
        Map<Integer, ToolCall> blocks = new TreeMap<>();
        for (Sse event : events) {
            JsonObject json = event.json();
            if ("content_block_start".equals(event.event())
                    && "tool_use".equals(json.getJsonObject("content_block").getString("type"))) {
                ToolCall call = new ToolCall();
                call.id = json.getJsonObject("content_block").getString("id");
                call.name = json.getJsonObject("content_block").getString("name");
                assertEquals(new JsonObject(), json.getJsonObject("content_block").getJsonObject("input"));
                blocks.put(json.getInteger("index"), call);
            } else if ("content_block_delta".equals(event.event())
                    && "input_json_delta".equals(json.getJsonObject("delta").getString("type"))) {
                ToolCall call = blocks.get(json.getInteger("index"));
                assertNotNull(call, "a delta for a block that was not started: " + json.encode());
                call.arguments.append(json.getJsonObject("delta").getString("partial_json"));
                call.fragments++;
            }
        }
        return blocks;
    }

    private static JsonObject only(List<Sse> events, String name) {
        List<Sse> matching = events.stream().filter(e -> name.equals(e.event())).toList();
        assertEquals(1, matching.size(), "exactly one " + name + " event: " + events);
        return matching.get(0).json();
    }

    private static int indexOf(List<Sse> events, String name, int blockIndex) {
        for (int i = 0; i < events.size(); i++) {
            if (name.equals(events.get(i).event()) && events.get(i).json().getInteger("index") == blockIndex) {
                return i;
            }
        }
        return -1;
    }

    /** The last call was a stream, succeeded, and its usage (input from the provider, output as counted) was kept. */
    private void assertLastStreamRecorded(long outputTokens) {
        CompletedCall call = lastCall();
        assertTrue(call.stream());
        assertEquals(outputTokens, call.outcome().usage().outputTokens());
        assertTrue(call.outcome().usage().inputTokens() > 0);
        assertTrue(call.outcome().succeeded(), String.valueOf(call.outcome()));
    }

    private CompletedCall lastCall() {
        List<CompletedCall> calls = router.recentCalls();
        assertFalse(calls.isEmpty(), "no call recorded");
        return calls.get(calls.size() - 1);
    }
}
