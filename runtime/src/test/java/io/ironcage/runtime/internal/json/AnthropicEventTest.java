package io.ironcage.runtime.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What the PII guard, the output meter and the translation read of an Anthropic event, read once. */
class AnthropicEventTest {

    @Test
    void readsTheTypeIndexAndDeltaInAnyOrder() throws Exception {
        AnthropicEvent e = AnthropicEvent.read("{\"delta\":{\"partial_json\":\"{\\\"a\\\":\","
                + "\"type\":\"input_json_delta\"},\"index\":2,\"type\":\"content_block_delta\","
                + "\"extra\":[1,{\"text\":\"not the delta's\"}]}");
        assertEquals(new AnthropicEvent("content_block_delta", 2,
                new AnthropicEvent.Delta("input_json_delta", null, "{\"a\":", null)), e);
        assertEquals("{\"a\":", e.delta().typedText(), "the field its type names");
    }

    @Test
    void theDeltasTextIsOnlyTheFieldItsTypeNames() throws Exception {
        assertEquals("hi", typedText("{\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}"));
        assertEquals("hm", typedText("{\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}}"));
        assertNull(typedText("{\"delta\":{\"type\":\"text_delta\",\"thinking\":\"hm\"}}"));
        assertNull(typedText("{\"delta\":{\"type\":\"signature_delta\",\"signature\":\"s\"}}"));
        assertNull(typedText("{\"delta\":{\"text\":\"no type\"}}"));
    }

    private static String typedText(String data) throws Exception {
        return AnthropicEvent.read(data).delta().typedText();
    }

    @Test
    void whatIsMissingOrOfAnotherKindIsAbsent() throws Exception {
        assertEquals(new AnthropicEvent(null, -1, null),
                AnthropicEvent.read("{\"type\":7,\"index\":\"1\"}"));
        AnthropicEvent replaced = AnthropicEvent.read(
                "{\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"},\"delta\":\"y\"}");
        assertNull(replaced.delta(), "the last delta counts, as in a tree");
    }

    @Test
    void onlyOneJsonObjectIsAnEvent() throws Exception {
        assertNull(AnthropicEvent.read("[DONE]"));
        assertNull(AnthropicEvent.read("{\"type\":\"ping\"} {\"type\":\"ping\"}"));
        assertThrows(JsonCursor.MalformedJson.class, () -> AnthropicEvent.read("{\"type\":\"ping\""));
    }
}
