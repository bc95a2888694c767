package io.ironcage.runtime.internal.budget;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.ironcage.runtime.internal.json.StreamingJson;
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
     * The characters {@code event} would add; 0 for events that carry no generated text. Read with a streaming
     * parser and no tree (a tree per event cost a metered stream about 8 µs).
     */
    static long charsOf(Dialect dialect, StreamEvent event) {
        String data = event.data();
        if (data.isEmpty() || data.charAt(0) != '{') {
            return 0;
        }
        try (JsonParser p = StreamingJson.FACTORY.createParser(data)) {
            p.nextToken();
            return dialect == Dialect.ANTHROPIC ? anthropicChars(p) : openAiChars(p);
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
    private static long anthropicChars(JsonParser p) throws IOException {
        boolean contentDelta = false;
        long chars = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("type")) {
                contentDelta = value == JsonToken.VALUE_STRING && p.getText().equals("content_block_delta");
            } else if (name.equals("delta") && value == JsonToken.START_OBJECT) {
                chars = stringLengths(p, "text", "partial_json", "thinking");
            } else {
                p.skipChildren();
            }
        }
        return contentDelta ? chars : 0;
    }

    /** Each choice's delta: content, refusal and tool-call arguments. */
    private static long openAiChars(JsonParser p) throws IOException {
        long chars = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.START_ARRAY && name.equals("choices")) {
                chars += eachObject(p, OutputMeter::choiceChars);
            } else {
                p.skipChildren();
            }
        }
        return chars;
    }

    /** A choice: its delta. */
    private static long choiceChars(JsonParser p) throws IOException {
        return objectField(p, "delta", OutputMeter::deltaChars);
    }

    private static long deltaChars(JsonParser p) throws IOException {
        long chars = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && (name.equals("content") || name.equals("refusal"))) {
                chars += p.getTextLength();
            } else if (value == JsonToken.START_ARRAY && name.equals("tool_calls")) {
                chars += eachObject(p, OutputMeter::functionArguments);
            } else {
                p.skipChildren();
            }
        }
        return chars;
    }

    /** A tool call: its function's arguments. */
    private static long functionArguments(JsonParser p) throws IOException {
        return objectField(p, "function", function -> stringLengths(function, "arguments"));
    }

    /** Counts characters in the object the parser is at (its start token read). */
    @FunctionalInterface
    private interface ObjectReader {
        long read(JsonParser p) throws IOException;
    }

    /** What {@code reader} counts in the object field {@code field} of the object the parser is in, read to its end. */
    private static long objectField(JsonParser p, String field, ObjectReader reader) throws IOException {
        long chars = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.START_OBJECT && name.equals(field)) {
                chars += reader.read(p);
            } else {
                p.skipChildren();
            }
        }
        return chars;
    }

    /** The lengths of the named string fields of the object the parser is in, read to its end. */
    private static long stringLengths(JsonParser p, String... names) throws IOException {
        long chars = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && isOneOf(name, names)) {
                chars += p.getTextLength();
            } else {
                p.skipChildren();
            }
        }
        return chars;
    }

    private static boolean isOneOf(String name, String[] names) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** What {@code reader} counts in each object of the array the parser is at (other elements count 0). */
    private static long eachObject(JsonParser p, ObjectReader reader) throws IOException {
        long chars = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            if (t == JsonToken.START_OBJECT) {
                chars += reader.read(p);
            } else {
                p.skipChildren();
            }
        }
        return chars;
    }
}
