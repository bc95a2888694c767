package io.ironcage.runtime.internal.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.spi.ChunkDecision;
import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.PiiMatch;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A guard that only detects reads events without a tree; it must report what the redacting guard (which reads them
 * as trees) reports, in both dialects, with values split across events, several choices and tool calls.
 */
class PiiStreamGuardTest {

    private static final PiiScanner SCANNER = new PiiScanner(BuiltInDetectors.all());

    private static List<String> detections(Dialect dialect, boolean redact, List<StreamEvent> events) {
        List<String> found = new ArrayList<>();
        PiiStreamGuard guard = new PiiStreamGuard(SCANNER, redact, false, dialect, m -> found.add(m.toString()));
        for (StreamEvent e : events) {
            ChunkDecision d = guard.onEvent(e);
            if (!redact) {
                assertEquals(ChunkDecision.pass(), d, "detecting never changes an event");
            }
        }
        return found.stream().sorted().toList();
    }

    private static StreamEvent openAi(int choice, String content, String toolArgs, String finish) {
        JsonObject delta = new JsonObject();
        if (content != null) {
            delta.put("content", content);
        }
        if (toolArgs != null) {
            delta.put("tool_calls", new JsonArray().add(new JsonObject().put("index", 0).put("id", "call_1")
                    .put("function", new JsonObject().put("name", "lookup").put("arguments", toolArgs))));
        }
        // the index after the delta on purpose: a reader must not rely on the order of fields
        JsonObject c = new JsonObject().put("delta", delta).put("finish_reason", finish).put("index", choice);
        return new StreamEvent(null, new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("choices", new JsonArray().add(c)).encode());
    }

    private static StreamEvent anthropic(String type, int index, String deltaType, String field, String text) {
        JsonObject e = new JsonObject().put("type", type).put("index", index);
        if (deltaType != null) {
            e.put("delta", new JsonObject().put("type", deltaType).put(field, text));
        }
        return new StreamEvent(type, e.encode());
    }

    @Test
    void openAiDetectionsAreTheRedactingGuardsOnes() {
        List<StreamEvent> events = List.of(
                openAi(0, "Write to jane.d", null, null),
                openAi(1, "Card 4111 1111 ", null, null),
                openAi(0, "oe@example.com or call +1 (555) 123-", null, null),
                openAi(1, "1111 1111 and SSN 123-45-6789", null, null),
                openAi(0, "4567 today.", "{\"ip\":\"192.168.", null),
                openAi(0, null, "1.10\"}", null),
                openAi(0, "", null, "stop"),
                openAi(1, "", null, "length"),
                new StreamEvent(null, "[DONE]"));
        List<String> redacting = detections(Dialect.OPENAI, true, events);
        assertEquals(5, redacting.size(), redacting.toString());
        assertEquals(redacting, detections(Dialect.OPENAI, false, events));
    }

    @Test
    void anthropicDetectionsAreTheRedactingGuardsOnes() {
        List<StreamEvent> events = List.of(
                new StreamEvent("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\"}}"),
                anthropic("content_block_start", 0, null, null, null),
                anthropic("content_block_delta", 0, "thinking_delta", "thinking", "mail jane@exa"),
                anthropic("content_block_delta", 0, "thinking_delta", "thinking", "mple.com"),
                anthropic("content_block_stop", 0, null, null, null),
                anthropic("content_block_delta", 1, "text_delta", "text", "IBAN DE89 3704 0044 05"),
                anthropic("content_block_delta", 1, "text_delta", "text", "32 0130 00, key sk-proj-Ab3dEf6hIj9kLm2"),
                anthropic("content_block_delta", 1, "text_delta", "text", "nOp5qRs8tUv1wXy4z"),
                anthropic("content_block_stop", 1, null, null, null),
                anthropic("content_block_delta", 2, "input_json_delta", "partial_json", "{\"ssn\":\"123-45-678"),
                anthropic("content_block_delta", 2, "input_json_delta", "partial_json", "9\"}"),
                anthropic("content_block_stop", 2, null, null, null),
                new StreamEvent("message_stop", "{\"type\":\"message_stop\"}"));
        List<String> redacting = detections(Dialect.ANTHROPIC, true, events);
        assertEquals(4, redacting.size(), redacting.toString());
        assertEquals(redacting, detections(Dialect.ANTHROPIC, false, events));
    }

    /** A refusal is model-written text too, and can echo what the user sent. */
    @Test
    void openAiRefusalsAreScannedAndRedactedLikeContent() {
        List<StreamEvent> events = List.of(
                refusal("I can't look up 123-4"),
                refusal("5-6789 or mail jane@exa"),
                refusal("mple.com."),
                openAi(0, null, null, "stop"),
                new StreamEvent(null, "[DONE]"));
        List<String> detecting = detections(Dialect.OPENAI, false, events);
        assertEquals(2, detecting.size(), detecting.toString());
        assertEquals(detecting, detections(Dialect.OPENAI, true, events));

        PiiStreamGuard guard = new PiiStreamGuard(SCANNER, true, false, Dialect.OPENAI, m -> { });
        StringBuilder seen = new StringBuilder();
        for (StreamEvent e : events) {
            ChunkDecision d = guard.onEvent(e);
            StreamEvent out = d instanceof ChunkDecision.Replace r ? r.event() : e;
            if (!out.data().startsWith("[DONE]")) {
                JsonObject delta = new JsonObject(out.data()).getJsonArray("choices").getJsonObject(0)
                        .getJsonObject("delta");
                seen.append(delta.getString("refusal", ""));
            }
        }
        assertEquals("I can't look up [REDACTED_SSN] or mail [REDACTED_EMAIL].", seen.toString());
    }

    private static StreamEvent refusal(String text) {
        return new StreamEvent(null, new JsonObject().put("choices", new JsonArray().add(new JsonObject()
                .put("index", 0).put("delta", new JsonObject().put("refusal", text)).putNull("finish_reason")))
                .encode());
    }

    @Test
    void escapesBlanksAndUnusualFieldsAreReadAsAJsonParserReadsThem() {
        List<StreamEvent> events = List.of(
                // blanks between tokens, an escaped name, a value split by escapes
                new StreamEvent(null, "{ \"choices\" : [ { \"delta\" : { \"con\\u0074ent\" : "
                        + "\"mail jane\\u002ed\\u0040example.com\\n\" } , \"index\" : 0 } ] }"),
                // a finish_reason that is not null finishes the choice, whatever its type
                new StreamEvent(null, "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":2,"
                        + "\"function\":{\"arguments\":\"{\\\"ssn\\\":\\\"123-45-6789\\\"}\"}}]},"
                        + "\"finish_reason\":{\"odd\":true}}]}"));
        List<String> detecting = detections(Dialect.OPENAI, false, events);
        assertEquals(2, detecting.size(), detecting.toString());
        assertEquals(detections(Dialect.OPENAI, true, events), detecting);
    }

    @Test
    void eventsWithoutTextOrNotJsonPassUnscanned() {
        List<StreamEvent> events = List.of(new StreamEvent(null, "not json"), new StreamEvent("ping", "{}"),
                new StreamEvent(null, "{\"choices\":[]}"));
        assertEquals(List.of(), detections(Dialect.OPENAI, false, events));
        assertEquals(List.of(), detections(Dialect.ANTHROPIC, false, events));
    }
}
