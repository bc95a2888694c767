package io.ironcage.runtime.internal.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.internal.sse.SseFixtures;
import io.ironcage.runtime.internal.sse.SseParser;
import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;
import io.ironcage.runtime.spi.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

class UsageReaderTest {

    // ---- whole answers -------------------------------------------------------------------------------------------

    @Test
    void onlyTheTopLevelUsageOfAnAnswerIsRead() throws Exception {
        String openAi = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"usage: {\\\"usage\\\":1}\"}}],"
                + "\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":7,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":10}},\"system_fingerprint\":null}";
        assertEquals(new Usage(20, 7, 10, 0), UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer(openAi)));
        String anthropic = "{\"content\":[{\"type\":\"text\",\"text\":\"h\u00e9\u65e5\"}],\"usage\":{\"input_tokens\":5,"
                + "\"output_tokens\":2,\"cache_read_input_tokens\":3,\"cache_creation_input_tokens\":4}}";
        assertEquals(new Usage(5, 2, 3, 4), UsageReader.fromAnswer(Dialect.ANTHROPIC, Buffer.buffer(anthropic)));
        assertNull(UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer("{\"choices\":[]}")));
        assertNull(UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer("not json")));
        assertNull(UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer("{\"usage\":null}")));
    }

    @Test
    void openAiAnswerSeparatesCachedFromUncachedInput() throws Exception {
        Buffer answer = Buffer.buffer("""
                {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                          "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
                          "completion_tokens_details":{"reasoning_tokens":64}}}
                """);
        Usage usage = UsageReader.fromAnswer(Dialect.OPENAI, answer);
        assertEquals(new Usage(86, 300, 1920, 0), usage);
        assertEquals(2006, usage.totalInputTokens());
    }

    @Test
    void openAiAnswerWithoutCacheDetails() throws Exception {
        assertEquals(new Usage(10, 5, 0, 0), UsageReader.fromAnswer(Dialect.OPENAI,
                Buffer.buffer("{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}")));
        assertEquals(new Usage(10, 5, 0, 0), UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer(
                "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"prompt_tokens_details\":null}}")));
        assertEquals(new Usage(10, 5, 0, 0), UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer(
                "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":null}}}")));
    }

    @Test
    void openAiCachedNeverDrivesInputBelowZero() throws Exception {
        Usage usage = UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer(
                "{\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":1,\"prompt_tokens_details\":{\"cached_tokens\":150}}}"));
        assertEquals(0, usage.inputTokens());
        assertEquals(150, usage.cacheReadTokens());
    }

    @Test
    void openAiNullMissingOrNonNumericCountsAreZero() throws Exception {
        assertEquals(Usage.NONE, UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer(
                "{\"usage\":{\"prompt_tokens\":null,\"completion_tokens\":\"12\"}}")));
        assertEquals(Usage.NONE, UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer("{\"usage\":{}}")));
        assertEquals(new Usage(7, 3, 0, 0), UsageReader.fromAnswer(Dialect.OPENAI, Buffer.buffer(
                "{\"usage\":{\"prompt_tokens\":7.0,\"completion_tokens\":3}}")));
    }

    @Test
    void anthropicAnswerReadsAllFourCounts() throws Exception {
        Buffer answer = Buffer.buffer("""
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
                 "content":[{"type":"text","text":"héllo"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":21,"cache_creation_input_tokens":188086,"cache_read_input_tokens":5,
                          "output_tokens":393,"service_tier":"standard"}}
                """);
        Usage usage = UsageReader.fromAnswer(Dialect.ANTHROPIC, answer);
        assertEquals(new Usage(21, 393, 5, 188086), usage);
        assertEquals(21 + 5 + 188086, usage.totalInputTokens());
    }

    @Test
    void anthropicNullCountsAreZero() throws Exception {
        assertEquals(new Usage(12, 4, 0, 0), UsageReader.fromAnswer(Dialect.ANTHROPIC, Buffer.buffer(
                "{\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":null,"
                        + "\"cache_read_input_tokens\":null,\"output_tokens\":4}}")));
        assertEquals(Usage.NONE, UsageReader.fromAnswer(Dialect.ANTHROPIC, Buffer.buffer(
                "{\"usage\":{\"input_tokens\":null,\"output_tokens\":null}}")));
    }

    @Test
    void eachDialectReadsOnlyItsOwnFieldNames() throws Exception {
        Buffer openAiShaped = Buffer.buffer("{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
        Buffer anthropicShaped = Buffer.buffer("{\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}");
        assertEquals(Usage.NONE, UsageReader.fromAnswer(Dialect.ANTHROPIC, openAiShaped));
        assertEquals(Usage.NONE, UsageReader.fromAnswer(Dialect.OPENAI, anthropicShaped));
    }

    @Test
    void answerWithoutUsageGivesNull() throws Exception {
        for (Dialect d : Dialect.values()) {
            assertNull(UsageReader.fromAnswer(d, Buffer.buffer("{\"id\":\"x\"}")));
            assertNull(UsageReader.fromAnswer(d, Buffer.buffer("{\"id\":\"x\",\"usage\":null}")));
            // an error body
            assertNull(UsageReader.fromAnswer(d, Buffer.buffer("{\"error\":{\"message\":\"bad\"}}")));
        }
    }

    @Test
    void usageThatIsNotAnObjectCarriesNothing() throws Exception {
        for (Dialect d : Dialect.values()) {
            assertNull(UsageReader.fromAnswer(d, Buffer.buffer("{\"usage\":5}")));
            assertNull(UsageReader.fromAnswer(d, Buffer.buffer("{\"usage\":[{\"prompt_tokens\":1}]}")));
        }
        assertNull(UsageReader.fromEvent(Dialect.OPENAI, new StreamEvent(null, "{\"usage\":\"n/a\"}")));
    }

    /** Exchange logs these and goes on without usage: a broken usage object must fail, not read as zero. */
    @Test
    void brokenUsageFailsWithAnIOException() {
        assertThrows(IOException.class, () -> UsageReader.fromAnswer(Dialect.OPENAI,
                Buffer.buffer("{\"usage\":{\"prompt_tokens\":,\"completion_tokens\":1}}")));
        assertThrows(IOException.class, () -> UsageReader.fromAnswer(Dialect.OPENAI,
                Buffer.buffer("{\"usage\":{\"prompt_tokens\":1")));
        assertThrows(IOException.class, () -> UsageReader.fromEvent(Dialect.OPENAI,
                new StreamEvent(null, "{\"choices\":[],\"usage\":{\"prompt_tokens\" 1}}")));
    }

    // ---- stream events -------------------------------------------------------------------------------------------

    @Test
    void anthropicMessageStartCarriesInputAndCacheCounts() throws Exception {
        StreamEvent e = new StreamEvent("message_start", """
                {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],
                 "usage":{"input_tokens":25,"cache_creation_input_tokens":512,"cache_read_input_tokens":2048,"output_tokens":1}}}
                """);
        assertEquals(new Usage(25, 1, 2048, 512), UsageReader.fromEvent(Dialect.ANTHROPIC, e));
    }

    @Test
    void anthropicMessageDeltaCarriesOutputCount() throws Exception {
        StreamEvent e = new StreamEvent("message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}");
        assertEquals(new Usage(0, 15, 0, 0), UsageReader.fromEvent(Dialect.ANTHROPIC, e));
    }

    @Test
    void anthropicTypeFieldWinsOverEventNameAndEventNameIsTheFallback() throws Exception {
        String start = "{\"message\":{\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}";
        // no "type" in the data: the event: name decides
        assertEquals(new Usage(3, 1, 0, 0), UsageReader.fromEvent(Dialect.ANTHROPIC,
                new StreamEvent("message_start", start)));
        // no event: name either: nothing
        assertNull(UsageReader.fromEvent(Dialect.ANTHROPIC, new StreamEvent(null, start)));
        // "type" present: it decides, whatever the event: name says
        String delta = "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":9}}";
        assertEquals(new Usage(0, 9, 0, 0), UsageReader.fromEvent(Dialect.ANTHROPIC,
                new StreamEvent("content_block_delta", delta)));
    }

    @Test
    void anthropicEventsWithoutUsageGiveNull() throws Exception {
        for (String data : List.of(
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"ping\"}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"usage\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"message_stop\"}",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}",
                "{\"type\":\"message_start\"}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}",
                // usage in an event that is not message_start / message_delta is not read
                "{\"type\":\"content_block_stop\",\"usage\":{\"output_tokens\":99}}")) {
            String type = new JsonObject(data).getString("type");
            assertNull(UsageReader.fromEvent(Dialect.ANTHROPIC, new StreamEvent(type, data)), data);
        }
    }

    @Test
    void openAiUsageChunk() throws Exception {
        String data = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":1234,\"completion_tokens\":56,\"total_tokens\":1290,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1024}}}";
        assertEquals(new Usage(210, 56, 1024, 0),
                UsageReader.fromEvent(Dialect.OPENAI, new StreamEvent(null, data)));
    }

    @Test
    void openAiContentChunksGiveNull() throws Exception {
        for (String data : List.of(
                "{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],\"usage\":null}",
                "{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}")) {
            assertNull(UsageReader.fromEvent(Dialect.OPENAI, new StreamEvent(null, data)));
        }
    }

    @Test
    void mayCarryUsageLooksForTheQuotedKey() {
        assertTrue(UsageReader.mayCarryUsage("{\"usage\":{\"prompt_tokens\":1}}"));
        assertFalse(UsageReader.mayCarryUsage("{\"choices\":[],\"usage\":null}"), "null carries nothing");
        assertFalse(UsageReader.mayCarryUsage("{\"choices\":[], \"usage\" : null}"));
        assertTrue(UsageReader.mayCarryUsage("{\"a\":{\"usage\":null},\"usage\":{\"prompt_tokens\":1}}"));
        assertFalse(UsageReader.mayCarryUsage("{\"type\":\"ping\"}"));
        assertFalse(UsageReader.mayCarryUsage("{\"text\":\"usage without quotes\"}"));
        assertFalse(UsageReader.mayCarryUsage("[DONE]"));
    }

    // ---- merging, over whole fixture streams -----------------------------------------------------------------------

    @Test
    void updatedByReplacesOnlyNonZeroFields() {
        Usage start = new Usage(25, 1, 2048, 512);
        assertEquals(new Usage(25, 15, 2048, 512), start.updatedBy(new Usage(0, 15, 0, 0)));
        assertEquals(start, start.updatedBy(Usage.NONE));
        assertEquals(start, Usage.NONE.updatedBy(start));
        assertEquals(new Usage(30, 15, 2048, 7), start.updatedBy(new Usage(30, 15, 0, 7)));
    }

    @Test
    void anthropicStreamUsageMergesStartAndDelta() throws Exception {
        assertEquals(new Usage(25, 15, 2048, 512), streamUsage(Dialect.ANTHROPIC, SseFixtures.ANTHROPIC));
        // null cache counts in message_start
        assertEquals(new Usage(12, 7, 0, 0), streamUsage(Dialect.ANTHROPIC, SseFixtures.ANTHROPIC_CRLF));
    }

    @Test
    void openAiStreamUsageComesFromTheUsageChunk() throws Exception {
        assertEquals(new Usage(210, 56, 1024, 0), streamUsage(Dialect.OPENAI, SseFixtures.OPENAI));
    }

    /** What the router does with a stream: parse, skip non-JSON events, merge successive usages. */
    private static Usage streamUsage(Dialect dialect, String fixture) throws IOException {
        List<StreamEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        parser.feed(Buffer.buffer(SseFixtures.bytes(fixture)));
        parser.end();
        Usage total = Usage.NONE;
        int carrying = 0;
        for (StreamEvent e : events) {
            if (!e.data().startsWith("{") || !UsageReader.mayCarryUsage(e.data())) {
                continue;
            }
            Usage u = UsageReader.fromEvent(dialect, e);
            if (u != null) {
                carrying++;
                total = total.updatedBy(u);
            }
        }
        assertEquals(dialect == Dialect.ANTHROPIC ? 2 : 1, carrying, "events carrying usage in " + fixture);
        return total;
    }
}
