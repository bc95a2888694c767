package io.ironcage.runtime.internal.json;

import java.io.IOException;
import java.nio.CharBuffer;

/**
 * A forward-only reader of one small JSON text (a stream event, a usage object) for readers that want a few fields
 * of it: it walks the characters in place, compares field names where they lie and builds a string only for a value
 * it is asked for. A Jackson parser does the same at two to three times the cost per event (its set-up, name
 * canonicalizing and number parsing are made for large documents), and a stream has dozens of events per answer.
 *
 * <p>Structure is checked as it is walked (strings closed and free of raw control characters, escapes valid where a
 * string is decoded, brackets and commas in place, literals spelled out, numbers made of number characters); anything
 * else is a {@link MalformedJson}. Text after the value a reader stopped at is not checked.
 *
 * <p>Usage: {@code if (c.enterObject()) while (c.nextField()) if (c.fieldIs("x")) ... else c.skipValue();}. Every
 * value is consumed by exactly one of {@link #enterObject}, {@link #enterArray}, {@link #stringValue},
 * {@link #longValue}, {@link #intValue}, {@link #isNull} (when it returns true) or {@link #skipValue}, and an
 * object or array entered is walked to its end. Not thread-safe.
 */
public final class JsonCursor {

    /** How deep objects and arrays may nest (as Jackson's default limit). */
    static final int MAX_DEPTH = 1000;

    /** The text is not JSON where the cursor walked it. */
    public static final class MalformedJson extends IOException {
        MalformedJson(String what, int at) {
            super(what + " at offset " + at); // never the text: it could quote what an agent or provider sent
        }
    }

    /** The text's characters: an array is walked faster than a string's {@code charAt}. */
    private final char[] text;
    /** Objects and arrays open around the cursor: bounded, so that no text can exhaust the stack. */
    private int depth;
    private int at;
    /** The current field name's span (inside its quotes) and whether it holds escapes. */
    private int nameFrom;
    private int nameTo;
    private boolean nameEscaped;
    /** Whether the string {@link #stringEnd} walked last holds escapes. */
    private boolean escaped;
    /** Whether the object or array just entered or walked has not yet had a member (no comma expected before it). */
    private boolean first;

    public JsonCursor(String text) {
        this.text = text.toCharArray();
    }

    /** Enters the object that is the next value (true), or skips that value when it is anything else (false). */
    public boolean enterObject() throws MalformedJson {
        return enter('{');
    }

    /** Enters the array that is the next value (true), or skips that value when it is anything else (false). */
    public boolean enterArray() throws MalformedJson {
        return enter('[');
    }

    /**
     * Moves to the next field of the object entered last: true with its name read (see {@link #fieldIs}) and the
     * cursor before its value, which the caller must consume; false at the object's end, which is consumed.
     */
    public boolean nextField() throws MalformedJson {
        if (!nextMember('}')) {
            return false;
        }
        if (peek() != '"') {
            throw new MalformedJson("Expected a field name", at);
        }
        nameFrom = at + 1;
        nameTo = stringEnd(nameFrom);
        nameEscaped = escaped;
        at = nameTo + 1;
        if (peek() != ':') {
            throw new MalformedJson("Expected ':'", at);
        }
        at++;
        return true;
    }

    /**
     * Moves to the next element of the array entered last: true with the cursor before it (the caller must consume
     * it), false at the array's end, which is consumed.
     */
    public boolean nextElement() throws MalformedJson {
        return nextMember(']');
    }

    /** Whether the current field (see {@link #nextField}) is called {@code name}. */
    public boolean fieldIs(String name) throws MalformedJson {
        if (nameEscaped) {
            return decode(nameFrom, nameTo).equals(name);
        }
        if (nameTo - nameFrom != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (text[nameFrom + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The next value if it is a string (decoded), else {@code null} with the value skipped. */
    public String stringValue() throws MalformedJson {
        if (peek() != '"') {
            skipValue();
            return null;
        }
        int from = at + 1;
        at = stringEnd(from) + 1; // past the closing quote; stringEnd noted whether the string holds escapes
        return escaped ? decode(from, at - 1) : new String(text, from, at - 1 - from);
    }

    /**
     * The next value if it is a number, as {@link Number#longValue} has it (a fraction cut off, the way a count of
     * {@code 7.0} is 7), else {@code otherwise} with the value skipped.
     */
    public long longValue(long otherwise) throws MalformedJson {
        int from = skipBlanks(at);
        int to = numberEnd(from);
        skipValue();
        boolean negative = from < to && text[from] == '-';
        int i = negative ? from + 1 : from;
        long value = 0;
        for (; i < to && i - from < 18; i++) { // 18 digits never overflow
            char c = text[i];
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        if (i == to && to > (negative ? from + 1 : from)) {
            return negative ? -value : value;
        }
        String number = new String(text, from, to - from); // many digits, a fraction or an exponent: rare
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException notALong) {
            try {
                return (long) Double.parseDouble(number);
            } catch (NumberFormatException notANumber) {
                return otherwise;
            }
        }
    }

    /** The next value if it is a number that fits an int (as {@link #longValue} reads it), else {@code otherwise}. */
    public int intValue(int otherwise) throws MalformedJson {
        long value = longValue(Long.MIN_VALUE);
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (int) value : otherwise;
    }

    /** Whether the next value is an object (nothing is consumed). */
    public boolean nextIsObject() throws MalformedJson {
        return peek() == '{';
    }

    /** Whether the next value is an array (nothing is consumed). */
    public boolean nextIsArray() throws MalformedJson {
        return peek() == '[';
    }

    /** Whether only blanks are left after the cursor (nothing follows the values walked). */
    public boolean atEnd() {
        return skipBlanks(at) == text.length;
    }

    /** Whether the next value is an empty array (nothing is consumed). */
    public boolean nextIsEmptyArray() throws MalformedJson {
        if (peek() != '[') {
            return false;
        }
        int next = skipBlanks(at + 1);
        return next < text.length && text[next] == ']';
    }

    /** Whether the next value is {@code null}, which is then consumed (any other value is left to the caller). */
    public boolean isNull() throws MalformedJson {
        if (peek() == 'n') {
            skipValue();
            return true;
        }
        return false;
    }

    /** Skips the next value whole, checking its structure. */
    public void skipValue() throws MalformedJson {
        char c = peek();
        switch (c) {
            case '"' -> at = stringEnd(at + 1) + 1;
            case '{' -> {
                open();
                while (nextField()) {
                    skipValue();
                }
            }
            case '[' -> {
                open();
                while (nextElement()) {
                    skipValue();
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
        first = false;
    }

    private boolean enter(char open) throws MalformedJson {
        if (peek() != open) {
            skipValue();
            return false;
        }
        open();
        return true;
    }

    /** Past the opening bracket the cursor is at. */
    private void open() throws MalformedJson {
        if (++depth > MAX_DEPTH) {
            throw new MalformedJson("Nested deeper than " + MAX_DEPTH, at);
        }
        at++;
        first = true;
    }

    /** Past the comma before the next member, or past {@code close} (false). */
    private boolean nextMember(char close) throws MalformedJson {
        char c = peek();
        if (c == close) {
            at++;
            depth--;
            first = false;
            return false;
        }
        if (!first) {
            if (c != ',') {
                throw new MalformedJson("Expected ',' or '" + close + "'", at);
            }
            at++;
            peek();
        }
        first = false;
        return true;
    }

    private void literal(String word) throws MalformedJson {
        if (at + word.length() > text.length) {
            throw new MalformedJson("Unexpected end", at);
        }
        for (int i = 0; i < word.length(); i++) {
            if (text[at + i] != word.charAt(i)) {
                throw new MalformedJson("Unexpected character", at);
            }
        }
        at += word.length();
    }

    /** Past the number the cursor is at (its first character seen by {@link #peek}). */
    private void number() throws MalformedJson {
        char c = text[at];
        if (!(c == '-' || c >= '0' && c <= '9')) {
            throw new MalformedJson("Unexpected character", at);
        }
        at = numberEnd(at);
    }

    /** Where a number starting at {@code i} ends: after its last sign, digit, point or exponent character. */
    private int numberEnd(int i) {
        while (i < text.length) {
            char c = text[i];
            if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                break;
            }
            i++;
        }
        return i;
    }

    /** The next significant character, the cursor moved to it; fails at the end of the text. */
    private char peek() throws MalformedJson {
        at = skipBlanks(at);
        if (at >= text.length) {
            throw new MalformedJson("Unexpected end", at);
        }
        return text[at];
    }

    private int skipBlanks(int i) {
        while (i < text.length) {
            char c = text[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /** The closing quote of the string whose first character is at {@code i}. */
    private int stringEnd(int i) throws MalformedJson {
        escaped = false;
        for (; i < text.length; i++) {
            char c = text[i];
            if (c == '\\') {
                escaped = true;
                i++;
            } else if (c == '"') {
                return i;
            } else if (c < 0x20) {
                throw new MalformedJson("Control character in a string", i);
            }
        }
        throw new MalformedJson("Unterminated string", i);
    }

    /** The string {@code text[from, to)} with its escapes decoded. */
    private String decode(int from, int to) throws MalformedJson {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text[++i];
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 >= to) {
                        throw new MalformedJson("Bad \\u escape", i);
                    }
                    try {
                        out.append((char) Integer.parseInt(CharBuffer.wrap(text), i + 1, i + 5, 16));
                    } catch (NumberFormatException bad) {
                        throw new MalformedJson("Bad \\u escape", i);
                    }
                    i += 4;
                }
                default -> throw new MalformedJson("Bad escape", i);
            }
        }
        return out.toString();
    }
}
