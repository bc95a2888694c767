package io.ironcage.runtime.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The mock's tool calls and tool-result answers, over HTTP, in both formats, JSON and SSE. */
class MockToolAnswersTest {

    private static final String WEATHER_ARGS = "{\"city\":\"Zürich 東京\",\"days\":42,\"metric\":true,\"tags\":[],"
            + "\"opts\":{},\"unit\":\"mock-unit\",\"ratio\":42}";
    private static final String TIME_ARGS = "{\"zone\":\"mock-zone\"}";

    private static Vertx vertx;
    private static MockProvider mock;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        mock = new MockProvider(vertx, null, null).start(0).toCompletionStage().toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        mock.stop().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    // ---- OpenAI

    @Test
    void openAiJsonCallsTheFirstTool() {
        JsonObject answer = openAiJson(openAiRequest("What is the weather?"));
        JsonObject choice = answer.getJsonArray("choices").getJsonObject(0);
        JsonObject message = choice.getJsonObject("message");
        assertEquals("assistant", message.getString("role"));
        assertTrue(message.containsKey("content"));
        assertNull(message.getValue("content"));
        assertEquals(new JsonArray().add(openAiCall("call_mock_1", "get_weather", WEATHER_ARGS)),
                message.getJsonArray("tool_calls"));
        assertEquals("tool_calls", choice.getString("finish_reason"));
        assertEquals(tokens(WEATHER_ARGS), answer.getJsonObject("usage").getLong("completion_tokens"));
    }

    @Test
    void openAiJsonCallsTwoToolsForBoth() {
        JsonObject message = openAiJson(openAiRequest("Tell me both, please"))
                .getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertEquals(new JsonArray().add(openAiCall("call_mock_1", "get_weather", WEATHER_ARGS))
                .add(openAiCall("call_mock_2", "get_time", TIME_ARGS)), message.getJsonArray("tool_calls"));
    }

    @Test
    void openAiOnlyTheWordBothCountsAndParallelCanBeDisabled() {
        assertEquals(1, openAiToolCalls(openAiRequest("How bothersome")).size());
        assertEquals(1, openAiToolCalls(openAiRequest("both").put("parallel_tool_calls", false)).size());
        assertEquals(2, openAiToolCalls(openAiRequest("BOTH!")).size());
    }

    @Test
    void openAiStreamSendsToolCallsInPieces() {
        List<Sse> events = sse(false, openAiRequest("both of them").put("stream", true)
                .put("stream_options", new JsonObject().put("include_usage", true)));
        assertEquals("[DONE]", events.get(events.size() - 1).data());
        List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(e -> new JsonObject(e.data()))
                .toList();
        JsonObject roleDelta = delta(chunks.get(0));
        assertEquals("assistant", roleDelta.getString("role"));
        assertNull(roleDelta.getValue("content"));

        // tool call heads, then argument pieces of at most five chars, call after call
        Map<Integer, JsonObject> calls = new LinkedHashMap<>();
        Map<Integer, StringBuilder> arguments = new LinkedHashMap<>();
        int expectedIndex = 0;
        for (JsonObject chunk : chunks.subList(1, chunks.size() - 2)) {
            assertNull(choice(chunk).getValue("finish_reason"));
            JsonArray toolCalls = delta(chunk).getJsonArray("tool_calls");
            assertEquals(1, toolCalls.size(), chunk.encode());
            JsonObject call = toolCalls.getJsonObject(0);
            int index = call.getInteger("index");
            String piece = call.getJsonObject("function").getString("arguments");
            if (call.containsKey("id")) {
                assertEquals(expectedIndex++, index);
                assertEquals("function", call.getString("type"));
                assertEquals("", piece);
                calls.put(index, call);
                arguments.put(index, new StringBuilder());
            } else {
                assertEquals(expectedIndex - 1, index);
                assertEquals(new JsonObject().put("index", index)
                        .put("function", new JsonObject().put("arguments", piece)), call);
                assertTrue(!piece.isEmpty() && piece.length() <= 5, piece);
                arguments.get(index).append(piece);
            }
        }
        assertEquals(2, calls.size());
        assertEquals("call_mock_1", calls.get(0).getString("id"));
        assertEquals("get_weather", calls.get(0).getJsonObject("function").getString("name"));
        assertEquals(WEATHER_ARGS, arguments.get(0).toString());
        assertEquals("call_mock_2", calls.get(1).getString("id"));
        assertEquals("get_time", calls.get(1).getJsonObject("function").getString("name"));
        assertEquals(TIME_ARGS, arguments.get(1).toString());
        assertEquals(pieces(WEATHER_ARGS) + pieces(TIME_ARGS) + 2, chunks.size() - 3);

        JsonObject finish = chunks.get(chunks.size() - 2);
        assertEquals("tool_calls", choice(finish).getString("finish_reason"));
        assertEquals(new JsonObject(), delta(finish));
        JsonObject usage = chunks.get(chunks.size() - 1).getJsonObject("usage");
        assertEquals(tokens(WEATHER_ARGS) + tokens(TIME_ARGS), usage.getLong("completion_tokens"));
    }

    @Test
    void openAiToolChoiceNamesATool() {
        JsonObject request = openAiRequest("weather and both").put("tool_choice", new JsonObject()
                .put("type", "function").put("function", new JsonObject().put("name", "get_time")));
        assertEquals(new JsonArray().add(openAiCall("call_mock_1", "get_time", TIME_ARGS)), openAiToolCalls(request));
    }

    @Test
    void openAiToolChoiceNoneAnswersWithText() {
        for (Object none : List.of("none", new JsonObject().put("type", "none"))) {
            JsonObject choice = openAiJson(openAiRequest("hello there").put("tool_choice", none))
                    .getJsonArray("choices").getJsonObject(0);
            assertEquals("Mock answer to: hello there", choice.getJsonObject("message").getString("content"));
            assertFalse(choice.getJsonObject("message").containsKey("tool_calls"));
            assertEquals("stop", choice.getString("finish_reason"));
        }
    }

    @Test
    void openAiAnswersToolResultsWithText() {
        JsonObject request = openAiRequest("both")
                .put("messages", new JsonArray().add(user("both"))
                        .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls",
                                new JsonArray().add(openAiCall("call_mock_1", "get_weather", WEATHER_ARGS))
                                        .add(openAiCall("call_mock_2", "get_time", TIME_ARGS))))
                        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_mock_1")
                                .put("content", "sunny, 21 °C"))
                        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_mock_2")
                                .put("content", new JsonArray().add(textPart("12:")).add(textPart("00")))));
        String expected = "Tool result received: sunny, 21 °C | 12:00";

        JsonObject choice = openAiJson(request).getJsonArray("choices").getJsonObject(0);
        assertEquals(expected, choice.getJsonObject("message").getString("content"));
        assertFalse(choice.getJsonObject("message").containsKey("tool_calls"));
        assertEquals("stop", choice.getString("finish_reason"));

        List<Sse> events = sse(false, request.copy().put("stream", true));
        List<String> words = new ArrayList<>();
        for (Sse event : events.subList(1, events.size() - 2)) {
            words.add(delta(new JsonObject(event.data())).getString("content"));
        }
        assertEquals(List.of("Tool", " result", " received:", " sunny,", " 21", " °C", " |", " 12:00"), words);
        assertEquals("stop", choice(new JsonObject(events.get(events.size() - 2).data())).getString("finish_reason"));
    }

    @Test
    void openAiTextAnswersAreUnchanged() {
        JsonObject request = new JsonObject().put("model", "gpt-4o-mini")
                .put("messages", new JsonArray().add(user("hello there")));
        long input = inputTokens(request);
        assertEquals("{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Mock answer to: hello there\",\"refusal\":null},\"logprobs\":null,"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + input + ",\"completion_tokens\":5,"
                + "\"total_tokens\":" + (input + 5) + ",\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
                post(false, request));

        String head = "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":";
        String tail = ",\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        StringBuilder expected = new StringBuilder(head + "{\"role\":\"assistant\",\"content\":\"\"}" + tail);
        for (String word : List.of("Mock", " answer", " to:", " hello", " there")) {
            expected.append(head).append("{\"content\":\"").append(word).append("\"}").append(tail);
        }
        expected.append(head).append("{}").append(tail.replace("\"finish_reason\":null", "\"finish_reason\":\"stop\""));
        expected.append("data: [DONE]\n\n");
        assertEquals(expected.toString(), post(false, request.copy().put("stream", true)));
    }

    // ---- Anthropic

    @Test
    void anthropicJsonCallsTheFirstTool() {
        JsonObject answer = anthropicJson(anthropicRequest("What is the weather?"));
        assertEquals(new JsonArray().add(textPart("Calling get_weather."))
                .add(toolUse("toolu_mock_1", "get_weather", new JsonObject(WEATHER_ARGS))),
                answer.getJsonArray("content"));
        assertEquals("tool_use", answer.getString("stop_reason"));
        assertEquals(tokens(WEATHER_ARGS), answer.getJsonObject("usage").getLong("output_tokens"));
    }

    @Test
    void anthropicJsonCallsTwoToolsForBoth() {
        JsonObject answer = anthropicJson(anthropicRequest("Both, please"));
        assertEquals(new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Calling get_weather and get_time."))
                .add(toolUse("toolu_mock_1", "get_weather", new JsonObject(WEATHER_ARGS)))
                .add(toolUse("toolu_mock_2", "get_time", new JsonObject(TIME_ARGS))), answer.getJsonArray("content"));
        assertEquals(tokens(WEATHER_ARGS) + tokens(TIME_ARGS), answer.getJsonObject("usage").getLong("output_tokens"));

        JsonObject single = anthropicJson(anthropicRequest("both").put("tool_choice",
                new JsonObject().put("type", "auto").put("disable_parallel_tool_use", true)));
        assertEquals(2, single.getJsonArray("content").size());
    }

    @Test
    void anthropicStreamSendsToolUseBlocks() {
        List<Sse> events = sse(true, anthropicRequest("do both").put("stream", true));
        List<String> names = events.stream().map(Sse::event).toList();
        List<String> expectedNames = new ArrayList<>(List.of("message_start", "content_block_start", "ping",
                "content_block_delta", "content_block_stop"));
        for (String args : List.of(WEATHER_ARGS, TIME_ARGS)) {
            expectedNames.add("content_block_start");
            for (int i = 0; i < pieces(args); i++) {
                expectedNames.add("content_block_delta");
            }
            expectedNames.add("content_block_stop");
        }
        expectedNames.addAll(List.of("message_delta", "message_stop"));
        assertEquals(expectedNames, names);

        List<JsonObject> data = events.stream().map(e -> new JsonObject(e.data())).toList();
        assertEquals(new JsonObject().put("type", "text_delta").put("text", "Calling get_weather and get_time."),
                data.get(3).getJsonObject("delta"));
        Map<Integer, JsonObject> starts = new LinkedHashMap<>();
        Map<Integer, StringBuilder> json = reassemble(data, starts);
        assertEquals(List.of(1, 2), List.copyOf(starts.keySet()));
        assertEquals(toolUse("toolu_mock_1", "get_weather", new JsonObject()), starts.get(1));
        assertEquals(toolUse("toolu_mock_2", "get_time", new JsonObject()), starts.get(2));
        assertEquals(WEATHER_ARGS, json.get(1).toString());
        assertEquals(TIME_ARGS, json.get(2).toString());

        JsonObject messageDelta = data.get(data.size() - 2);
        assertEquals("tool_use", messageDelta.getJsonObject("delta").getString("stop_reason"));
        assertEquals(tokens(WEATHER_ARGS) + tokens(TIME_ARGS),
                messageDelta.getJsonObject("usage").getLong("output_tokens"));
    }

    @Test
    void anthropicStreamNeverSplitsASurrogatePair() {
        // {"ab😀":"mock-ab😀"}: the first five chars would end between the two halves of 😀
        JsonObject tool = new JsonObject().put("name", "emoji").put("input_schema", new JsonObject()
                .put("type", "object").put("properties", new JsonObject().put("ab😀", new JsonObject())));
        JsonObject request = anthropicRequest("go").put("tools", new JsonArray().add(tool)).put("stream", true);
        List<JsonObject> data = sse(true, request).stream().map(e -> new JsonObject(e.data())).toList();
        List<String> pieces = data.stream().filter(d -> "content_block_delta".equals(d.getString("type"))
                && d.getInteger("index") == 1).map(d -> d.getJsonObject("delta").getString("partial_json")).toList();
        assertEquals("{\"ab", pieces.get(0));
        String args = "{\"ab😀\":\"mock-ab😀\"}";
        assertEquals(args, String.join("", pieces));
        assertEquals(MockAnswers.pieces(args, 5), pieces);
        for (String piece : pieces) {
            assertTrue(piece.length() <= 5 && !Character.isHighSurrogate(piece.charAt(piece.length() - 1)), piece);
        }
    }

    @Test
    void piecesAreFiveCharsExceptAroundSurrogatePairs() {
        assertEquals(List.of("abcde", "fghij", "k"), MockAnswers.pieces("abcdefghijk", 5));
        assertEquals(List.of("abcd", "😀abc", "😀"), MockAnswers.pieces("abcd😀abc😀", 5));
        assertEquals(List.of(), MockAnswers.pieces("", 5));
    }

    @Test
    void anthropicToolChoiceNamesATool() {
        JsonObject answer = anthropicJson(anthropicRequest("both").put("tool_choice",
                new JsonObject().put("type", "tool").put("name", "get_time")));
        assertEquals(new JsonArray().add(new JsonObject().put("type", "text").put("text", "Calling get_time."))
                .add(toolUse("toolu_mock_1", "get_time", new JsonObject(TIME_ARGS))), answer.getJsonArray("content"));
    }

    @Test
    void anthropicToolChoiceNoneAnswersWithText() {
        JsonObject answer = anthropicJson(anthropicRequest("hello there")
                .put("tool_choice", new JsonObject().put("type", "none")));
        assertEquals(new JsonArray().add(textPart("Mock answer to: hello there")), answer.getJsonArray("content"));
        assertEquals("end_turn", answer.getString("stop_reason"));
        assertEquals(5, answer.getJsonObject("usage").getLong("output_tokens"));
    }

    @Test
    void anthropicAnswersToolResultsWithText() {
        JsonObject request = anthropicRequest("both").put("messages", new JsonArray().add(user("both"))
                .add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
                        .add(toolUse("toolu_mock_1", "get_weather", new JsonObject(WEATHER_ARGS)))
                        .add(toolUse("toolu_mock_2", "get_time", new JsonObject(TIME_ARGS)))))
                .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                        .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_mock_1")
                                .put("content", "sunny"))
                        .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_mock_2")
                                .put("content", new JsonArray().add(textPart("12:00")))))));
        JsonObject answer = anthropicJson(request);
        assertEquals(new JsonArray().add(new JsonObject().put("type", "text")
                .put("text", "Tool result received: sunny | 12:00")), answer.getJsonArray("content"));
        assertEquals("end_turn", answer.getString("stop_reason"));
        assertEquals(6, answer.getJsonObject("usage").getLong("output_tokens"));

        List<JsonObject> data = sse(true, request.copy().put("stream", true)).stream()
                .map(e -> new JsonObject(e.data())).toList();
        List<String> words = data.stream().filter(d -> "content_block_delta".equals(d.getString("type")))
                .map(d -> d.getJsonObject("delta").getString("text")).toList();
        assertEquals(List.of("Tool", " result", " received:", " sunny", " |", " 12:00"), words);
        assertEquals("end_turn", data.get(data.size() - 2).getJsonObject("delta").getString("stop_reason"));
    }

    @Test
    void anthropicTextAnswersAreUnchanged() {
        JsonObject request = new JsonObject().put("model", "claude-haiku-4-5").put("max_tokens", 100)
                .put("messages", new JsonArray().add(user("hello there")));
        long input = inputTokens(request);
        String usage = "{\"input_tokens\":" + input + ",\"output_tokens\":%d,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0}";
        assertEquals("{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Mock answer to: hello there\"}],"
                + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":" + usage.formatted(5) + "}",
                post(true, request));

        StringBuilder expected = new StringBuilder();
        expected.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_mock\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + usage.formatted(1) + "}}\n\n");
        expected.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        expected.append("event: ping\ndata: {\"type\":\"ping\"}\n\n");
        for (String word : List.of("Mock", " answer", " to:", " hello", " there")) {
            expected.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + word + "\"}}\n\n");
        }
        expected.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        expected.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                + "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}\n\n");
        expected.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertEquals(expected.toString(), post(true, request.copy().put("stream", true)));
    }

    // ---- fixtures

    private static JsonObject weatherSchema() {
        return new JsonObject().put("type", "object").put("properties", new JsonObject()
                .put("city", new JsonObject().put("type", "string"))
                .put("days", new JsonObject().put("type", "integer"))
                .put("metric", new JsonObject().put("type", "boolean"))
                .put("tags", new JsonObject().put("type", "array").put("items", new JsonObject()))
                .put("opts", new JsonObject().put("type", "object"))
                .put("unit", new JsonObject().put("type", new JsonArray().add("null").add("string")))
                .put("ratio", new JsonObject().put("type", "number")))
                .put("required", new JsonArray().add("city"));
    }

    private static JsonObject timeSchema() {
        return new JsonObject().put("type", "object")
                .put("properties", new JsonObject().put("zone", new JsonObject().put("type", "string")));
    }

    private static JsonObject openAiRequest(String userText) {
        JsonArray tools = new JsonArray()
                .add(new JsonObject().put("type", "function").put("function", new JsonObject()
                        .put("name", "get_weather").put("description", "Weather").put("parameters", weatherSchema())))
                .add(new JsonObject().put("type", "function").put("function", new JsonObject()
                        .put("name", "get_time").put("parameters", timeSchema())));
        return new JsonObject().put("model", "gpt-4o-mini").put("messages", new JsonArray().add(user(userText)))
                .put("tools", tools);
    }

    private static JsonObject anthropicRequest(String userText) {
        JsonArray tools = new JsonArray()
                .add(new JsonObject().put("name", "get_weather").put("description", "Weather")
                        .put("input_schema", weatherSchema()))
                .add(new JsonObject().put("name", "get_time").put("input_schema", timeSchema()));
        return new JsonObject().put("model", "claude-haiku-4-5").put("max_tokens", 100)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
                        .put("content", new JsonArray().add(textPart(userText)))))
                .put("tools", tools);
    }

    private static JsonObject user(String text) {
        return new JsonObject().put("role", "user").put("content", text);
    }

    private static JsonObject textPart(String text) {
        return new JsonObject().put("type", "text").put("text", text);
    }

    private static JsonObject openAiCall(String id, String name, String arguments) {
        return new JsonObject().put("id", id).put("type", "function")
                .put("function", new JsonObject().put("name", name).put("arguments", arguments));
    }

    private static JsonObject toolUse(String id, String name, JsonObject input) {
        return new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input);
    }

    /** Argument pieces of a string without surrogate pairs. */
    private static int pieces(String arguments) {
        return (arguments.length() + 4) / 5;
    }

    /** Output tokens of one tool call: its argument pieces plus one. */
    private static long tokens(String arguments) {
        return pieces(arguments) + 1;
    }

    private static long inputTokens(JsonObject request) {
        return Math.max(1, request.getJsonArray("messages").encode().length() / 4);
    }

    // ---- reading answers

    private static Map<Integer, StringBuilder> reassemble(List<JsonObject> data, Map<Integer, JsonObject> starts) {
        Map<Integer, StringBuilder> json = new LinkedHashMap<>();
        for (JsonObject d : data) {
            if ("content_block_start".equals(d.getString("type"))
                    && "tool_use".equals(d.getJsonObject("content_block").getString("type"))) {
                starts.put(d.getInteger("index"), d.getJsonObject("content_block"));
                json.put(d.getInteger("index"), new StringBuilder());
            } else if ("content_block_delta".equals(d.getString("type"))
                    && "input_json_delta".equals(d.getJsonObject("delta").getString("type"))) {
                String piece = d.getJsonObject("delta").getString("partial_json");
                assertTrue(!piece.isEmpty() && piece.length() <= 5, piece);
                json.get(d.getInteger("index")).append(piece);
            }
        }
        return json;
    }

    private static JsonObject choice(JsonObject chunk) {
        return chunk.getJsonArray("choices").getJsonObject(0);
    }

    private static JsonObject delta(JsonObject chunk) {
        return choice(chunk).getJsonObject("delta");
    }

    private static JsonArray openAiToolCalls(JsonObject request) {
        return openAiJson(request).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getJsonArray("tool_calls");
    }

    private static JsonObject openAiJson(JsonObject request) {
        return new JsonObject(post(false, request));
    }

    private static JsonObject anthropicJson(JsonObject request) {
        return new JsonObject(post(true, request));
    }

    private record Sse(String event, String data) {
    }

    private static List<Sse> sse(boolean anthropic, JsonObject request) {
        List<Sse> events = new ArrayList<>();
        for (String block : post(anthropic, request).split("\n\n")) {
            String event = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            events.add(new Sse(event, data));
        }
        return events;
    }

    private static String post(boolean anthropic, JsonObject request) {
        HttpRequest http = HttpRequest.newBuilder(URI.create(mock.baseUrl()
                + (anthropic ? "/v1/messages" : "/v1/chat/completions")))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.encode())).build();
        try {
            HttpResponse<String> response = HTTP.send(http, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
