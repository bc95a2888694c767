package io.ironcage.runtime.internal.json;

import java.io.IOException;

/**
 * What the router reads of an Anthropic stream event's data, with a {@link JsonCursor} and no tree: its
 * {@code type}, {@code index} and the {@code delta} of a {@code content_block_delta} with the delta's texts. One
 * reading serves the PII guard, the output meter and the translation to OpenAI chunks.
 *
 * @param type the data's {@code type}, or {@code null} when absent or not a string
 * @param index the {@code index}, or -1 when absent or not an integer
 * @param delta the {@code delta}, or {@code null} when absent or not an object
 */
public record AnthropicEvent(String type, int index, Delta delta) {

    /**
     * An event's {@code delta}.
     *
     * @param type its {@code type}, or {@code null} (likewise the texts)
     * @param text its {@code text}
     * @param partialJson its {@code partial_json}
     * @param thinking its {@code thinking}
     */
    public record Delta(String type, String text, String partialJson, String thinking) {

        /** The delta's text: the field its type names ({@code text_delta}: {@code text}, and so on), or null. */
        public String typedText() {
            String field = type == null ? null : textField(type);
            return field == null ? null : switch (field) {
                case "text" -> text;
                case "partial_json" -> partialJson;
                default -> thinking;
            };
        }
    }

    /**
     * Reads an event's data; {@code null} when it is not one JSON object (anything after the object included).
     *
     * @throws JsonCursor.MalformedJson when it is broken JSON
     */
    public static AnthropicEvent read(String data) throws IOException {
        JsonCursor c = new JsonCursor(data);
        if (!c.nextIsObject()) {
            return null;
        }
        c.enterObject();
        String type = null;
        int index = -1;
        Delta delta = null;
        while (c.nextField()) {
            if (c.fieldIs("type")) {
                type = c.stringValue();
            } else if (c.fieldIs("index")) {
                index = c.intValue(-1);
            } else if (!c.fieldIs("delta")) {
                c.skipValue();
            } else if (c.enterObject()) {
                delta = delta(c);
            } else {
                delta = null; // a later delta that is not an object replaces an earlier one, as in a tree
            }
        }
        if (!c.atEnd()) {
            return null;
        }
        return new AnthropicEvent(type, index, delta);
    }

    /** The field holding the text of a delta of this type, or {@code null} when it holds none. */
    public static String textField(String deltaType) {
        return switch (deltaType) {
            case "text_delta" -> "text";
            case "input_json_delta" -> "partial_json";
            case "thinking_delta" -> "thinking";
            default -> null;
        };
    }

    /** The delta object the cursor entered, read to its end. */
    private static Delta delta(JsonCursor c) throws IOException {
        String type = null;
        String text = null;
        String partialJson = null;
        String thinking = null;
        while (c.nextField()) {
            if (c.fieldIs("type")) {
                type = c.stringValue();
            } else if (c.fieldIs("text")) {
                text = c.stringValue();
            } else if (c.fieldIs("partial_json")) {
                partialJson = c.stringValue();
            } else if (c.fieldIs("thinking")) {
                thinking = c.stringValue();
            } else {
                c.skipValue();
            }
        }
        return new Delta(type, text, partialJson, thinking);
    }
}
