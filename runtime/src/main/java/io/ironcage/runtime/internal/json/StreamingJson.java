package io.ironcage.runtime.internal.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;

/**
 * The Jackson factory for the router's streaming reads of bodies and events (no object tree). Parse errors never
 * carry the source: a message could otherwise quote what an agent sent.
 */
public final class StreamingJson {

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    private StreamingJson() {
    }

    /**
     * A parser over a buffer's bytes where they lie: request bodies and answers are heap buffers, read in place
     * rather than copied (a body is read more than once: routing and the PII scan). Other buffers are read from a
     * copy. ({@link BufferImpl#byteBuf()} is Vert.x's internal, undeprecated way to the bytes.)
     */
    public static JsonParser parser(Buffer buffer) throws IOException {
        Bytes b = Bytes.of(buffer);
        return FACTORY.createParser(b.array, b.from, b.to - b.from);
    }

    /**
     * The text of the value of the top-level field {@code name} of a JSON object (e.g. {@code {"n":1}}), or
     * {@code null} when there is no such field. The body is only skimmed for its strings and brackets, not parsed:
     * several times cheaper than tokenizing it, and nothing of it is checked (the caller reads the value).
     *
     * @param name the field's name as {@link #fieldName} encodes it (once, in a constant)
     */
    public static String fieldText(Buffer buffer, byte[] name) {
        Bytes b = Bytes.of(buffer);
        int value = topLevelValue(b.array, b.from, b.to, name);
        if (value < 0 || value == b.to) {
            return null;
        }
        return new String(b.array, value, valueEnd(b.array, value, b.to) - value, StandardCharsets.UTF_8);
    }

    /** An ASCII field name without escapes (e.g. {@code usage}) as {@link #fieldText} looks for it. */
    public static byte[] fieldName(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    /** Where the value of the top-level field {@code name} starts in {@code bytes[from, to)}, or -1. */
    static int topLevelValue(byte[] bytes, int from, int to, byte[] name) {
        int i = skipBlanks(bytes, from, to);
        if (i == to || bytes[i] != '{') {
            return -1;
        }
        int depth = 0;
        for (; i < to; i++) {
            switch (bytes[i]) {
                case '{', '[' -> depth++;
                case '}', ']' -> depth--;
                case '"' -> {
                    int start = i + 1;
                    i = stringEnd(bytes, start, to);
                    if (depth == 1 && Arrays.equals(bytes, start, i, name, 0, name.length)) {
                        int colon = skipBlanks(bytes, i + 1, to);
                        if (colon < to && bytes[colon] == ':') { // a field name, not a value
                            return skipBlanks(bytes, colon + 1, to);
                        }
                    }
                }
                default -> {
                }
            }
        }
        return -1;
    }

    /** Where the value starting at {@code i} ends: past its closing bracket or quote, or at the end of a scalar. */
    private static int valueEnd(byte[] bytes, int i, int to) {
        if (bytes[i] == '"') {
            return Math.min(stringEnd(bytes, i + 1, to) + 1, to);
        }
        int depth = 0;
        for (; i < to; i++) {
            switch (bytes[i]) {
                case '{', '[' -> depth++;
                case '}', ']' -> {
                    if (--depth <= 0) {
                        return depth < 0 ? i : i + 1; // the scalar ended at its object's close, or the value closed
                    }
                }
                case '"' -> i = stringEnd(bytes, i + 1, to);
                case ',', ' ', '\n', '\r', '\t' -> {
                    if (depth == 0) {
                        return i;
                    }
                }
                default -> {
                }
            }
        }
        return to;
    }

    /** The closing quote of the string starting at {@code i} (after its opening quote), or {@code to}. */
    private static int stringEnd(byte[] bytes, int i, int to) {
        for (; i < to; i++) {
            byte c = bytes[i];
            if (c == '\\') {
                i++; // the escaped character, whatever it is (UTF-8 continuation bytes are never a quote)
            } else if (c == '"') {
                return i;
            }
        }
        return to;
    }

    private static int skipBlanks(byte[] bytes, int i, int to) {
        while (i < to && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** A buffer's bytes: its own array where it has one, else a copy. */
    private record Bytes(byte[] array, int from, int to) {

        static Bytes of(Buffer buffer) {
            if (buffer instanceof BufferImpl impl) {
                ByteBuf bytes = impl.byteBuf();
                if (bytes.hasArray()) {
                    int from = bytes.arrayOffset() + bytes.readerIndex();
                    return new Bytes(bytes.array(), from, from + bytes.readableBytes());
                }
            }
            byte[] copy = buffer.getBytes();
            return new Bytes(copy, 0, copy.length);
        }
    }
}
