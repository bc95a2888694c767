package io.ironcage.runtime.internal.budget;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Meters the output of a stream as it passes, from the generated text of each event in the client's dialect (text,
 * tool-call arguments, refusals, thinking): about four characters a token, the usual rule for English and code.
 * Used where the provider's own count is not (yet) known: to cut a stream off at its budget, and to charge a stream
 * the client left.
 */
final class OutputMeter {

    private long chars;

    /** The characters {@code event} would add; 0 for events that carry no generated text. */
    static long charsOf(Dialect dialect, StreamEvent event) {
        String data = event.data();
        if (data.isEmpty() || data.charAt(0) != '{') {
            return 0;
        }
        JsonObject json;
        try {
            json = new JsonObject(data);
        } catch (RuntimeException e) {
            return 0;
        }
        return dialect == Dialect.ANTHROPIC ? anthropicChars(json) : openAiChars(json);
    }

    void add(long moreChars) {
        chars += moreChars;
    }

    /** Tokens metered so far (rounded up). */
    long tokens() {
        return tokensFor(chars);
    }

    /** Tokens after adding {@code moreChars}. */
    long tokensWith(long moreChars) {
        return tokensFor(chars + moreChars);
    }

    private static long tokensFor(long chars) {
        return (chars + 3) / 4;
    }

    private static long anthropicChars(JsonObject json) {
        JsonObject delta = json.getValue("delta") instanceof JsonObject d ? d : null;
        if (delta == null || !"content_block_delta".equals(json.getString("type"))) {
            return 0;
        }
        return length(delta.getValue("text")) + length(delta.getValue("partial_json"))
                + length(delta.getValue("thinking"));
    }

    private static long openAiChars(JsonObject json) {
        if (!(json.getValue("choices") instanceof JsonArray choices)) {
            return 0;
        }
        long total = 0;
        for (Object c : choices) {
            if (c instanceof JsonObject choice && choice.getValue("delta") instanceof JsonObject delta) {
                total += length(delta.getValue("content")) + length(delta.getValue("refusal"));
                if (delta.getValue("tool_calls") instanceof JsonArray calls) {
                    for (Object call : calls) {
                        if (call instanceof JsonObject tc && tc.getValue("function") instanceof JsonObject fn) {
                            total += length(fn.getValue("arguments"));
                        }
                    }
                }
            }
        }
        return total;
    }

    private static long length(Object value) {
        return value instanceof String s ? s.length() : 0;
    }
}
