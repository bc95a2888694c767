package io.ironcage.runtime.internal.json;

import java.io.IOException;

/**
 * What the router reads of an Anthropic stream event's data, with a {@link JsonCursor} and no tree: its
 * {@code type}, {@code index} and the {@code delta} of a {@code content_block_delta} with the delta's texts. One
 * reading serves the PII guard, the output meter and the translation to OpenAI chunks.
 *
 * @param type the data's {@code type}, or {@code null} when absent or not a string
 * @param index the {@code index}, or -1 when absent or not an integer
 * @param deltaIsObject whether a {@code delta} is there and is an object (its fields below are read only then)
 * @param deltaType the delta's {@code type}, or {@code null}
 * @param text the delta's {@code text}, or {@code null} (likewise the next two)
 * @param partialJson the delta's {@code partial_json}
 * @param thinking the delta's {@code thinking}
 */
public record AnthropicEvent(String type, int index, boolean deltaIsObject, String deltaType, String text,
        String partialJson, String thinking) {

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
        AnthropicEvent delta = null;
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
        return delta == null ? new AnthropicEvent(type, index, false, null, null, null, null)
                : new AnthropicEvent(type, index, true, delta.deltaType, delta.text, delta.partialJson, delta.thinking);
    }

    /** The text of the delta: the field its type names ({@code text_delta}: {@code text}, and so on), or null. */
    public String deltaText() {
        String field = deltaType == null ? null : textField(deltaType);
        return field == null ? null : switch (field) {
            case "text" -> text;
            case "partial_json" -> partialJson;
            default -> thinking;
        };
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

    /** The delta object the cursor entered, read to its end (as an event holding only the delta's fields). */
    private static AnthropicEvent delta(JsonCursor c) throws IOException {
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
        return new AnthropicEvent(null, -1, true, type, text, partialJson, thinking);
    }
}
