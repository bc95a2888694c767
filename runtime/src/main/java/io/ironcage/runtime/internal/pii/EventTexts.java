package io.ironcage.runtime.internal.pii;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.ironcage.runtime.internal.json.StreamingJson;

/**
 * The texts of one streamed event, read with a streaming parser and no tree: all a guard that only detects needs
 * (one that redacts rewrites the event, and so reads it as a tree). Texts are passed on with their {@link Channels}
 * name.
 */
final class EventTexts {

    private static final JsonFactory JSON = StreamingJson.FACTORY;

    private EventTexts() {
    }

    /**
     * Reads an OpenAI chunk: each text to {@code text} (channel, text), then the index of each choice the chunk
     * finishes to {@code finished}. Anything that is not a chunk is ignored.
     */
    static void openAi(String data, BiConsumer<String, String> text, IntConsumer finished) throws IOException {
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_ARRAY && name.equals("choices")) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        choice(p, text, finished);
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** One choice: its index may come after its delta, so its texts are passed on once it is read whole. */
    private static void choice(JsonParser p, BiConsumer<String, String> text, IntConsumer finished)
            throws IOException {
        int index = 0;
        String content = null;
        List<Map.Entry<Integer, String>> calls = null; // (call index, arguments), only for tool-call deltas
        boolean finishing = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                case "finish_reason" -> finishing = value != JsonToken.VALUE_NULL;
                case "delta" -> {
                    if (value != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("content") && v == JsonToken.VALUE_STRING) {
                            content = p.getText();
                        } else if (field.equals("tool_calls") && v == JsonToken.START_ARRAY) {
                            calls = toolCalls(p, calls == null ? new ArrayList<>(1) : calls);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
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

    /** The arguments of each tool call of a delta, with the call's index. */
    private static List<Map.Entry<Integer, String>> toolCalls(JsonParser p, List<Map.Entry<Integer, String>> out)
            throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int index = 0;
            String arguments = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("index") && value == JsonToken.VALUE_NUMBER_INT) {
                    index = p.getIntValue();
                } else if (name.equals("function") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        if (p.nextToken() == JsonToken.VALUE_STRING && field.equals("arguments")) {
                            arguments = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
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
        String type = null;
        int index = 0;
        String deltaType = null;
        String deltaText = null;
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                    type = p.getText();
                } else if (name.equals("index") && value == JsonToken.VALUE_NUMBER_INT) {
                    index = p.getIntValue();
                } else if (name.equals("delta") && value == JsonToken.START_OBJECT) {
                    String[] read = delta(p);
                    deltaType = read[0];
                    deltaText = read[1];
                } else {
                    p.skipChildren();
                }
            }
        }
        if ("content_block_delta".equals(type) && deltaText != null && !deltaText.isEmpty()) {
            text.accept(Channels.block(index), deltaText);
        } else if ("content_block_stop".equals(type)) {
            stopped.accept(index);
        }
    }

    /** A delta's type and its text (the field its type names), either {@code null}. */
    private static String[] delta(JsonParser p) throws IOException {
        String type = null;
        String text = null;
        String textField = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value != JsonToken.VALUE_STRING) {
                p.skipChildren();
            } else if (name.equals("type")) {
                type = p.getText();
            } else if (name.equals("text") || name.equals("partial_json") || name.equals("thinking")) {
                textField = name;
                text = p.getText();
            }
        }
        // only the field the delta's type names is its text
        return new String[] { type, type != null && textField != null
                && textField.equals(PiiStreamGuard.textField(type)) ? text : null };
    }
}
