package io.ironcage.runtime.internal.pii;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

import io.ironcage.runtime.internal.json.AnthropicEvent;
import io.ironcage.runtime.internal.json.JsonCursor;

/**
 * The texts of one streamed event, read with a {@link JsonCursor} and no tree: all a guard that only detects needs
 * (one that redacts rewrites the event, and so reads it as a tree). Texts are passed on with their {@link Channels}
 * name.
 */
final class EventTexts {

    private EventTexts() {
    }

    /**
     * Reads an OpenAI chunk: each text to {@code text} (channel, text), then the index of each choice the chunk
     * finishes to {@code finished}. Anything that is not a chunk is ignored.
     */
    static void openAi(String data, BiConsumer<String, String> text, IntConsumer finished) throws IOException {
        JsonCursor c = new JsonCursor(data);
        if (!c.enterObject()) {
            return;
        }
        while (c.nextField()) {
            if (!c.fieldIs("choices")) {
                c.skipValue();
            } else if (c.enterArray()) {
                while (c.nextElement()) {
                    if (c.enterObject()) {
                        choice(c, text, finished);
                    }
                }
            }
        }
    }

    /** One choice: its index may come after its delta, so its texts are passed on once it is read whole. */
    private static void choice(JsonCursor c, BiConsumer<String, String> text, IntConsumer finished)
            throws IOException {
        int index = 0;
        String content = null;
        List<Map.Entry<Integer, String>> calls = null; // (call index, arguments), only for tool-call deltas
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
                while (c.nextField()) {
                    if (c.fieldIs("content")) {
                        content = c.stringValue();
                    } else if (!c.fieldIs("tool_calls")) {
                        c.skipValue();
                    } else if (c.enterArray()) {
                        calls = toolCalls(c, calls == null ? new ArrayList<>(1) : calls);
                    }
                }
            }
        }
        if (content != null && !content.isEmpty()) {
            text.accept(Channels.content(index), content);
        }
        if (calls != null) {
            for (Map.Entry<Integer, String> call : calls) {
                text.accept(Channels.toolCall(index, call.getKey()), call.getValue());
            }
        }
        if (finishing) {
            finished.accept(index);
        }
    }

    /** The arguments of each tool call of a delta (the array entered), with the call's index. */
    private static List<Map.Entry<Integer, String>> toolCalls(JsonCursor c, List<Map.Entry<Integer, String>> out)
            throws IOException {
        while (c.nextElement()) {
            if (!c.enterObject()) {
                continue;
            }
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
            if (arguments != null && !arguments.isEmpty()) {
                out.add(Map.entry(index, arguments));
            }
        }
        return out;
    }

    /**
     * Reads an Anthropic event: the text of a {@code content_block_delta} to {@code text}, the index of a block a
     * {@code content_block_stop} ends to {@code stopped}.
     */
    static void anthropic(String data, BiConsumer<String, String> text, IntConsumer stopped) throws IOException {
        AnthropicEvent e = AnthropicEvent.read(data);
        if (e == null) {
            return;
        }
        int index = e.index() == -1 ? 0 : e.index(); // as the tree reading has it
        String deltaText = e.deltaText();
        if ("content_block_delta".equals(e.type()) && deltaText != null && !deltaText.isEmpty()) {
            text.accept(Channels.block(index), deltaText);
        } else if ("content_block_stop".equals(e.type())) {
            stopped.accept(index);
        }
    }
}
