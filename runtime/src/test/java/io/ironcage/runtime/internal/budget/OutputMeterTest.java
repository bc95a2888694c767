package io.ironcage.runtime.internal.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;

/** What a streamed event adds to the metered output: the generated text of its deltas, in either dialect, only. */
class OutputMeterTest {

    @Test
    void openAiCountsContentRefusalsAndToolArgumentsOfEveryChoice() {
        assertEquals(5, openAi("{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"Hello\"},\"finish_reason\":null}]}"));
        assertEquals(3 + 7, openAi("{\"choices\":[{\"delta\":{\"content\":\"abc\"}},{\"index\":1,"
                + "\"delta\":{\"refusal\":\"I can't\"}}]}"));
        assertEquals(7 + 2, openAi("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\"\"}},"
                + "{\"function\":{\"arguments\":\"{}\"}}]}}]}"));
        assertEquals(3, openAi("{\"choices\":[{\"delta\":{\"content\":\"\\u00e9t\\u00e9\"}}]}"), "chars, not bytes");
    }

    @Test
    void openAiEventsWithoutGeneratedTextAddNothing() {
        assertEquals(0, openAi("{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12}}"));
        assertEquals(0, openAi("{\"choices\":[{\"delta\":{\"content\":null},\"finish_reason\":\"stop\"}]}"));
        assertEquals(0, openAi("{\"choices\":[{\"delta\":{\"content\":42}},\"odd\",7]}"));
        assertEquals(0, openAi("{\"content\":\"not in a choice\"}"));
        assertEquals(0, openAi("[DONE]"));
        assertEquals(0, openAi(""));
        assertEquals(0, openAi("{\"choices\":[{\"delta\":{\"content\":\"cut"));
        assertEquals(0, openAi("{\"choices\":[{\"delta\":{\"content\":\"cut\"}}"), "cut after a choice");
    }

    @Test
    void anthropicCountsTextToolInputAndThinkingOfContentBlockDeltas() {
        assertEquals(5, anthropic("{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"));
        assertEquals(7, anthropic("{\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                + "\"partial_json\":\"{\\\"a\\\":1}\"},\"type\":\"content_block_delta\"}"), "type after delta");
        assertEquals(6, anthropic("{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"thinking_delta\","
                + "\"thinking\":\"Let me\"}}"));
    }

    @Test
    void anthropicOtherEventsAddNothing() {
        assertEquals(0, anthropic("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"text\":\"not generated\"},\"usage\":{\"output_tokens\":12}}"));
        assertEquals(0, anthropic("{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        assertEquals(0, anthropic("{\"type\":\"ping\"}"));
        assertEquals(0, anthropic("{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"signature_delta\","
                + "\"signature\":\"abc\"}}"));
    }

    @Test
    void tokensAreFourCharactersEachRoundedUp() {
        OutputMeter meter = new OutputMeter();
        assertEquals(0, meter.tokens());
        meter.add(5);
        assertEquals(2, meter.tokens());
        assertEquals(3, meter.tokensWith(4));
    }

    private static long openAi(String data) {
        return OutputMeter.charsOf(Dialect.OPENAI, new StreamEvent(null, data));
    }

    private static long anthropic(String data) {
        return OutputMeter.charsOf(Dialect.ANTHROPIC, new StreamEvent("content_block_delta", data));
    }
}
