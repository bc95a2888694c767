package io.ironcage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;

import io.ironcage.runtime.CompletedCall;
import io.ironcage.runtime.spi.Dialect;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The official SDKs across dialects: the OpenAI Java SDK talking to a Claude model and the Anthropic Java SDK talking
 * to a GPT model, through the router, with text, streams and two-turn tool calls; and what the provider received.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class TranslatedSdkTest extends RouterTestBase {

    private static final String CLAUDE = "claude-sonnet-4-5";
    private static final String GPT = "gpt-4o-mini";
    private static final String PROMPT = "Hello from the SDK";
    /** "Mock answer to: Hello from the SDK" is seven words: seven output tokens. */
    private static final long ANSWER_TOKENS = 7;
    private static final String TOOL_RESULT = "18 degrees and sunny";
    private static final JsonObject CITY_ARGS = new JsonObject().put("city", "Zürich 東京");

    // ---- clients and requests

    private OpenAIClient openAiClient() {
        return OpenAIOkHttpClient.builder().baseUrl(router.baseUrl()).apiKey(router.apiKey()).maxRetries(0).build();
    }

    private OpenAIClient openAiClient(String header, String value) {
        return OpenAIOkHttpClient.builder().baseUrl(router.baseUrl()).apiKey(router.apiKey()).maxRetries(0)
                .putHeader(header, value).putHeader("x-mock-error-message", "Slow down").build();
    }

    private AnthropicClient anthropicClient() {
        return AnthropicOkHttpClient.builder().baseUrl(router.rootUrl()).apiKey(router.apiKey()).maxRetries(0)
                .build();
    }

    private AnthropicClient anthropicClient(String header, String value) {
        return AnthropicOkHttpClient.builder().baseUrl(router.rootUrl()).apiKey(router.apiKey()).maxRetries(0)
                .putHeader(header, value).putHeader("x-mock-error-message", "Slow down").build();
    }

    private static ChatCompletionFunctionTool openAiTool(String name, Map<String, Object> properties) {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name(name)
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(properties)).build())
                .build()).build();
    }

    private static final ChatCompletionFunctionTool OPENAI_WEATHER = openAiTool("get_weather",
            Map.of("city", Map.of("type", "string")));
    private static final ChatCompletionFunctionTool OPENAI_TIME = openAiTool("get_time",
            Map.of("timezone", Map.of("type", "string")));

    private static Tool anthropicTool(String name, Map<String, Object> properties) {
        Tool.InputSchema.Properties.Builder schemaProperties = Tool.InputSchema.Properties.builder();
        properties.forEach((key, value) -> schemaProperties.putAdditionalProperty(key,
                com.anthropic.core.JsonValue.from(value)));
        return Tool.builder().name(name)
                .inputSchema(Tool.InputSchema.builder().properties(schemaProperties.build()).build()).build();
    }

    private static final Tool ANTHROPIC_WEATHER = anthropicTool("get_weather", Map.of("city", Map.of("type", "string")));

    private static ChatCompletionCreateParams.Builder chatWithClaude(String userText) {
        return ChatCompletionCreateParams.builder().model(CLAUDE).addUserMessage(userText);
    }

    private static MessageCreateParams.Builder messagesToGpt(String userText) {
        return MessageCreateParams.builder().model(GPT).maxTokens(64).addUserMessage(userText);
    }

    // ==== OpenAI SDK -> Claude ======================================================================================

    @Test
    void openAiSdkGetsClaudeTextAsAChatCompletion() {
        ChatCompletion completion = openAiClient().chat().completions().create(chatWithClaude(PROMPT).build());
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertEquals("Mock answer to: " + PROMPT, choice.message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason());
        assertEquals(ANSWER_TOKENS, completion.usage().orElseThrow().completionTokens());
        assertTrue(completion.usage().orElseThrow().promptTokens() > 0);

        assertReachedAnthropic();
        JsonObject sent = new JsonObject(mock.lastBody());
        assertEquals(4096, sent.getInteger("max_tokens"), "the default max_tokens when the client set none");
        assertEquals(PROMPT, sent.getJsonArray("messages").getJsonObject(0).getString("content"));
        assertUsage(Dialect.OPENAI, "anthropic", ANSWER_TOKENS);
    }

    @Test
    void openAiSdkStreamsClaudeText() {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (var stream = openAiClient().chat().completions().createStreaming(chatWithClaude(PROMPT).build())) {
            stream.stream().peek(accumulator::accumulate).forEach(chunk -> chunk.choices().forEach(c -> {
                c.delta().content().ifPresent(text::append);
                c.finishReason().ifPresent(finishes::add);
            }));
        }
        assertEquals("Mock answer to: " + PROMPT, text.toString());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), finishes);
        assertEquals("Mock answer to: " + PROMPT,
                accumulator.chatCompletion().choices().get(0).message().content().orElseThrow());
        assertReachedAnthropic();
        assertEquals(Boolean.TRUE, new JsonObject(mock.lastBody()).getBoolean("stream"));
        assertUsage(Dialect.OPENAI, "anthropic", ANSWER_TOKENS);
    }

    @Test
    void openAiSdkStreamFromClaudeReportsUsageWhenAsked() {
        List<Long> completionTokens = new ArrayList<>();
        try (var stream = openAiClient().chat().completions().createStreaming(chatWithClaude(PROMPT)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> chunk.usage().ifPresent(u -> {
                assertTrue(chunk.choices().isEmpty(), "the usage chunk has no choices");
                completionTokens.add(u.completionTokens());
            }));
        }
        assertEquals(List.of(ANSWER_TOKENS), completionTokens);
    }

    @Test
    void openAiSdkToolCallWithClaudeOverTwoTurns() {
        OpenAIClient client = openAiClient();
        ChatCompletionCreateParams first = chatWithClaude("What is the weather in the city?").addTool(OPENAI_WEATHER)
                .build();
        ChatCompletion completion = client.chat().completions().create(first);
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        List<ChatCompletionMessageFunctionToolCall> calls = functionCalls(choice.message());
        assertEquals(1, calls.size());
        assertEquals("toolu_mock_1", calls.get(0).id());
        assertEquals("get_weather", calls.get(0).function().name());
        assertEquals(CITY_ARGS, new JsonObject(calls.get(0).function().arguments()));

        assertReachedAnthropic();
        JsonObject sent = new JsonObject(mock.lastBody());
        assertEquals(4096, sent.getInteger("max_tokens"));
        JsonObject tool = sent.getJsonArray("tools").getJsonObject(0);
        assertEquals("get_weather", tool.getString("name"));
        assertEquals("string", tool.getJsonObject("input_schema").getJsonObject("properties").getJsonObject("city")
                .getString("type"));
        assertUsage(Dialect.OPENAI, "anthropic", 5); // 4 argument pieces + 1

        ChatCompletion second = client.chat().completions().create(first.toBuilder()
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(0).id()).content(TOOL_RESULT)
                        .build())
                .build());
        assertEquals("Tool result received: " + TOOL_RESULT, second.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, second.choices().get(0).finishReason());
        assertTrue(functionCalls(second.choices().get(0).message()).isEmpty());
        assertSecondTurnReachedAnthropicAsToolResult();
        assertUsage(Dialect.OPENAI, "anthropic", 7); // "Tool result received: 18 degrees and sunny": 7 words
    }

    @Test
    void openAiSdkStreamingToolCallWithClaudeOverTwoTurns() {
        OpenAIClient client = openAiClient();
        ChatCompletionCreateParams first = chatWithClaude("What is the weather in the city?").addTool(OPENAI_WEATHER)
                .build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        Map<Long, StringBuilder> arguments = new TreeMap<>();
        Map<Long, String> ids = new TreeMap<>();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        try (var stream = client.chat().completions().createStreaming(first)) {
            stream.stream().peek(accumulator::accumulate).forEach(chunk -> chunk.choices().forEach(c -> {
                c.finishReason().ifPresent(finishes::add);
                c.delta().toolCalls().ifPresent(deltas -> deltas.forEach(d -> {
                    d.id().ifPresent(id -> ids.put(d.index(), id));
                    d.function().flatMap(f -> f.arguments())
                            .ifPresent(a -> arguments.computeIfAbsent(d.index(), i -> new StringBuilder()).append(a));
                }));
            }));
        }
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS), finishes);
        assertEquals(Map.of(0L, "toolu_mock_1"), ids);
        assertEquals(CITY_ARGS, new JsonObject(arguments.get(0L).toString()), "arguments assembled from deltas");
        ChatCompletionMessage assembled = accumulator.chatCompletion().choices().get(0).message();
        List<ChatCompletionMessageFunctionToolCall> calls = functionCalls(assembled);
        assertEquals(1, calls.size());
        assertEquals("toolu_mock_1", calls.get(0).id());
        assertEquals("get_weather", calls.get(0).function().name());
        assertEquals(CITY_ARGS, new JsonObject(calls.get(0).function().arguments()));
        assertReachedAnthropic();
        assertUsage(Dialect.OPENAI, "anthropic", 5);

        StringBuilder text = new StringBuilder();
        try (var stream = client.chat().completions().createStreaming(first.toBuilder()
                .addMessage(assembled)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("toolu_mock_1").content(TOOL_RESULT)
                        .build())
                .build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }
        assertEquals("Tool result received: " + TOOL_RESULT, text.toString());
        assertSecondTurnReachedAnthropicAsToolResult();
    }

    @Test
    void openAiSdkGetsTwoToolCallsFromClaudeWithIndexes0And1() {
        ChatCompletionCreateParams params = chatWithClaude("Use both tools").addTool(OPENAI_WEATHER)
                .addTool(OPENAI_TIME).build();
        List<ChatCompletionMessageFunctionToolCall> calls = functionCalls(
                openAiClient().chat().completions().create(params).choices().get(0).message());
        assertEquals(List.of("toolu_mock_1", "toolu_mock_2"), calls.stream().map(c -> c.id()).toList());
        assertEquals(List.of("get_weather", "get_time"), calls.stream().map(c -> c.function().name()).toList());
        assertEquals(new JsonObject().put("timezone", "mock-timezone"), new JsonObject(calls.get(1).function()
                .arguments()));

        Map<Long, String> idsByIndex = new TreeMap<>();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (var stream = openAiClient().chat().completions().createStreaming(params)) {
            stream.stream().peek(accumulator::accumulate).forEach(chunk -> chunk.choices().forEach(
                    c -> c.delta().toolCalls().ifPresent(deltas -> deltas.forEach(
                            d -> d.id().ifPresent(id -> idsByIndex.put(d.index(), id))))));
        }
        assertEquals(Map.of(0L, "toolu_mock_1", 1L, "toolu_mock_2"), idsByIndex);
        List<ChatCompletionMessageFunctionToolCall> streamed = functionCalls(
                accumulator.chatCompletion().choices().get(0).message());
        assertEquals(CITY_ARGS, new JsonObject(streamed.get(0).function().arguments()));
        assertEquals(new JsonObject().put("timezone", "mock-timezone"),
                new JsonObject(streamed.get(1).function().arguments()));
    }

    @Test
    void openAiSdkSeesClaudesRateLimitAsARateLimitException() {
        com.openai.errors.RateLimitException e = assertThrows(com.openai.errors.RateLimitException.class,
                () -> openAiClient("x-mock-status", "429").chat().completions().create(chatWithClaude(PROMPT).build()));
        assertEquals(429, e.statusCode());
        assertTrue(e.getMessage().contains("Slow down"), e.getMessage());
        assertEquals("/v1/messages", mock.last().get("path"));
    }

    @Test
    void openAiSdkGetsABadRequestNamingNForClaude() {
        com.openai.errors.BadRequestException e = assertThrows(com.openai.errors.BadRequestException.class,
                () -> openAiClient().chat().completions().create(chatWithClaude(PROMPT).n(2).build()));
        assertEquals("n", e.param().orElseThrow());
        assertEquals(0, mock.count());
    }

    // ==== Anthropic SDK -> GPT ======================================================================================

    @Test
    void anthropicSdkGetsGptTextAsAMessage() {
        Message message = anthropicClient().messages().create(messagesToGpt(PROMPT).build());
        assertEquals("Mock answer to: " + PROMPT, message.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        assertEquals(ANSWER_TOKENS, message.usage().outputTokens());
        assertTrue(message.usage().inputTokens() > 0);

        assertReachedOpenAi();
        JsonObject sent = new JsonObject(mock.lastBody());
        assertEquals(64, sent.getInteger("max_completion_tokens"));
        assertFalse(sent.containsKey("stream_options"));
        assertUsage(Dialect.ANTHROPIC, "openai", ANSWER_TOKENS);
    }

    @Test
    void anthropicSdkStreamsGptText() {
        StringBuilder text = new StringBuilder();
        MessageAccumulator accumulator = MessageAccumulator.create();
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropicClient().messages()
                .createStreaming(messagesToGpt(PROMPT).build())) {
            stream.stream().peek(accumulator::accumulate).peek(events::add).forEach(event -> event.contentBlockDelta()
                    .ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text()))));
        }
        assertEquals("Mock answer to: " + PROMPT, text.toString());
        assertTrue(events.get(0).isMessageStart());
        assertTrue(events.get(events.size() - 1).isMessageStop());
        Message message = accumulator.message();
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        assertEquals(ANSWER_TOKENS, message.usage().outputTokens());
        assertTrue(message.usage().inputTokens() > 0, "input tokens arrive with message_delta");

        assertReachedOpenAi();
        assertEquals(Boolean.TRUE, new JsonObject(mock.lastBody()).getJsonObject("stream_options")
                .getBoolean("include_usage"));
        assertUsage(Dialect.ANTHROPIC, "openai", ANSWER_TOKENS);
    }

    @Test
    void anthropicSdkToolUseWithGptOverTwoTurns() {
        AnthropicClient client = anthropicClient();
        MessageCreateParams first = messagesToGpt("What is the weather in the city?").addTool(ANTHROPIC_WEATHER)
                .build();
        Message message = client.messages().create(first);
        assertEquals(StopReason.TOOL_USE, message.stopReason().orElseThrow());
        List<ToolUseBlock> toolUses = toolUses(message);
        assertEquals(1, toolUses.size());
        assertEquals("call_mock_1", toolUses.get(0).id());
        assertEquals("get_weather", toolUses.get(0).name());
        assertEquals(CITY_ARGS.getMap(), toolUses.get(0)._input().convert(Map.class));

        assertReachedOpenAi();
        JsonObject sent = new JsonObject(mock.lastBody());
        JsonObject tool = sent.getJsonArray("tools").getJsonObject(0);
        assertEquals("function", tool.getString("type"));
        assertEquals("get_weather", tool.getJsonObject("function").getString("name"));
        assertEquals("string", tool.getJsonObject("function").getJsonObject("parameters").getJsonObject("properties")
                .getJsonObject("city").getString("type"));
        assertUsage(Dialect.ANTHROPIC, "openai", 5);

        Message second = client.messages().create(first.toBuilder().addMessage(message)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam
                        .builder().toolUseId(toolUses.get(0).id()).content(TOOL_RESULT).build())))
                .build());
        assertEquals("Tool result received: " + TOOL_RESULT, second.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, second.stopReason().orElseThrow());
        assertSecondTurnReachedOpenAiAsToolMessage();
    }

    @Test
    void anthropicSdkStreamingToolUseWithGptOverTwoTurns() {
        AnthropicClient client = anthropicClient();
        MessageCreateParams first = messagesToGpt("What is the weather in the city?").addTool(ANTHROPIC_WEATHER)
                .build();
        MessageAccumulator accumulator = MessageAccumulator.create();
        StringBuilder partialJson = new StringBuilder();
        List<String> startedToolIds = new ArrayList<>();
        List<StopReason> stops = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(first)) {
            stream.stream().peek(accumulator::accumulate).forEach(event -> {
                event.contentBlockStart().flatMap(s -> s.contentBlock().toolUse())
                        .ifPresent(t -> startedToolIds.add(t.id()));
                event.contentBlockDelta().flatMap(d -> d.delta().inputJson())
                        .ifPresent(j -> partialJson.append(j.partialJson()));
                event.messageDelta().flatMap(d -> d.delta().stopReason()).ifPresent(stops::add);
            });
        }
        assertEquals(List.of("call_mock_1"), startedToolIds);
        assertEquals(List.of(StopReason.TOOL_USE), stops);
        assertEquals(CITY_ARGS, new JsonObject(partialJson.toString()), "input assembled from input_json_delta");
        Message message = accumulator.message();
        List<ToolUseBlock> toolUses = toolUses(message);
        assertEquals(1, toolUses.size());
        assertEquals("get_weather", toolUses.get(0).name());
        assertEquals(CITY_ARGS.getMap(), toolUses.get(0)._input().convert(Map.class));
        assertEquals(5, message.usage().outputTokens());
        assertReachedOpenAi();
        assertUsage(Dialect.ANTHROPIC, "openai", 5);

        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(first.toBuilder()
                .addMessage(message)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam
                        .builder().toolUseId("call_mock_1").content(TOOL_RESULT).build())))
                .build())) {
            stream.stream().forEach(event -> event.contentBlockDelta()
                    .ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text()))));
        }
        assertEquals("Tool result received: " + TOOL_RESULT, text.toString());
        assertSecondTurnReachedOpenAiAsToolMessage();
    }

    @Test
    void anthropicSdkSeesGptsRateLimitAsARateLimitException() {
        com.anthropic.errors.RateLimitException e = assertThrows(com.anthropic.errors.RateLimitException.class,
                () -> anthropicClient("x-mock-status", "429").messages().create(messagesToGpt(PROMPT).build()));
        assertEquals(429, e.statusCode());
        assertTrue(e.getMessage().contains("Slow down"), e.getMessage());
        assertEquals("/v1/chat/completions", mock.last().get("path"));
    }

    // ==== assertions on what the provider received ==================================================================

    private void assertReachedAnthropic() {
        assertEquals("/v1/messages", mock.last().get("path"));
        Map<String, String> headers = mock.lastHeaders();
        assertEquals(MockProviderResource.ANTHROPIC_KEY, headers.get("x-api-key"));
        assertTrue(headers.containsKey("anthropic-version"), headers.toString());
        assertNull(headers.get("authorization"), "no OpenAI auth header (it held the IC token)");
        assertFalse(headers.containsValue(TOKEN) || headers.containsValue("Bearer " + TOKEN), "IC token leaked");
    }

    private void assertReachedOpenAi() {
        assertEquals("/v1/chat/completions", mock.last().get("path"));
        Map<String, String> headers = mock.lastHeaders();
        assertEquals("Bearer " + MockProviderResource.OPENAI_KEY, headers.get("authorization"));
        assertNull(headers.get("anthropic-version"), "the SDK's anthropic-version must not reach OpenAI");
        assertNull(headers.get("anthropic-beta"));
        assertNull(headers.get("x-api-key"), "no Anthropic auth header (it held the IC token)");
        JsonObject sent = new JsonObject(mock.lastBody());
        assertTrue(sent.containsKey("max_completion_tokens"), sent.encode());
        assertFalse(sent.containsKey("max_tokens"), sent.encode());
    }

    /** Turns: user, assistant (text + tool_use), user holding the tool_result for toolu_mock_1. */
    private void assertSecondTurnReachedAnthropicAsToolResult() {
        assertReachedAnthropic();
        JsonArray messages = new JsonObject(mock.lastBody()).getJsonArray("messages");
        assertEquals(3, messages.size(), messages.encode());
        JsonObject assistant = messages.getJsonObject(1);
        assertEquals("assistant", assistant.getString("role"));
        JsonObject toolUse = assistant.getJsonArray("content").stream().map(JsonObject.class::cast)
                .filter(b -> "tool_use".equals(b.getString("type"))).findFirst().orElseThrow();
        assertEquals("toolu_mock_1", toolUse.getString("id"));
        assertEquals("get_weather", toolUse.getString("name"));
        assertEquals(CITY_ARGS, toolUse.getJsonObject("input"));
        JsonObject user = messages.getJsonObject(2);
        assertEquals("user", user.getString("role"));
        JsonObject result = user.getJsonArray("content").getJsonObject(0);
        assertEquals("tool_result", result.getString("type"));
        assertEquals("toolu_mock_1", result.getString("tool_use_id"));
        assertEquals(TOOL_RESULT, result.getValue("content"));
        assertTrue(new JsonObject(mock.lastBody()).containsKey("tools"), "tools are declared again");
    }

    /** Messages: user, assistant with tool_calls[call_mock_1], tool message for call_mock_1. */
    private void assertSecondTurnReachedOpenAiAsToolMessage() {
        assertReachedOpenAi();
        JsonArray messages = new JsonObject(mock.lastBody()).getJsonArray("messages");
        assertEquals(3, messages.size(), messages.encode());
        JsonObject assistant = messages.getJsonObject(1);
        assertEquals("assistant", assistant.getString("role"));
        JsonObject call = assistant.getJsonArray("tool_calls").getJsonObject(0);
        assertEquals("call_mock_1", call.getString("id"));
        assertEquals("function", call.getString("type"));
        assertEquals("get_weather", call.getJsonObject("function").getString("name"));
        assertEquals(CITY_ARGS, new JsonObject(call.getJsonObject("function").getString("arguments")));
        JsonObject tool = messages.getJsonObject(2);
        assertEquals("tool", tool.getString("role"));
        assertEquals("call_mock_1", tool.getString("tool_call_id"));
        assertEquals(TOOL_RESULT, tool.getString("content"));
    }

    private void assertUsage(Dialect dialect, String provider, long outputTokens) {
        List<CompletedCall> calls = router.recentCalls();
        CompletedCall call = calls.get(calls.size() - 1);
        assertEquals(dialect, call.dialect());
        assertEquals(provider, call.provider());
        assertEquals(200, call.outcome().status());
        assertTrue(call.outcome().usageReported());
        assertEquals(outputTokens, call.outcome().usage().outputTokens());
        assertTrue(call.outcome().usage().inputTokens() > 0, call.outcome().usage().toString());
    }

    // ---- SDK helpers

    private static List<ChatCompletionMessageFunctionToolCall> functionCalls(ChatCompletionMessage message) {
        return message.toolCalls().orElse(List.of()).stream().map(c -> c.asFunction()).toList();
    }

    private static List<ToolUseBlock> toolUses(Message message) {
        return message.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse).toList();
    }
}
