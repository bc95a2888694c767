package io.ironcage.runtime.internal.budget;

import java.io.IOException;

import io.ironcage.runtime.internal.json.AnthropicEvent;
import io.ironcage.runtime.internal.json.JsonCursor;
import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;

/**
 * Meters the output of a stream as it passes, from the generated text of each event in the client's dialect (text,
 * tool-call arguments, refusals, thinking): about four characters a token, the usual rule for English and code.
 * Used where the provider's own count is not (yet) known: to cut a stream off at its budget, and to charge a stream
 * the client left.
 */
final class OutputMeter {

    private long chars;

    /**
     * The characters {@code event} would add; 0 for events that carry no generated text (or are not JSON). Read with a
     * {@link JsonCursor}, no tree and no parser (a tree per event cost a metered stream about 8 µs, a parser 3).
     */
    static long charsOf(Dialect dialect, StreamEvent event) {
        String data = event.data();
        if (data.isEmpty() || data.charAt(0) != '{') {
            return 0;
        }
        try {
            return dialect == Dialect.ANTHROPIC ? anthropicChars(AnthropicEvent.read(data))
                    : openAiChars(new JsonCursor(data));
        } catch (IOException e) {
            return 0;
        }
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

    /** A {@code content_block_delta}'s text, tool input JSON and thinking. */
    private static long anthropicChars(AnthropicEvent e) {
        if (e == null || !"content_block_delta".equals(e.type())) {
            return 0;
        }
        return length(e.text()) + length(e.partialJson()) + length(e.thinking());
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    /** Each choice's delta: content, refusal and tool-call arguments. */
    private static long openAiChars(JsonCursor c) throws IOException {
        c.enterObject();
        long chars = 0;
        while (c.nextField()) {
            if (!c.fieldIs("choices")) {
                c.skipValue();
            } else if (c.enterArray()) {
                while (c.nextElement()) {
                    chars += c.enterObject() ? objectField(c, "delta", OutputMeter::deltaChars) : 0;
                }
            }
        }
        return chars;
    }

    private static long deltaChars(JsonCursor c) throws IOException {
        long chars = 0;
        while (c.nextField()) {
            if (c.fieldIs("content") || c.fieldIs("refusal")) {
                chars += c.stringLength();
            } else if (!c.fieldIs("tool_calls")) {
                c.skipValue();
            } else if (c.enterArray()) {
                while (c.nextElement()) {
                    chars += c.enterObject()
                            ? objectField(c, "function", function -> stringLengths(function, "arguments"))
                            : 0;
                }
            }
        }
        return chars;
    }

    /** Counts characters in the object the cursor has entered, walked to its end. */
    @FunctionalInterface
    private interface ObjectReader {
        long read(JsonCursor c) throws IOException;
    }

    /** What {@code reader} counts in the object field {@code field} of the object entered (others are skipped). */
    private static long objectField(JsonCursor c, String field, ObjectReader reader) throws IOException {
        long chars = 0;
        while (c.nextField()) {
            if (!c.fieldIs(field)) {
                c.skipValue();
            } else if (c.enterObject()) {
                chars += reader.read(c);
            }
        }
        return chars;
    }

    /** The lengths of the named string fields of the object entered. */
    private static long stringLengths(JsonCursor c, String... names) throws IOException {
        long chars = 0;
        while (c.nextField()) {
            if (isOneOf(c, names)) {
                chars += c.stringLength();
            } else {
                c.skipValue();
            }
        }
        return chars;
    }

    private static boolean isOneOf(JsonCursor c, String[] names) throws IOException {
        for (String name : names) {
            if (c.fieldIs(name)) {
                return true;
            }
        }
        return false;
    }
}
