package io.ironcage.runtime.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertEquals(new AnthropicEvent("content_block_delta", 2, true, "input_json_delta", null, "{\"a\":", null), e);
        assertEquals("{\"a\":", e.deltaText(), "the field its type names");
    }

    @Test
    void theDeltasTextIsOnlyTheFieldItsTypeNames() throws Exception {
        assertEquals("hi", AnthropicEvent.read("{\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}").deltaText());
        assertEquals("hm", AnthropicEvent.read("{\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}}")
                .deltaText());
        assertNull(AnthropicEvent.read("{\"delta\":{\"type\":\"text_delta\",\"thinking\":\"hm\"}}").deltaText());
        assertNull(AnthropicEvent.read("{\"delta\":{\"type\":\"signature_delta\",\"signature\":\"s\"}}").deltaText());
        assertNull(AnthropicEvent.read("{\"delta\":{\"text\":\"no type\"}}").deltaText());
    }

    @Test
    void whatIsMissingOrOfAnotherKindIsAbsent() throws Exception {
        assertEquals(new AnthropicEvent(null, -1, false, null, null, null, null),
                AnthropicEvent.read("{\"type\":7,\"index\":\"1\"}"));
        AnthropicEvent replaced = AnthropicEvent.read(
                "{\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"},\"delta\":\"y\"}");
        assertFalse(replaced.deltaIsObject(), "the last delta counts, as in a tree");
        assertNull(replaced.deltaText());
    }

    @Test
    void onlyOneJsonObjectIsAnEvent() throws Exception {
        assertNull(AnthropicEvent.read("[DONE]"));
        assertNull(AnthropicEvent.read("{\"type\":\"ping\"} {\"type\":\"ping\"}"));
        assertThrows(JsonCursor.MalformedJson.class, () -> AnthropicEvent.read("{\"type\":\"ping\""));
    }
}
