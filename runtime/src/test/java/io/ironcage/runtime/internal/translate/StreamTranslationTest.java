package io.ironcage.runtime.internal.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.ironcage.runtime.internal.sse.SseParser;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Stream translation both ways. Realistic provider streams (raw SSE under {@code translate/streams/}) are replayed
 * through {@link SseParser} with random chunk splits, translated, sent over the wire format and parsed again; the
 * client-side result is reassembled by strict protocol checkers ({@link OpenAiClient}, {@link AnthropicClient}) and
 * compared with the expected result and with the provider's original tool calls. Generated streams (random tool
 * interleavings, fragment splits inside escapes and surrogate pairs) check the same properties at scale.
 */
class StreamTranslationTest {

    private static final int ITERATIONS = 300;
    private static final StreamEvent DONE = new StreamEvent(null, "[DONE]");

    // ==== fixtures ====================================================================================================

    @ParameterizedTest
    @CsvSource({ "anthropic-text,true", "anthropic-text,false", "anthropic-tools,true", "anthropic-tools,false",
            "anthropic-thinking,true", "anthropic-thinking,false", "anthropic-cut,true", "anthropic-cut,false",
            "anthropic-error,true", "anthropic-error,false" })
    void anthropicProviderStreamToOpenAiClient(String fixture, boolean includeUsage) {
        byte[] bytes = fixture(fixture + ".sse");
        JsonObject expected = AnswerTranslationTest.resource("/translate/streams/" + fixture + ".expected.json");
        if (!includeUsage) {
            expected.putNull("usage");
        }
        JsonObject request = new JsonObject().put("model", "gpt-4o").put("stream", true);
        if (includeUsage) {
            request.put("stream_options", new JsonObject().put("include_usage", true));
        }
        List<StreamEvent> reference = null;
        for (int seed = 0; seed < ITERATIONS; seed++) {
            Random random = new Random(seed * 31L + fixture.hashCode());
            List<StreamEvent> provider = parse(bytes, random);
            if (seed == 0) {
                assertEquals(provider, parse(bytes, null), "SSE parsing is split-independent");
            }
            List<StreamEvent> client = translate(new AnthropicToOpenAiStream(request), provider, random.nextBoolean());
            List<StreamEvent> received = wire(client, random);
            JsonObject view = OpenAiClient.view(received, includeUsage);
            assertEquals(expected, AnswerTranslationTest.normal(view), fixture + " seed " + seed);
            assertEquals(anthropicOriginalTools(provider), view.getJsonArray("tool_calls"), "tool calls as sent");
            if (reference == null) {
                reference = withoutCreated(client);
            } else {
                assertEquals(reference, withoutCreated(client), "same events whatever the splits");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "openai-text-usage", "openai-tools-sequential", "openai-tools-interleaved", "openai-cut",
            "openai-error", "openai-compat-quirks" })
    void openAiProviderStreamToAnthropicClient(String fixture) {
        byte[] bytes = fixture(fixture + ".sse");
        JsonObject expected = AnswerTranslationTest.resource("/translate/streams/" + fixture + ".expected.json");
        JsonObject request = new JsonObject().put("model", "claude-sonnet-4-5").put("max_tokens", 1024)
                .put("stream", true);
        List<StreamEvent> reference = null;
        for (int seed = 0; seed < ITERATIONS; seed++) {
            Random random = new Random(seed * 17L + fixture.hashCode());
            List<StreamEvent> provider = parse(bytes, random);
            List<StreamEvent> client = translate(new OpenAiToAnthropicStream(request), provider, random.nextBoolean());
            List<StreamEvent> received = wire(client, random);
            JsonObject view = AnthropicClient.view(received);
            assertEquals(expected, AnswerTranslationTest.normal(view), fixture + " seed " + seed);
            assertEquals(openAiOriginalTools(provider), toolsOf(view), "tool calls as sent");
            if (reference == null) {
                reference = client;
            } else {
                assertEquals(reference, client, "same events whatever the splits");
            }
        }
    }

    @Test
    void sequentialToolCallsStreamWithoutBuffering() {
        List<StreamEvent> provider = parse(fixture("openai-tools-sequential.sse"), null);
        OpenAiToAnthropicStream translator = new OpenAiToAnthropicStream(new JsonObject().put("model", "claude"));
        for (StreamEvent event : provider) {
            List<StreamEvent> out = new ArrayList<>();
            translator.onEvent(event, out::add);
            String fragment = openAiArgumentFragment(event);
            if (fragment != null && !fragment.isEmpty()) {
                assertEquals(1, out.size(), "one fragment in, one delta out, at once: " + event.data());
                JsonObject delta = new JsonObject(out.get(0).data()).getJsonObject("delta");
                assertEquals("input_json_delta", delta.getString("type"));
                assertEquals(fragment, delta.getString("partial_json"));
            }
        }
    }

    @Test
    void anthropicStreamTranslatesEventByEvent() {
        // each text delta gives exactly one chunk at once; nothing is held back
        List<StreamEvent> provider = parse(fixture("anthropic-tools.sse"), null);
        AnthropicToOpenAiStream translator = new AnthropicToOpenAiStream(new JsonObject());
        for (StreamEvent event : provider) {
            List<StreamEvent> out = new ArrayList<>();
            translator.onEvent(event, out::add);
            JsonObject json = new JsonObject(event.data());
            if ("content_block_delta".equals(json.getString("type"))) {
                JsonObject delta = json.getJsonObject("delta");
                String piece = delta.getString("text", delta.getString("partial_json", ""));
                assertEquals(piece.isEmpty() ? 0 : 1, out.size(), event.data());
            }
        }
    }

    // ==== end and error handling ======================================================================================

    @Test
    void openAiClientEndsExactlyOnce() {
        for (String fixture : List.of("anthropic-text", "anthropic-tools")) {
            List<StreamEvent> provider = parse(fixture(fixture + ".sse"), null);
            AnthropicToOpenAiStream translator = new AnthropicToOpenAiStream(
                    new JsonObject().put("stream_options", new JsonObject().put("include_usage", true)));
            List<StreamEvent> out = new ArrayList<>();
            provider.forEach(e -> translator.onEvent(e, out::add));
            int size = out.size();
            assertEquals(DONE, out.get(size - 1));
            translator.onEnd(out::add);
            translator.onEnd(out::add);
            translator.onError("api_error", "late", out::add);
            translator.onEvent(provider.get(provider.size() - 1), out::add);
            assertEquals(size, out.size(), "nothing after [DONE]");
            OpenAiClient.view(out, true);
        }
    }

    @Test
    void anthropicClientEndsExactlyOnce() {
        for (String fixture : List.of("openai-text-usage", "openai-tools-interleaved")) {
            List<StreamEvent> provider = parse(fixture(fixture + ".sse"), null);
            OpenAiToAnthropicStream translator = new OpenAiToAnthropicStream(new JsonObject());
            List<StreamEvent> out = new ArrayList<>();
            provider.forEach(e -> translator.onEvent(e, out::add));
            int size = out.size();
            assertEquals("message_stop", out.get(size - 1).event());
            translator.onEnd(out::add);
            translator.onEnd(out::add);
            translator.onError("api_error", "late", out::add);
            translator.onEvent(DONE, out::add);
            assertEquals(size, out.size(), "nothing after message_stop");
            AnthropicClient.view(out);
        }
    }

    @Test
    void openAiClientOnErrorMidStream() {
        List<StreamEvent> provider = parse(fixture("anthropic-tools.sse"), null);
        AnthropicToOpenAiStream translator = new AnthropicToOpenAiStream(
                new JsonObject().put("stream_options", new JsonObject().put("include_usage", true)));
        List<StreamEvent> out = new ArrayList<>();
        provider.subList(0, 12).forEach(e -> translator.onEvent(e, out::add));
        translator.onError("timeout_error", "Provider sent nothing for 30000 ms", out::add);
        translator.onEnd(out::add);
        translator.onError("api_error", "twice", out::add);
        provider.subList(12, provider.size()).forEach(e -> translator.onEvent(e, out::add));
        JsonObject view = OpenAiClient.view(out, true);
        assertEquals(new JsonObject().put("type", "timeout_error").put("message", "Provider sent nothing for 30000 ms"),
                view.getJsonObject("error"));
        assertNull(view.getValue("finish_reason"));
        assertEquals(new JsonObject(
                "{\"error\":{\"message\":\"Provider sent nothing for 30000 ms\",\"type\":\"timeout_error\","
                        + "\"param\":null,\"code\":null}}"),
                new JsonObject(out.get(out.size() - 2).data()));
    }

    @Test
    void anthropicClientOnErrorMidStream() {
        List<StreamEvent> provider = parse(fixture("openai-tools-interleaved.sse"), null);
        OpenAiToAnthropicStream translator = new OpenAiToAnthropicStream(new JsonObject());
        List<StreamEvent> out = new ArrayList<>();
        provider.subList(0, 10).forEach(e -> translator.onEvent(e, out::add));
        translator.onError("upstream_timeout", "Provider sent nothing", out::add);
        translator.onEnd(out::add);
        translator.onError("api_error", "twice", out::add);
        provider.subList(10, provider.size()).forEach(e -> translator.onEvent(e, out::add));
        JsonObject view = AnthropicClient.view(out);
        assertEquals(new JsonObject().put("type", "timeout_error").put("message", "Provider sent nothing"),
                view.getJsonObject("error"));
        StreamEvent last = out.get(out.size() - 1);
        assertEquals("error", last.event());
        assertEquals(new JsonObject("{\"type\":\"error\",\"error\":{\"type\":\"timeout_error\","
                + "\"message\":\"Provider sent nothing\"}}"), new JsonObject(last.data()));
    }

    @Test
    void onErrorBeforeAnything() {
        List<StreamEvent> openAi = new ArrayList<>();
        new AnthropicToOpenAiStream(new JsonObject()).onError("api_error", "boom", openAi::add);
        assertEquals(List.of(new StreamEvent(null, ErrorTranslation.openAiError("api_error", "boom", null, null)
                .encode()), DONE), openAi);
        List<StreamEvent> anthropic = new ArrayList<>();
        new OpenAiToAnthropicStream(new JsonObject()).onError("overloaded_error", "busy", anthropic::add);
        assertEquals(List.of(new StreamEvent("error", ErrorTranslation.anthropicError("overloaded_error", "busy")
                .encode())), anthropic);
    }

    @Test
    void emptyProviderStreamsStillEndProperly() {
        List<StreamEvent> openAi = new ArrayList<>();
        AnthropicToOpenAiStream a2o = new AnthropicToOpenAiStream(new JsonObject().put("model", "gpt-4o")
                .put("stream_options", new JsonObject().put("include_usage", true)));
        a2o.onEnd(openAi::add);
        JsonObject view = OpenAiClient.view(openAi, true);
        assertEquals("gpt-4o", view.getString("model"), "the request's model when the provider named none");
        assertEquals("stop", view.getString("finish_reason"));
        assertEquals("", view.getString("content"));
        assertTrue(view.getString("id").startsWith("chatcmpl-"));

        List<StreamEvent> anthropic = new ArrayList<>();
        OpenAiToAnthropicStream o2a = new OpenAiToAnthropicStream(new JsonObject().put("model", "claude-x"));
        o2a.onEvent(DONE, anthropic::add);
        o2a.onEnd(anthropic::add);
        JsonObject aview = AnthropicClient.view(anthropic);
        assertEquals("claude-x", aview.getString("model"));
        assertEquals("end_turn", aview.getString("stop_reason"));
        assertEquals(new JsonArray(), aview.getJsonArray("content"));
        assertTrue(aview.getString("id").startsWith("msg_"));
    }

    @Test
    void anthropicMessageStartCarriesZeroInputAndMessageDeltaTheTrueCounts() {
        List<StreamEvent> out = translate(new OpenAiToAnthropicStream(new JsonObject()),
                parse(fixture("openai-text-usage.sse"), null), false);
        JsonObject start = new JsonObject(out.get(0).data());
        assertEquals(0, start.getJsonObject("message").getJsonObject("usage").getInteger("input_tokens"));
        JsonObject delta = new JsonObject(out.get(out.size() - 2).data());
        assertEquals("message_delta", delta.getString("type"));
        assertEquals(new JsonObject().put("input_tokens", 210).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 1024).put("output_tokens", 56),
                AnswerTranslationTest.normal(delta.getJsonObject("usage")));
    }

    @Test
    void messageDeltaWaitsForTheUsageChunk() {
        List<StreamEvent> provider = parse(fixture("openai-text-usage.sse"), null);
        OpenAiToAnthropicStream translator = new OpenAiToAnthropicStream(new JsonObject());
        List<StreamEvent> out = new ArrayList<>();
        int finishAt = provider.size() - 3; // finish chunk, usage chunk, [DONE]
        provider.subList(0, finishAt + 1).forEach(e -> translator.onEvent(e, out::add));
        assertEquals("content_block_stop", out.get(out.size() - 1).event(), "finish closes the block, no more yet");
        translator.onEvent(provider.get(finishAt + 1), out::add);
        assertEquals("message_stop", out.get(out.size() - 1).event());
        assertEquals("message_delta", out.get(out.size() - 2).event());
    }

    @Test
    void includeUsageFalseMeansNoUsageAnywhere() {
        List<StreamEvent> out = translate(new AnthropicToOpenAiStream(new JsonObject()),
                parse(fixture("anthropic-text.sse"), null), true);
        for (StreamEvent e : out) {
            assertFalse(e.data().contains("usage"), e.data());
        }
    }

    @Test
    void openAiErrorChunkFirstGivesOnlyTheErrorEvent() {
        List<StreamEvent> out = new ArrayList<>();
        OpenAiToAnthropicStream translator = new OpenAiToAnthropicStream(new JsonObject());
        translator.onEvent(new StreamEvent(null, "{\"error\":{\"message\":\"Rate limit reached\","
                + "\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"), out::add);
        translator.onEnd(out::add);
        assertEquals(List.of(new StreamEvent("error", ErrorTranslation.anthropicError("rate_limit_error",
                "Rate limit reached").encode())), out);
    }

    @Test
    void anthropicToolInputGivenWholeInBlockStart() {
        List<StreamEvent> provider = List.of(
                anthropic("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_w\",\"model\":\"c\","
                        + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}"),
                anthropic("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_w\",\"name\":\"f\",\"input\":{\"a\":[1,\"é\"]}}}"),
                anthropic("{\"type\":\"content_block_stop\",\"index\":0}"),
                anthropic("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"output_tokens\":9}}"),
                anthropic("{\"type\":\"message_stop\"}"));
        JsonObject view = OpenAiClient.view(translate(new AnthropicToOpenAiStream(new JsonObject()), provider, false),
                false);
        assertEquals(new JsonArray().add(new JsonObject().put("id", "toolu_w").put("name", "f")
                .put("arguments", new JsonObject("{\"a\":[1,\"é\"]}"))), view.getJsonArray("tool_calls"));
        assertEquals("tool_calls", view.getString("finish_reason"));
    }

    @Test
    void anthropicMessageDeltaCanCarryCumulativeInputCounts() {
        List<StreamEvent> provider = List.of(
                anthropic("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_c\",\"model\":\"c\","
                        + "\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}"),
                anthropic("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                        + "\"text\":\"hi\"}}"),
                anthropic("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\","
                        + "\"stop_sequence\":\"END\"},\"usage\":{\"input_tokens\":40,\"cache_read_input_tokens\":100,"
                        + "\"output_tokens\":7}}"),
                anthropic("{\"type\":\"message_stop\"}"));
        JsonObject view = OpenAiClient.view(translate(new AnthropicToOpenAiStream(
                new JsonObject().put("stream_options", new JsonObject().put("include_usage", true))), provider, false),
                true);
        assertEquals("hi", view.getString("content"));
        assertEquals("stop", view.getString("finish_reason"));
        assertEquals(new JsonObject("{\"prompt_tokens\":140,\"completion_tokens\":7,\"total_tokens\":147,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":100}}"), view.getJsonObject("usage"));
    }

    @Test
    void legacyFunctionCallDeltas() {
        List<StreamEvent> provider = List.of(
                openAi("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                        + "\"function_call\":{\"name\":\"f\",\"arguments\":\"\"}}}]}"),
                openAi("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"function_call\":"
                        + "{\"arguments\":\"{\\\"x\\\":\"}}}]}"),
                openAi("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"function_call\":"
                        + "{\"arguments\":\"1}\"}}}]}"),
                openAi("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},"
                        + "\"finish_reason\":\"function_call\"}]}"),
                DONE);
        JsonObject view = AnthropicClient.view(translate(new OpenAiToAnthropicStream(new JsonObject()), provider,
                false));
        JsonObject block = view.getJsonArray("content").getJsonObject(0);
        assertEquals("f", block.getString("name"));
        assertEquals(new JsonObject().put("x", 1), block.getJsonObject("input"));
        assertEquals("tool_use", view.getString("stop_reason"));
    }

    @Test
    void refusalDeltasBecomeTextAndStopReasonRefusal() {
        List<StreamEvent> provider = List.of(
                openAi("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                        + "\"content\":null,\"refusal\":\"\"}}]}"),
                openAi("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"I can't\"}}]}"),
                openAi("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\" help.\"}}]}"),
                openAi("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},"
                        + "\"finish_reason\":\"stop\"}]}"),
                DONE);
        JsonObject view = AnthropicClient.view(translate(new OpenAiToAnthropicStream(new JsonObject()), provider,
                false));
        assertEquals(new JsonArray().add(new JsonObject().put("type", "text").put("text", "I can't help.")),
                view.getJsonArray("content"));
        assertEquals("refusal", view.getString("stop_reason"));
    }

    @Test
    void fragmentsForAClosedToolAreDroppedNotMisplaced() {
        // tool 0 complete, tool 1 opened, then (malformed) trailing text for tool 0: tool 1 must stay intact
        List<StreamEvent> provider = List.of(
                openAi(toolChunk(0, "call_0", "a", "{\"x\":1}")),
                openAi(toolChunk(1, "call_1", "b", "{\"y\":")),
                openAi(toolChunk(0, null, null, " ")),
                openAi(toolChunk(1, null, null, "2}")),
                openAi("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},"
                        + "\"finish_reason\":\"tool_calls\"}]}"),
                DONE);
        JsonObject view = AnthropicClient.view(translate(new OpenAiToAnthropicStream(new JsonObject()), provider,
                false));
        assertEquals(new JsonObject().put("x", 1), view.getJsonArray("content").getJsonObject(0).getJsonObject("input"));
        assertEquals(new JsonObject().put("y", 2), view.getJsonArray("content").getJsonObject(1).getJsonObject("input"));
    }

    // ==== generated streams =========================================================================================

    /** OpenAI streams with 0-4 tool calls, sequential or randomly interleaved, fragments split anywhere. */
    @Test
    void generatedOpenAiStreams() {
        for (int seed = 0; seed < 2000; seed++) {
            Random random = new Random(seed);
            boolean sequential = random.nextInt(3) == 0;
            int toolCount = random.nextInt(5);
            String text = random.nextInt(3) == 0 ? randomText(random, 1 + random.nextInt(40)) : "";
            List<String[]> tools = new ArrayList<>(); // id, name, arguments
            for (int t = 0; t < toolCount; t++) {
                JsonObject args = randomObject(random, 0);
                tools.add(new String[] { "call_" + seed + "_" + t, "tool_" + t,
                        random.nextBoolean() ? args.encode() : args.encodePrettily() });
            }
            List<StreamEvent> provider = new ArrayList<>();
            provider.add(openAi(chunk(new JsonObject().put("role", "assistant").put("content", ""), null)));
            for (String piece : split(random, text, !sequential)) {
                provider.add(openAi(chunk(new JsonObject().put("content", piece), null)));
            }
            List<List<String>> fragments = new ArrayList<>();
            for (String[] tool : tools) {
                fragments.add(new ArrayList<>(split(random, tool[2], !sequential)));
            }
            int[] next = new int[toolCount];
            int started = 0;
            while (true) {
                List<Integer> candidates = new ArrayList<>();
                for (int t = 0; t < started; t++) {
                    if (next[t] < fragments.get(t).size()) {
                        candidates.add(t);
                    }
                }
                if (sequential) {
                    int lastStarted = started - 1;
                    candidates.removeIf(t -> t < lastStarted);
                }
                boolean canStart = started < toolCount && (!sequential || candidates.isEmpty());
                if (candidates.isEmpty() && !canStart) {
                    break;
                }
                JsonArray calls = new JsonArray();
                int entries = random.nextInt(4) == 0 ? 2 : 1;
                for (int k = 0; k < entries; k++) {
                    if (canStart && (candidates.isEmpty() || random.nextInt(3) == 0)) {
                        int t = started++;
                        String first = !fragments.get(t).isEmpty() && random.nextBoolean()
                                ? fragments.get(t).get(next[t]++)
                                : "";
                        calls.add(new JsonObject().put("index", t).put("id", tools.get(t)[0]).put("type", "function")
                                .put("function", new JsonObject().put("name", tools.get(t)[1]).put("arguments", first)));
                        break;
                    }
                    if (candidates.isEmpty()) {
                        break;
                    }
                    int t = candidates.get(random.nextInt(candidates.size()));
                    calls.add(new JsonObject().put("index", t)
                            .put("function", new JsonObject().put("arguments", fragments.get(t).get(next[t]++))));
                    candidates.removeIf(c -> next[c] >= fragments.get(c).size());
                    if (sequential) {
                        break;
                    }
                }
                provider.add(openAi(chunk(new JsonObject().put("tool_calls", calls), null)));
            }
            String finish = toolCount > 0 ? (random.nextInt(4) == 0 ? "stop" : random.nextInt(6) == 0 ? "length"
                    : "tool_calls") : random.nextInt(4) == 0 ? "length" : "stop";
            int usageMode = random.nextInt(3); // 0 separate chunk, 1 in the finish chunk, 2 none
            JsonObject usage = new JsonObject().put("prompt_tokens", 100 + seed).put("completion_tokens", 7)
                    .put("total_tokens", 107 + seed).put("prompt_tokens_details", new JsonObject().put("cached_tokens", 64));
            JsonObject finishChunk = chunk(new JsonObject(), finish);
            if (usageMode == 1) {
                finishChunk.put("usage", usage);
            }
            provider.add(openAi(finishChunk));
            if (usageMode == 0) {
                provider.add(openAi(new JsonObject().put("id", "chatcmpl-gen").put("object", "chat.completion.chunk")
                        .put("created", 1).put("model", "gpt-gen").put("choices", new JsonArray()).put("usage", usage)));
            }
            if (random.nextBoolean()) {
                provider.add(DONE);
            }

            OpenAiToAnthropicStream translator = new OpenAiToAnthropicStream(new JsonObject());
            List<StreamEvent> out = new ArrayList<>();
            Map<String, StringBuilder> received = new HashMap<>();
            Map<Integer, String> blockTool = new HashMap<>();
            Map<String, StringBuilder> emitted = new HashMap<>();
            for (StreamEvent event : provider) {
                int from = out.size();
                translator.onEvent(event, out::add);
                if (!sequential) {
                    continue;
                }
                // sequential calls stream live: after each event, everything received was sent
                JsonObject json = new JsonObject(event.data().equals("[DONE]") ? "{}" : event.data());
                JsonArray choices = json.getJsonArray("choices", new JsonArray());
                if (!choices.isEmpty()) {
                    for (Object o : choices.getJsonObject(0).getJsonObject("delta").getJsonArray("tool_calls",
                            new JsonArray())) {
                        JsonObject call = (JsonObject) o;
                        String id = tools.get(call.getInteger("index"))[0];
                        received.computeIfAbsent(id, k -> new StringBuilder())
                                .append(call.getJsonObject("function").getString("arguments"));
                    }
                }
                for (StreamEvent e : out.subList(from, out.size())) {
                    JsonObject o = new JsonObject(e.data());
                    if ("content_block_start".equals(o.getString("type"))
                            && "tool_use".equals(o.getJsonObject("content_block").getString("type"))) {
                        blockTool.put(o.getInteger("index"), o.getJsonObject("content_block").getString("id"));
                    } else if ("content_block_delta".equals(o.getString("type"))
                            && blockTool.containsKey(o.getInteger("index"))) {
                        emitted.computeIfAbsent(blockTool.get(o.getInteger("index")), k -> new StringBuilder())
                                .append(o.getJsonObject("delta").getString("partial_json"));
                    }
                }
                for (Map.Entry<String, StringBuilder> r : received.entrySet()) {
                    assertEquals(r.getValue().toString(), emitted.getOrDefault(r.getKey(), new StringBuilder())
                            .toString(), "seed " + seed + ": sequential fragments are sent at once");
                }
            }
            translator.onEnd(out::add);

            JsonObject view = AnthropicClient.view(out);
            JsonArray expectedContent = new JsonArray();
            if (!text.isEmpty()) {
                expectedContent.add(new JsonObject().put("type", "text").put("text", text));
            }
            for (String[] tool : tools) {
                expectedContent.add(new JsonObject().put("type", "tool_use").put("id", tool[0]).put("name", tool[1])
                        .put("input", new JsonObject(tool[2])));
            }
            assertEquals(AnswerTranslationTest.normal(new JsonObject().put("c", expectedContent)),
                    AnswerTranslationTest.normal(new JsonObject().put("c", view.getJsonArray("content"))),
                    "seed " + seed);
            String expectedStop = "length".equals(finish) ? "max_tokens" : toolCount > 0 ? "tool_use" : "end_turn";
            assertEquals(expectedStop, view.getString("stop_reason"), "seed " + seed);
            JsonObject u = view.getJsonObject("usage");
            if (usageMode == 2) {
                assertEquals(0, u.getInteger("input_tokens"));
            } else {
                assertEquals(100 + seed - 64, u.getInteger("input_tokens"), "seed " + seed);
                assertEquals(64, u.getInteger("cache_read_input_tokens"));
                assertEquals(7, u.getInteger("output_tokens"));
            }
        }
    }

    /** Anthropic streams of random text, tool and thinking blocks, fragments split anywhere. */
    @Test
    void generatedAnthropicStreams() {
        for (int seed = 0; seed < 2000; seed++) {
            Random random = new Random(seed);
            boolean includeUsage = random.nextBoolean();
            List<StreamEvent> provider = new ArrayList<>();
            long input = random.nextInt(1000);
            long cacheRead = random.nextInt(3) == 0 ? random.nextInt(5000) : 0;
            long cacheCreation = random.nextInt(3) == 0 ? random.nextInt(5000) : 0;
            long output = 1 + random.nextInt(500);
            provider.add(anthropic(new JsonObject().put("type", "message_start").put("message", new JsonObject()
                    .put("id", "msg_gen" + seed).put("type", "message").put("role", "assistant")
                    .put("model", "claude-gen").put("content", new JsonArray()).putNull("stop_reason")
                    .put("usage", new JsonObject().put("input_tokens", input).put("cache_read_input_tokens", cacheRead)
                            .put("cache_creation_input_tokens", cacheCreation).put("output_tokens", 1)))));
            StringBuilder text = new StringBuilder();
            JsonArray tools = new JsonArray();
            int blocks = random.nextInt(6);
            for (int b = 0; b < blocks; b++) {
                int kind = random.nextInt(3);
                if (kind == 0) {
                    String t = randomText(random, 1 + random.nextInt(30));
                    text.append(t);
                    provider.add(blockStart(b, new JsonObject().put("type", "text").put("text", "")));
                    for (String piece : split(random, t, true)) {
                        provider.add(blockDelta(b, new JsonObject().put("type", "text_delta").put("text", piece)));
                        if (random.nextInt(8) == 0) {
                            provider.add(anthropic("{\"type\":\"ping\"}"));
                        }
                    }
                } else if (kind == 1) {
                    JsonObject args = randomObject(random, 0);
                    String id = "toolu_" + seed + "_" + b;
                    tools.add(new JsonObject().put("id", id).put("name", "fn" + b).put("arguments", args));
                    provider.add(blockStart(b, new JsonObject().put("type", "tool_use").put("id", id)
                            .put("name", "fn" + b).put("input", new JsonObject())));
                    if (random.nextBoolean()) {
                        provider.add(blockDelta(b, new JsonObject().put("type", "input_json_delta")
                                .put("partial_json", "")));
                    }
                    for (String piece : split(random, args.encode(), true)) {
                        provider.add(blockDelta(b, new JsonObject().put("type", "input_json_delta")
                                .put("partial_json", piece)));
                    }
                } else {
                    provider.add(blockStart(b, new JsonObject().put("type", "thinking").put("thinking", "")));
                    for (String piece : split(random, randomText(random, 20), true)) {
                        provider.add(blockDelta(b, new JsonObject().put("type", "thinking_delta")
                                .put("thinking", piece)));
                    }
                    provider.add(blockDelta(b, new JsonObject().put("type", "signature_delta")
                            .put("signature", "sig" + seed)));
                }
                provider.add(anthropic(new JsonObject().put("type", "content_block_stop").put("index", b)));
            }
            String[] reasons = { "end_turn", "max_tokens", "stop_sequence", "refusal", "pause_turn", "tool_use" };
            String stop = reasons[random.nextInt(reasons.length)];
            int ending = random.nextInt(4); // 0,1 complete; 2 no message_stop; 3 no message_delta either
            if (ending < 3) {
                provider.add(anthropic(new JsonObject().put("type", "message_delta")
                        .put("delta", new JsonObject().put("stop_reason", stop).putNull("stop_sequence"))
                        .put("usage", new JsonObject().put("output_tokens", output))));
            }
            if (ending < 2) {
                provider.add(anthropic("{\"type\":\"message_stop\"}"));
            }
            JsonObject request = new JsonObject().put("model", "gpt-4o");
            if (includeUsage) {
                request.put("stream_options", new JsonObject().put("include_usage", true));
            }
            List<StreamEvent> out = translate(new AnthropicToOpenAiStream(request), provider, true);
            JsonObject view = OpenAiClient.view(out, includeUsage);

            assertEquals(text.toString(), view.getString("content"), "seed " + seed);
            assertEquals(AnswerTranslationTest.normal(new JsonObject().put("t", tools)),
                    AnswerTranslationTest.normal(new JsonObject().put("t", view.getJsonArray("tool_calls"))),
                    "seed " + seed);
            String finish = ending == 3 ? "stop" : AnthropicToOpenAiAnswer.finishReason(stop);
            if (!tools.isEmpty() && "stop".equals(finish)) {
                finish = "tool_calls";
            }
            assertEquals(finish, view.getString("finish_reason"), "seed " + seed);
            if (includeUsage) {
                long out1 = ending == 3 ? 1 : output;
                long prompt = input + cacheRead + cacheCreation;
                JsonObject u = view.getJsonObject("usage");
                assertEquals(prompt, u.getLong("prompt_tokens"));
                assertEquals(out1, u.getLong("completion_tokens"));
                assertEquals(prompt + out1, u.getLong("total_tokens"));
                assertEquals(cacheRead, u.getJsonObject("prompt_tokens_details").getLong("cached_tokens"));
            }
        }
    }

    // ==== client-side checkers ========================================================================================

    /** Reassembles an OpenAI chunk stream as a client sees it, checking the protocol on the way. */
    static final class OpenAiClient {

        static JsonObject view(List<StreamEvent> events, boolean includeUsage) {
            assertFalse(events.isEmpty());
            assertEquals(DONE, events.get(events.size() - 1), "[DONE] last");
            assertEquals(1, events.stream().filter(DONE::equals).count(), "exactly one [DONE]");
            String id = null;
            Object created = null;
            String model = null;
            StringBuilder content = null;
            List<String[]> tools = new ArrayList<>();
            List<StringBuilder> args = new ArrayList<>();
            String finish = null;
            JsonObject usage = null;
            JsonObject error = null;
            boolean first = true;
            int last = events.size() - 2;
            for (int i = 0; i <= last; i++) {
                StreamEvent e = events.get(i);
                assertNull(e.event(), "OpenAI events have no name");
                assertWellFormed(e.data());
                JsonObject json = new JsonObject(e.data());
                if (json.containsKey("error")) {
                    assertEquals(last, i, "an error chunk is followed only by [DONE]");
                    JsonObject err = json.getJsonObject("error");
                    assertTrue(err.containsKey("param") && err.containsKey("code"));
                    error = new JsonObject().put("type", err.getString("type")).put("message",
                            err.getString("message"));
                    continue;
                }
                assertEquals("chat.completion.chunk", json.getString("object"));
                if (id == null) {
                    id = json.getString("id");
                    created = json.getValue("created");
                    model = json.getString("model");
                    assertNotNull(id);
                    assertInstanceOf(Number.class, created);
                }
                assertEquals(id, json.getString("id"), "every chunk has the same id");
                assertEquals(created, json.getValue("created"), "every chunk has the same created");
                assertEquals(model, json.getString("model"), "every chunk has the same model");
                assertEquals(includeUsage, json.containsKey("usage"), "usage field iff include_usage: " + e.data());
                JsonArray choices = json.getJsonArray("choices");
                if (choices.isEmpty()) {
                    assertTrue(includeUsage, "a usage chunk only when asked");
                    assertNull(usage, "one usage chunk");
                    assertNotNull(finish, "usage after the finish chunk");
                    assertEquals(last, i, "the usage chunk is the last before [DONE]");
                    usage = json.getJsonObject("usage");
                    assertNotNull(usage);
                    continue;
                }
                assertNull(json.getValue("usage"), "ordinary chunks say usage null");
                assertNull(finish, "nothing after the finish chunk but usage");
                assertEquals(1, choices.size());
                JsonObject choice = choices.getJsonObject(0);
                assertEquals(0, choice.getInteger("index"));
                JsonObject delta = choice.getJsonObject("delta");
                if (first) {
                    assertEquals("assistant", delta.getString("role"), "the first delta has the role");
                    first = false;
                } else {
                    assertFalse(delta.containsKey("role"));
                }
                if (delta.getValue("content") instanceof String s) {
                    content = content == null ? new StringBuilder(s) : content.append(s);
                }
                for (Object o : delta.getJsonArray("tool_calls", new JsonArray())) {
                    JsonObject call = (JsonObject) o;
                    int index = call.getInteger("index");
                    JsonObject function = call.getJsonObject("function");
                    if (index == tools.size()) {
                        assertFalse(call.getString("id", "").isEmpty(), "the first chunk of a call has its id");
                        assertEquals("function", call.getString("type"));
                        assertFalse(function.getString("name", "").isEmpty(), "and its name");
                        tools.add(new String[] { call.getString("id"), function.getString("name") });
                        args.add(new StringBuilder(function.getString("arguments")));
                    } else {
                        assertTrue(index >= 0 && index < tools.size(), "tool indexes start at 0, contiguous");
                        assertFalse(call.containsKey("id"));
                        args.get(index).append(function.getString("arguments"));
                    }
                }
                String fr = choice.getString("finish_reason");
                if (fr != null) {
                    assertEquals(new JsonObject(), delta, "the finish chunk has an empty delta");
                    finish = fr;
                }
            }
            if (error == null) {
                assertNotNull(finish, "a finish chunk");
                assertEquals(includeUsage, usage != null, "usage chunk iff include_usage");
                if (!tools.isEmpty()) {
                    assertTrue(List.of("tool_calls", "length", "content_filter").contains(finish), finish);
                }
            }
            JsonArray toolCalls = new JsonArray();
            for (int t = 0; t < tools.size(); t++) {
                String text = args.get(t).toString();
                toolCalls.add(new JsonObject().put("id", tools.get(t)[0]).put("name", tools.get(t)[1])
                        .put("arguments", error == null ? parseArguments(text) : text)); // cut by the error
            }
            return new JsonObject().put("id", id).put("model", model)
                    .put("content", content == null ? null : content.toString()).put("tool_calls", toolCalls)
                    .put("finish_reason", finish).put("usage", usage).put("error", error);
        }
    }

    /** Reassembles an Anthropic event stream as a client sees it, checking the protocol on the way. */
    static final class AnthropicClient {

        static JsonObject view(List<StreamEvent> events) {
            assertFalse(events.isEmpty());
            String id = null;
            String model = null;
            JsonObject usage = new JsonObject();
            String stop = null;
            boolean started = false;
            boolean deltaSeen = false;
            boolean stopped = false;
            JsonObject error = null;
            Integer open = null;
            JsonObject openBlock = null;
            StringBuilder current = null;
            int blockCount = 0;
            boolean tools = false;
            JsonArray content = new JsonArray();
            for (int i = 0; i < events.size(); i++) {
                StreamEvent e = events.get(i);
                assertWellFormed(e.data());
                JsonObject json = new JsonObject(e.data());
                String type = json.getString("type");
                assertEquals(type, e.event(), "event name = JSON type");
                assertFalse(stopped, "nothing after message_stop");
                assertNull(error, "nothing after error");
                switch (type) {
                    case "message_start" -> {
                        assertEquals(0, i, "message_start first");
                        started = true;
                        JsonObject message = json.getJsonObject("message");
                        assertEquals("message", message.getString("type"));
                        assertEquals("assistant", message.getString("role"));
                        assertEquals(new JsonArray(), message.getJsonArray("content"));
                        assertNull(message.getValue("stop_reason"));
                        id = message.getString("id");
                        model = message.getString("model");
                        assertNotNull(id);
                        usage = message.getJsonObject("usage").copy();
                        assertInstanceOf(Number.class, usage.getValue("input_tokens"));
                        assertInstanceOf(Number.class, usage.getValue("output_tokens"));
                    }
                    case "content_block_start" -> {
                        assertTrue(started);
                        assertFalse(deltaSeen);
                        assertNull(open, "blocks do not interleave");
                        assertEquals(blockCount, json.getInteger("index"), "block indexes increase from 0");
                        blockCount++;
                        open = json.getInteger("index");
                        openBlock = json.getJsonObject("content_block");
                        current = new StringBuilder();
                        if ("text".equals(openBlock.getString("type"))) {
                            assertEquals("", openBlock.getString("text"));
                        } else {
                            assertEquals("tool_use", openBlock.getString("type"));
                            assertFalse(openBlock.getString("id", "").isEmpty());
                            assertNotNull(openBlock.getString("name"));
                            assertEquals(new JsonObject(), openBlock.getJsonObject("input"));
                            tools = true;
                        }
                    }
                    case "content_block_delta" -> {
                        assertNotNull(open, "a delta inside a block");
                        assertEquals(open, json.getInteger("index"));
                        JsonObject delta = json.getJsonObject("delta");
                        if ("text_delta".equals(delta.getString("type"))) {
                            assertEquals("text", openBlock.getString("type"), "text_delta only in text blocks");
                            current.append(delta.getString("text"));
                        } else {
                            assertEquals("input_json_delta", delta.getString("type"));
                            assertEquals("tool_use", openBlock.getString("type"),
                                    "input_json_delta only in tool_use blocks");
                            current.append(delta.getString("partial_json"));
                        }
                    }
                    case "content_block_stop" -> {
                        assertNotNull(open);
                        assertEquals(open, json.getInteger("index"));
                        content.add(finish(openBlock, current, false));
                        open = null;
                    }
                    case "message_delta" -> {
                        assertTrue(started);
                        assertNull(open, "all blocks closed before message_delta");
                        assertFalse(deltaSeen, "one message_delta");
                        deltaSeen = true;
                        JsonObject delta = json.getJsonObject("delta");
                        stop = delta.getString("stop_reason");
                        assertNotNull(stop);
                        assertTrue(delta.containsKey("stop_sequence"));
                        JsonObject u = json.getJsonObject("usage");
                        assertInstanceOf(Number.class, u.getValue("output_tokens"), "output_tokens set");
                        for (Map.Entry<String, Object> f : u) {
                            if (f.getValue() != null) {
                                usage.put(f.getKey(), f.getValue());
                            }
                        }
                    }
                    case "message_stop" -> {
                        assertTrue(deltaSeen, "message_delta before message_stop");
                        assertEquals(events.size() - 1, i, "message_stop last");
                        stopped = true;
                    }
                    case "error" -> {
                        assertEquals(events.size() - 1, i, "error last");
                        JsonObject err = json.getJsonObject("error");
                        error = new JsonObject().put("type", err.getString("type")).put("message",
                                err.getString("message"));
                        assertNotNull(err.getString("type"));
                        assertNotNull(err.getString("message"));
                    }
                    case "ping" -> {
                    }
                    default -> fail("unexpected event " + type);
                }
            }
            if (error == null) {
                assertTrue(stopped, "message_stop");
                if (tools) {
                    assertTrue(List.of("tool_use", "max_tokens", "refusal").contains(stop), stop);
                }
            } else if (open != null) {
                content.add(finish(openBlock, current, true)); // what the client had when the error came
            }
            JsonObject u = new JsonObject();
            for (String key : List.of("input_tokens", "output_tokens", "cache_read_input_tokens",
                    "cache_creation_input_tokens")) {
                u.put(key, usage.getValue(key) instanceof Number n ? n.longValue() : 0L);
            }
            return new JsonObject().put("id", id).put("model", model).put("content", content)
                    .put("stop_reason", stop).putNull("stop_sequence").put("usage", u).put("error", error);
        }

        private static JsonObject finish(JsonObject block, StringBuilder text, boolean cut) {
            if ("text".equals(block.getString("type"))) {
                assertFalse(text.isEmpty() && !cut, "no empty text blocks");
                return new JsonObject().put("type", "text").put("text", text.toString());
            }
            return new JsonObject().put("type", "tool_use").put("id", block.getString("id"))
                    .put("name", block.getString("name"))
                    .put("input", cut ? text.toString() : parseArguments(text.toString()));
        }
    }

    /** Complete tool arguments: a JSON object ({@code ""} counts as {@code {}}, as Anthropic SDKs read it). */
    static JsonObject parseArguments(String text) {
        if (text.isEmpty()) {
            return new JsonObject();
        }
        Object value = Json.decodeValue(text);
        assertInstanceOf(JsonObject.class, value, "arguments are a JSON object: " + text);
        return (JsonObject) value;
    }

    /** No unpaired surrogate: the text survives UTF-8 encoding. */
    static void assertWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)), "broken pair in " + s);
                i++;
            } else {
                assertFalse(Character.isLowSurrogate(c), "broken pair in " + s);
            }
        }
    }

    // ==== provider-side originals ======================================================================================

    /** The tool calls an Anthropic stream carries: {id, name, arguments (parsed)} in block order. */
    static JsonArray anthropicOriginalTools(List<StreamEvent> events) {
        Map<Integer, String[]> byIndex = new LinkedHashMap<>();
        Map<Integer, StringBuilder> args = new HashMap<>();
        for (StreamEvent e : events) {
            JsonObject json = new JsonObject(e.data());
            if ("content_block_start".equals(json.getString("type"))
                    && "tool_use".equals(json.getJsonObject("content_block").getString("type"))) {
                JsonObject block = json.getJsonObject("content_block");
                byIndex.put(json.getInteger("index"), new String[] { block.getString("id"), block.getString("name") });
                args.put(json.getInteger("index"), new StringBuilder());
            } else if ("content_block_delta".equals(json.getString("type"))
                    && "input_json_delta".equals(json.getJsonObject("delta").getString("type"))) {
                args.get(json.getInteger("index")).append(json.getJsonObject("delta").getString("partial_json"));
            }
        }
        JsonArray out = new JsonArray();
        byIndex.forEach((index, tool) -> out.add(new JsonObject().put("id", tool[0]).put("name", tool[1])
                .put("arguments", parseArguments(args.get(index).toString()))));
        return out;
    }

    /** The tool calls an OpenAI stream carries, in order of first appearance (a new id at an index is a new call). */
    static JsonArray openAiOriginalTools(List<StreamEvent> events) {
        List<String[]> tools = new ArrayList<>();
        List<StringBuilder> args = new ArrayList<>();
        Map<Integer, Integer> current = new HashMap<>();
        for (StreamEvent e : events) {
            if (e.data().equals("[DONE]")) {
                continue;
            }
            JsonObject json = new JsonObject(e.data());
            JsonArray choices = json.getJsonArray("choices", new JsonArray());
            if (choices.isEmpty() || choices.getJsonObject(0).getJsonObject("delta") == null) {
                continue;
            }
            for (Object o : choices.getJsonObject(0).getJsonObject("delta").getJsonArray("tool_calls",
                    new JsonArray())) {
                JsonObject call = (JsonObject) o;
                int index = call.getInteger("index");
                String id = call.getString("id");
                JsonObject function = call.getJsonObject("function", new JsonObject());
                Integer at = current.get(index);
                if (at == null || id != null && !id.equals(tools.get(at)[0])) {
                    at = tools.size();
                    current.put(index, at);
                    tools.add(new String[] { id, function.getString("name") });
                    args.add(new StringBuilder());
                }
                args.get(at).append(function.getString("arguments", ""));
            }
        }
        JsonArray out = new JsonArray();
        for (int i = 0; i < tools.size(); i++) {
            out.add(new JsonObject().put("id", tools.get(i)[0]).put("name", tools.get(i)[1])
                    .put("arguments", parseArguments(args.get(i).toString())));
        }
        return out;
    }

    /** The tool_use blocks of an Anthropic view as {id, name, arguments}. */
    static JsonArray toolsOf(JsonObject anthropicView) {
        JsonArray out = new JsonArray();
        for (Object o : anthropicView.getJsonArray("content")) {
            JsonObject block = (JsonObject) o;
            if ("tool_use".equals(block.getString("type"))) {
                out.add(new JsonObject().put("id", block.getString("id")).put("name", block.getString("name"))
                        .put("arguments", block.getJsonObject("input")));
            }
        }
        return out;
    }

    private static String openAiArgumentFragment(StreamEvent event) {
        if (event.data().equals("[DONE]")) {
            return null;
        }
        JsonArray choices = new JsonObject(event.data()).getJsonArray("choices");
        if (choices.isEmpty()) {
            return null;
        }
        JsonArray calls = choices.getJsonObject(0).getJsonObject("delta").getJsonArray("tool_calls");
        return calls == null ? null : calls.getJsonObject(0).getJsonObject("function").getString("arguments");
    }

    // ==== plumbing ====================================================================================================

    static byte[] fixture(String name) {
        try (InputStream in = StreamTranslationTest.class.getResourceAsStream("/translate/streams/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /translate/streams/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SSE bytes fed in random chunks ({@code random} null: whole). */
    static List<StreamEvent> parse(byte[] bytes, Random random) {
        List<StreamEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        int pos = 0;
        while (pos < bytes.length) {
            int size = random == null ? bytes.length
                    : random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 8 : 200);
            int end = Math.min(bytes.length, pos + size);
            parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, pos, end)));
            pos = end;
        }
        parser.end();
        return events;
    }

    /** Runs a provider stream through a translator; {@code onEnd} is called when the provider stream ends. */
    static List<StreamEvent> translate(StreamTranslator translator, List<StreamEvent> provider, boolean endTwice) {
        List<StreamEvent> out = new ArrayList<>();
        for (StreamEvent e : provider) {
            translator.onEvent(e, out::add);
        }
        translator.onEnd(out::add);
        if (endTwice) {
            translator.onEnd(out::add);
        }
        return out;
    }

    /** The client's events after SSE encoding, random network splits and parsing: must be the same events. */
    static List<StreamEvent> wire(List<StreamEvent> events, Random random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (StreamEvent e : events) {
            bytes.writeBytes(SseParser.encode(e).getBytes());
        }
        List<StreamEvent> received = parse(bytes.toByteArray(), random);
        assertEquals(events, received, "SSE round trip");
        return received;
    }

    /**
     * Text deltas are read by a fast path (taken on the {@code event: content_block_delta} name) and everything else
     * as a tree: the client must see the same either way, odd events included.
     */
    @Test
    void textDeltasReadFastOrAsATreeGiveTheSameChunks() {
        List<StreamEvent> provider = new ArrayList<>(List.of(
                anthropic("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\"}}"),
                blockStart(0, new JsonObject().put("type", "text").put("text", "")),
                blockStart(1, new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "f")),
                new StreamEvent("content_block_delta", "{ \"index\" : 0.0 , \"type\" : \"content_block_delta\", "
                        + "\"delta\" : { \"text\" : "
                        + "\"a\\\"b\\\\c\\u0001\\n\\u00e9\\ud83c\" , \"type\" : \"text_delta\" } }"),
                new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"\\udf89 \u65e5\u00e9\"}}"),
                new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":1}\"}}"),
                // the data's type wins over the event's name
                new StreamEvent("content_block_delta", "{\"type\":\"content_block_stop\",\"index\":1}"),
                new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":\"not an object\"}"),
                new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"dropped\"}} trailing"),
                new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"broken}}"),
                new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":7}}"),
                new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"x\",\"text\":\" last\"}}"),
                // no type in the data: the event's name says what it is (kept in both readings below)
                new StreamEvent("content_block_delta", "{\"index\":0,\"delta\":{\"type\":\"text_delta\","
                        + "\"text\":\" wins\"}}"),
                anthropic("{\"type\":\"message_stop\"}")));
        List<StreamEvent> asTrees = new ArrayList<>(); // without the name, only the data's type says what it is
        for (StreamEvent e : provider) {
            boolean typed = e.data().contains("\"type\" : \"content_block_delta\"")
                    || e.data().startsWith("{\"type\":");
            asTrees.add(new StreamEvent(typed ? null : e.event(), e.data()));
        }
        JsonObject request = new JsonObject().put("model", "gpt-4o").put("stream_options",
                new JsonObject().put("include_usage", true));
        List<StreamEvent> fast = withoutCreated(translate(new AnthropicToOpenAiStream(request), provider, false));
        assertEquals(withoutCreated(translate(new AnthropicToOpenAiStream(request), asTrees, false)), fast);
        List<StreamEvent> odd = translate(new AnthropicToOpenAiStream(request), List.of(anthropic(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"m\\\"\u00e9\\u0001\",\"model\":\"a\\\\b\"}}"),
                blockStart(0, new JsonObject().put("type", "text").put("text", "t\"\u0002"))), true);
        for (StreamEvent e : odd.subList(0, odd.size() - 1)) { // [DONE] last
            assertEquals(new JsonObject(e.data()).encode(), e.data(), "written as Jackson writes it");
        }
        assertEquals("a\"b\\c\u0001\n\u00e9\ud83c\udf89 \u65e5\u00e9 last wins",
                OpenAiClient.view(fast, true).getString("content"));
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            List<StreamEvent> events = new ArrayList<>();
            events.add(anthropic("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\"}}"));
            events.add(blockStart(0, new JsonObject().put("type", "text").put("text", "")));
            for (String piece : split(random, randomText(random, 1 + random.nextInt(30)), true)) {
                events.add(blockDelta(0, new JsonObject().put("type", "text_delta").put("text", piece)));
            }
            List<StreamEvent> trees = events.stream().map(e -> new StreamEvent(null, e.data())).toList();
            assertEquals(withoutCreated(translate(new AnthropicToOpenAiStream(request), trees, false)),
                    withoutCreated(translate(new AnthropicToOpenAiStream(request), events, false)), "seed " + seed);
        }
    }

    private static List<StreamEvent> withoutCreated(List<StreamEvent> events) {
        List<StreamEvent> out = new ArrayList<>();
        for (StreamEvent e : events) {
            out.add(new StreamEvent(e.event(), e.data().replaceAll("\"created\":\\d+", "\"created\":0")));
        }
        return out;
    }

    private static StreamEvent anthropic(String json) {
        return anthropic(new JsonObject(json));
    }

    private static StreamEvent anthropic(JsonObject json) {
        return new StreamEvent(json.getString("type"), json.encode());
    }

    private static StreamEvent blockStart(int index, JsonObject block) {
        return anthropic(new JsonObject().put("type", "content_block_start").put("index", index)
                .put("content_block", block));
    }

    private static StreamEvent blockDelta(int index, JsonObject delta) {
        return anthropic(new JsonObject().put("type", "content_block_delta").put("index", index).put("delta", delta));
    }

    private static StreamEvent openAi(String json) {
        return new StreamEvent(null, json);
    }

    private static StreamEvent openAi(JsonObject json) {
        return new StreamEvent(null, json.encode());
    }

    private static JsonObject chunk(JsonObject delta, String finishReason) {
        return new JsonObject().put("id", "chatcmpl-gen").put("object", "chat.completion.chunk").put("created", 1)
                .put("model", "gpt-gen").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", delta).put("finish_reason", finishReason)));
    }

    private static String toolChunk(int index, String id, String name, String arguments) {
        JsonObject call = new JsonObject().put("index", index);
        if (id != null) {
            call.put("id", id).put("type", "function");
        }
        JsonObject function = new JsonObject().put("arguments", arguments);
        if (name != null) {
            function.put("name", name);
        }
        return chunk(new JsonObject().put("tool_calls", new JsonArray().add(call.put("function", function))), null)
                .encode();
    }

    private static final String[] ATOMS = { "a", "é", "日本", "🎉", "🌧️", "\"", "\\", "}", "]", "{", "[", "\n", " ",
            "\\u00e9", "x", "0", "\t", "ß" };

    static String randomText(Random random, int atoms) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < atoms; i++) {
            sb.append(ATOMS[random.nextInt(ATOMS.length)]);
        }
        return sb.toString();
    }

    static JsonObject randomObject(Random random, int depth) {
        JsonObject obj = new JsonObject();
        int fields = random.nextInt(depth == 0 ? 5 : 3);
        for (int i = 0; i < fields; i++) {
            obj.put(randomText(random, 1 + random.nextInt(3)) + i, randomValue(random, depth + 1));
        }
        return obj;
    }

    private static Object randomValue(Random random, int depth) {
        Supplier<Object> nested = () -> {
            JsonArray array = new JsonArray();
            for (int i = random.nextInt(3); i > 0; i--) {
                array.add(randomValue(random, depth + 1));
            }
            return array;
        };
        int kind = random.nextInt(depth > 2 ? 5 : 7);
        return switch (kind) {
            case 0 -> randomText(random, random.nextInt(8));
            case 1 -> random.nextInt(1000) - 500;
            case 2 -> random.nextBoolean();
            case 3 -> null;
            case 4 -> random.nextDouble();
            case 5 -> randomObject(random, depth);
            default -> nested.get();
        };
    }

    /**
     * {@code s} cut at random places. With {@code anywhere}, cuts may fall inside a surrogate pair (as a provider
     * escaping {@code \ud83c} and {@code \udf89} in separate events would); otherwise only between code points.
     */
    static List<String> split(Random random, String s, boolean anywhere) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < s.length()) {
            int end = Math.min(s.length(), pos + 1 + random.nextInt(random.nextBoolean() ? 3 : 12));
            if (!anywhere && end < s.length() && Character.isLowSurrogate(s.charAt(end))) {
                end++;
            }
            out.add(s.substring(pos, end));
            pos = end;
        }
        return out;
    }
}
