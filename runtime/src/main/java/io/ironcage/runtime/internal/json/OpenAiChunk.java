package io.ironcage.runtime.internal.json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the router reads of an OpenAI {@code chat.completion.chunk}, with a {@link JsonCursor} and no tree: the
 * generated text of each choice's delta and whether the choice finishes. One reading serves the PII guard and the
 * output meter.
 *
 * @param choices the chunk's choices that are objects, in order (none when it has none)
 */
public record OpenAiChunk(List<Choice> choices) {

    /**
     * One choice of a chunk.
     *
     * @param index its {@code index} (0 when absent or not an integer)
     * @param content the delta's {@code content}, or {@code null} when absent or not a string (likewise refusal)
     * @param refusal the delta's {@code refusal}
     * @param toolCalls the delta's tool calls that carry {@code function.arguments}, in order
     * @param finishing whether its {@code finish_reason} is there and not {@code null}
     */
    public record Choice(int index, String content, String refusal, List<ToolCall> toolCalls, boolean finishing) {
    }

    /**
     * One tool call of a delta.
     *
     * @param index its {@code index} (0 when absent or not an integer)
     * @param arguments its {@code function.arguments}
     */
    public record ToolCall(int index, String arguments) {
    }

    /**
     * Reads a chunk's data; {@code null} when it is not one JSON object ({@code [DONE]}, say, or something after it).
     *
     * @throws JsonCursor.MalformedJson when it is broken JSON
     */
    public static OpenAiChunk read(String data) throws IOException {
        JsonCursor c = new JsonCursor(data);
        if (!c.nextIsObject()) {
            return null;
        }
        c.enterObject();
        List<Choice> choices = List.of();
        while (c.nextField()) {
            if (!c.fieldIs("choices")) {
                c.skipValue();
            } else if (c.enterArray()) {
                choices = new ArrayList<>(1);
                while (c.nextElement()) {
                    if (c.enterObject()) {
                        choices.add(choice(c));
                    }
                }
            }
        }
        return c.atEnd() ? new OpenAiChunk(choices) : null;
    }

    /** The choice object the cursor entered, read to its end (its index may come after its delta). */
    private static Choice choice(JsonCursor c) throws IOException {
        int index = 0;
        String[] texts = { null, null }; // content, refusal
        List<ToolCall> calls = List.of();
        boolean finishing = false;
        while (c.nextField()) {
            if (c.fieldIs("index")) {
                index = c.intValue(0);
            } else if (c.fieldIs("finish_reason")) {
                finishing = !c.isNull();
                if (finishing) {
                    c.skipValue();
                }
            } else if (!c.fieldIs("delta")) {
                c.skipValue();
            } else if (c.enterObject()) {
                calls = delta(c, texts);
            }
        }
        return new Choice(index, texts[0], texts[1], calls, finishing);
    }

    /** The delta object the cursor entered: its content and refusal into {@code texts}, its tool calls returned. */
    private static List<ToolCall> delta(JsonCursor c, String[] texts) throws IOException {
        List<ToolCall> calls = List.of();
        while (c.nextField()) {
            if (c.fieldIs("content")) {
                texts[0] = c.stringValue();
            } else if (c.fieldIs("refusal")) {
                texts[1] = c.stringValue();
            } else if (!c.fieldIs("tool_calls")) {
                c.skipValue();
            } else if (c.enterArray()) {
                calls = new ArrayList<>(1);
                while (c.nextElement()) {
                    if (c.enterObject()) {
                        toolCall(c, calls);
                    }
                }
            }
        }
        return calls;
    }

    /** The tool call object the cursor entered: added to {@code calls} when it carries arguments. */
    private static void toolCall(JsonCursor c, List<ToolCall> calls) throws IOException {
        int index = 0;
        String arguments = null;
        while (c.nextField()) {
            if (c.fieldIs("index")) {
                index = c.intValue(0);
            } else if (!c.fieldIs("function")) {
                c.skipValue();
            } else if (c.enterObject()) {
                while (c.nextField()) {
                    if (c.fieldIs("arguments")) {
                        arguments = c.stringValue();
                    } else {
                        c.skipValue();
                    }
                }
            }
        }
        if (arguments != null) {
            calls.add(new ToolCall(index, arguments));
        }
    }
}
