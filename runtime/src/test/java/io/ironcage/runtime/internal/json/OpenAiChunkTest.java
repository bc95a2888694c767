package io.ironcage.runtime.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What the PII guard and the output meter read of an OpenAI chunk, read once. */
class OpenAiChunkTest {

    @Test
    void readsEachChoicesTextsToolArgumentsAndFinish() throws Exception {
        OpenAiChunk chunk = OpenAiChunk.read("{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"a\\u00e9\","
                + "\"tool_calls\":[{\"index\":1,\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":\"}},"
                + "{\"index\":2,\"function\":{\"name\":\"g\"}}]},\"finish_reason\":null,\"index\":3},\"odd\",7,"
                + "{\"index\":1,\"delta\":{\"refusal\":\"no\",\"content\":null},\"finish_reason\":{\"odd\":1}}],"
                + "\"usage\":null}");
        assertEquals(new OpenAiChunk(List.of(
                new OpenAiChunk.Choice(3, "a\u00e9", null, List.of(new OpenAiChunk.ToolCall(1, "{\"x\":")), false),
                new OpenAiChunk.Choice(1, null, "no", List.of(), true))), chunk);
    }

    @Test
    void aChunkWithoutChoicesHasNone() throws Exception {
        assertEquals(new OpenAiChunk(List.of()), OpenAiChunk.read("{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}"));
        assertEquals(new OpenAiChunk(List.of()), OpenAiChunk.read("{\"choices\":\"none\"}"));
    }

    @Test
    void onlyOneJsonObjectIsAChunk() throws Exception {
        assertNull(OpenAiChunk.read("[DONE]"));
        assertNull(OpenAiChunk.read("{\"choices\":[]} {}"));
        assertThrows(JsonCursor.MalformedJson.class,
                () -> OpenAiChunk.read("{\"choices\":[{\"delta\":{\"content\":\"cut"));
    }
}
