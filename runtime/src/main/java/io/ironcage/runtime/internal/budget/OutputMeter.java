package io.ironcage.runtime.internal.budget;

import java.io.IOException;
import java.util.Arrays;

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
        boolean[] contentDelta = { false };
        long chars = fields(p, (name, value, q) -> {
            if (name.equals("type")) {
                contentDelta[0] = value == JsonToken.VALUE_STRING && q.getText().equals("content_block_delta");
                return 0;
            }
            return value == JsonToken.START_OBJECT && name.equals("delta")
                    ? stringLengths(q, "text", "partial_json", "thinking")
                    : SKIP;
        });
        return contentDelta[0] ? chars : 0;
    }

    /** Each choice's delta: content, refusal and tool-call arguments. */
    private static long openAiChars(JsonParser p) throws IOException {
        return fields(p, (name, value, q) -> value == JsonToken.START_ARRAY && name.equals("choices")
                ? eachObject(q, choice -> objectField(choice, "delta", OutputMeter::deltaChars))
                : SKIP);
    }

    private static long deltaChars(JsonParser p) throws IOException {
        return fields(p, (name, value, q) -> {
            if (value == JsonToken.VALUE_STRING && (name.equals("content") || name.equals("refusal"))) {
                return q.getTextLength();
            }
            return value == JsonToken.START_ARRAY && name.equals("tool_calls")
                    ? eachObject(q, call -> objectField(call, "function", fn -> stringLengths(fn, "arguments")))
                    : SKIP;
        });
    }

    /** What a {@link FieldReader} returns for a field it does not read: the field's value is skipped. */
    private static final long SKIP = -1;

    /** Counts characters in one field, its value's first token read; or returns {@link #SKIP}. */
    @FunctionalInterface
    private interface FieldReader {
        long read(String name, JsonToken value, JsonParser p) throws IOException;
    }

    /** Counts characters in the object the parser is at (its start token read), read to its end. */
    @FunctionalInterface
    private interface ObjectReader {
        long read(JsonParser p) throws IOException;
    }

    /** The one loop over the fields of the object the parser is in: what {@code reader} counts, read to its end. */
    private static long fields(JsonParser p, FieldReader reader) throws IOException {
        long chars = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            long read = reader.read(name, p.nextToken(), p);
            if (read == SKIP) {
                p.skipChildren();
            } else {
                chars += read;
            }
        }
        return chars;
    }

    /** What {@code reader} counts in the object field {@code field} of the object the parser is in. */
    private static long objectField(JsonParser p, String field, ObjectReader reader) throws IOException {
        return fields(p, (name, value, q) -> value == JsonToken.START_OBJECT && name.equals(field) ? reader.read(q)
                : SKIP);
    }

    /** The lengths of the named string fields of the object the parser is in. */
    private static long stringLengths(JsonParser p, String... names) throws IOException {
        return fields(p, (name, value, q) -> value == JsonToken.VALUE_STRING && Arrays.asList(names).contains(name)
                ? q.getTextLength()
                : SKIP);
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
