package io.ironcage.runtime.internal.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Whole (non-stream) answers both ways: golden vectors under {@code translate/answers/}, and the mapping tables. */
class AnswerTranslationTest {

    static JsonObject resource(String path) {
        try (InputStream in = AnswerTranslationTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same JSON with numbers normalised (a parse of its encoding), so that Integer/Long differences vanish. */
    static JsonObject normal(JsonObject json) {
        return new JsonObject(json.encode());
    }

    @ParameterizedTest
    @ValueSource(strings = { "a2o-text", "a2o-tools", "a2o-mixed", "a2o-cache", "a2o-refusal", "a2o-empty" })
    void anthropicAnswerToOpenAi(String name) {
        JsonObject in = resource("/translate/answers/" + name + ".in.json");
        JsonObject expected = resource("/translate/answers/" + name + ".out.json");
        long before = System.currentTimeMillis() / 1000;
        JsonObject actual = AnthropicToOpenAiAnswer.translate(in.copy());
        long after = System.currentTimeMillis() / 1000;
        long created = actual.getLong("created");
        assertTrue(created >= before && created <= after, "created is now: " + created);
        actual.remove("created");
        assertEquals(expected, normal(actual), name);
        // every tool call's arguments parse back to the original input
        JsonArray blocks = in.getJsonArray("content");
        JsonArray calls = actual.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getJsonArray("tool_calls", new JsonArray());
        int i = 0;
        for (Object o : blocks) {
            JsonObject block = (JsonObject) o;
            if ("tool_use".equals(block.getString("type"))) {
                JsonObject function = calls.getJsonObject(i++).getJsonObject("function");
                assertEquals(block.getJsonObject("input"), new JsonObject(function.getString("arguments")));
            }
        }
        assertEquals(calls.size(), i);
    }

    @ParameterizedTest
    @ValueSource(strings = { "o2a-text", "o2a-tools", "o2a-mixed", "o2a-cache", "o2a-refusal", "o2a-invalid-args" })
    void openAiAnswerToAnthropic(String name) {
        JsonObject in = resource("/translate/answers/" + name + ".in.json");
        JsonObject expected = resource("/translate/answers/" + name + ".out.json");
        assertEquals(expected, normal(OpenAiToAnthropicAnswer.translate(in.copy())), name);
    }

    @ParameterizedTest
    @CsvSource({ "end_turn,stop", "max_tokens,length", "stop_sequence,stop", "tool_use,tool_calls",
            "refusal,content_filter", "pause_turn,stop", "model_context_window_exceeded,length",
            "some_future_reason,stop" })
    void anthropicStopReasons(String stopReason, String finishReason) {
        JsonObject message = new JsonObject().put("id", "msg_1").put("model", "claude")
                .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "x")))
                .put("stop_reason", stopReason);
        assertEquals(finishReason, AnthropicToOpenAiAnswer.translate(message).getJsonArray("choices")
                .getJsonObject(0).getString("finish_reason"));
    }

    @ParameterizedTest
    @CsvSource({ "stop,end_turn", "length,max_tokens", "tool_calls,tool_use", "function_call,tool_use",
            "content_filter,refusal", "whatever,end_turn" })
    void openAiFinishReasons(String finishReason, String stopReason) {
        JsonObject completion = new JsonObject().put("id", "chatcmpl-1").put("model", "gpt")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", "x"))
                        .put("finish_reason", finishReason)));
        assertEquals(stopReason, OpenAiToAnthropicAnswer.translate(completion).getString("stop_reason"));
    }

    @Test
    void missingStopReasonAndUsageGiveDefaults() {
        JsonObject openAi = AnthropicToOpenAiAnswer.translate(new JsonObject());
        JsonObject choice = openAi.getJsonArray("choices").getJsonObject(0);
        assertEquals("stop", choice.getString("finish_reason"));
        assertNull(choice.getJsonObject("message").getValue("content"));
        assertEquals(0L, openAi.getJsonObject("usage").getLong("total_tokens"));

        JsonObject anthropic = OpenAiToAnthropicAnswer.translate(new JsonObject());
        assertEquals("end_turn", anthropic.getString("stop_reason"));
        assertEquals(new JsonArray(), anthropic.getJsonArray("content"));
        assertEquals(0L, anthropic.getJsonObject("usage").getLong("input_tokens"));
    }

    @Test
    void openAiToolCallsWithStopFinishSayToolUse() {
        JsonObject completion = new JsonObject().put("id", "c").put("model", "m").put("choices", new JsonArray()
                .add(new JsonObject().put("index", 0).put("finish_reason", "stop").put("message", new JsonObject()
                        .put("role", "assistant").put("tool_calls", new JsonArray().add(
                                AnthropicToOpenAiAnswer.toolCall("call_1", "f", "{\"a\":1}"))))));
        assertEquals("tool_use", OpenAiToAnthropicAnswer.translate(completion).getString("stop_reason"));
        // ...but a call cut by the length limit stays max_tokens
        completion.getJsonArray("choices").getJsonObject(0).put("finish_reason", "length");
        assertEquals("max_tokens", OpenAiToAnthropicAnswer.translate(completion).getString("stop_reason"));
    }

    @Test
    void legacyFunctionCallAndMissingToolIdsGetGeneratedIds() {
        JsonObject completion = new JsonObject().put("id", "c").put("model", "m").put("choices", new JsonArray()
                .add(new JsonObject().put("index", 0).put("finish_reason", "function_call").put("message",
                        new JsonObject().put("role", "assistant")
                                .put("tool_calls", new JsonArray().add(new JsonObject().put("type", "function")
                                        .put("function", new JsonObject().put("name", "f").put("arguments", "{}"))))
                                .put("function_call", new JsonObject().put("name", "g")
                                        .put("arguments", "{\"q\":\"x\"}")))));
        JsonArray content = OpenAiToAnthropicAnswer.translate(completion).getJsonArray("content");
        assertEquals(2, content.size());
        String id1 = content.getJsonObject(0).getString("id");
        String id2 = content.getJsonObject(1).getString("id");
        assertTrue(id1.matches("call_[A-Za-z0-9]{24}"), id1);
        assertTrue(id2.matches("call_[A-Za-z0-9]{24}"), id2);
        assertFalse(id1.equals(id2));
        assertEquals("g", content.getJsonObject(1).getString("name"));
        assertEquals(new JsonObject().put("q", "x"), content.getJsonObject(1).getJsonObject("input"));
    }

    @Test
    void openAiContentAsPartsArrayIsText() {
        JsonObject completion = new JsonObject().put("id", "c").put("model", "m").put("choices", new JsonArray()
                .add(new JsonObject().put("index", 0).put("finish_reason", "stop").put("message", new JsonObject()
                        .put("role", "assistant").put("content", new JsonArray()
                                .add(new JsonObject().put("type", "text").put("text", "a"))
                                .add(new JsonObject().put("type", "text").put("text", "b"))))));
        assertEquals("ab", OpenAiToAnthropicAnswer.translate(completion).getJsonArray("content").getJsonObject(0)
                .getString("text"));
    }

    @Test
    void roundTripKeepsTextToolsAndUsage() {
        JsonObject anthropic = resource("/translate/answers/a2o-tools.in.json");
        JsonObject back = OpenAiToAnthropicAnswer.translate(AnthropicToOpenAiAnswer.translate(anthropic.copy()));
        assertEquals(anthropic.getJsonArray("content"), normal(back).getJsonArray("content"));
        assertEquals("tool_use", back.getString("stop_reason"));
        assertEquals(normal(anthropic.getJsonObject("usage")), normal(back.getJsonObject("usage")));

        JsonObject openAi = resource("/translate/answers/o2a-mixed.in.json");
        JsonObject again = AnthropicToOpenAiAnswer.translate(OpenAiToAnthropicAnswer.translate(openAi.copy()));
        JsonObject message = again.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        JsonObject original = openAi.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertEquals(original.getString("content"), message.getString("content"));
        assertEquals(new JsonObject(original.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
                .getString("arguments")), new JsonObject(message.getJsonArray("tool_calls").getJsonObject(0)
                        .getJsonObject("function").getString("arguments")));
    }

    @Test
    void facadeRoutesToTheRightDirection() {
        Translation toAnthropic = Translation.between(Dialect.OPENAI, Dialect.ANTHROPIC, 4096);
        assertEquals("chat.completion", toAnthropic.answer(resource("/translate/answers/a2o-text.in.json"))
                .getString("object"));
        Translation toOpenAi = Translation.between(Dialect.ANTHROPIC, Dialect.OPENAI, 4096);
        assertEquals("message", toOpenAi.answer(resource("/translate/answers/o2a-text.in.json")).getString("type"));
        assertTrue(toAnthropic.stream(new JsonObject()) instanceof AnthropicToOpenAiStream);
        assertTrue(toOpenAi.stream(new JsonObject()) instanceof OpenAiToAnthropicStream);
    }
}
