package io.ironcage.runtime.internal.pii;

import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

import io.ironcage.runtime.internal.json.AnthropicEvent;
import io.ironcage.runtime.internal.json.OpenAiChunk;

/**
 * The texts of one streamed event, read without a tree ({@link OpenAiChunk}, {@link AnthropicEvent}): all a guard
 * that only detects needs (one that redacts rewrites the event, and so reads it as a tree). Texts are passed on with
 * their {@link Channels} name.
 */
final class EventTexts {

    private EventTexts() {
    }

    /**
     * Reads an OpenAI chunk: each text to {@code text} (channel, text), then the index of each choice the chunk
     * finishes to {@code finished}. Anything that is not a chunk is ignored.
     */
    static void openAi(String data, BiConsumer<String, String> text, IntConsumer finished) throws IOException {
        OpenAiChunk chunk = OpenAiChunk.read(data);
        if (chunk == null) {
            return;
        }
        for (OpenAiChunk.Choice choice : chunk.choices()) {
            if (choice.content() != null && !choice.content().isEmpty()) {
                text.accept(Channels.content(choice.index()), choice.content());
            }
            if (choice.refusal() != null && !choice.refusal().isEmpty()) {
                text.accept(Channels.refusal(choice.index()), choice.refusal());
            }
            for (OpenAiChunk.ToolCall call : choice.toolCalls()) {
                if (!call.arguments().isEmpty()) {
                    text.accept(Channels.toolCall(choice.index(), call.index()), call.arguments());
                }
            }
            if (choice.finishing()) {
                finished.accept(choice.index());
            }
        }
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
        String deltaText = e.delta() == null ? null : e.delta().typedText();
        if ("content_block_delta".equals(e.type()) && deltaText != null && !deltaText.isEmpty()) {
            text.accept(Channels.block(index), deltaText);
        } else if ("content_block_stop".equals(e.type())) {
            stopped.accept(index);
        }
    }
}
