package io.ironcage.runtime.internal.pii;

/**
 * Where a value of one kind may start: a plain loop over the text (or the string's own search for a mark the value
 * needs nearby) that leaves the detector's pattern only the positions it could match at. Java's regex engine tries
 * a pattern at every position, about 10 ns each even where the first character rules it out; over a long prompt with
 * a few digits that is milliseconds per detector, and the scan is a small fraction of it. A scan may name positions
 * where nothing matches, never skip one where the pattern could match. What several scans look for in one text (where
 * its numbers start, the next occurrence of a word) is found once and shared through {@link TextMarks}.
 */
@FunctionalInterface
interface StartScan {

    /**
     * The first position from {@code at} on where a value may start, or {@code text.length()} when there is none.
     *
     * @param marks what the scans of this text look for (where numbers start, words' next occurrences), found once and
     *        shared by the detectors
     */
    int next(CharSequence text, int at, TextMarks marks);

    /** A test of one position, reading a few characters around it. */
    @FunctionalInterface
    interface Position {
        boolean holds(CharSequence text, int i);
    }

    /** A digit that follows none. */
    static boolean startsNumber(CharSequence text, int i) {
        return isDigit(text.charAt(i)) && (i == 0 || !isDigit(text.charAt(i - 1)));
    }

    /** Whether {@code i} starts a word: no word character ({@code \w}) before it. */
    static boolean startsWord(CharSequence text, int i) {
        return i == 0 || !isWordChar(text.charAt(i - 1));
    }

    /** How many digits {@code text[from, to)} holds ({@code to} may lie past the end). */
    static int digits(CharSequence text, int from, int to) {
        int count = 0;
        for (int i = from, end = Math.min(to, text.length()); i < end; i++) {
            if (isDigit(text.charAt(i))) {
                count++;
            }
        }
        return count;
    }

    /** Whether {@code c} occurs in {@code text[from, to)} ({@code to} may lie past the end). */
    static boolean occurs(CharSequence text, char c, int from, int to) {
        for (int i = from, end = Math.min(to, text.length()); i < end; i++) {
            if (text.charAt(i) == c) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} holds {@code prefix} at {@code i}. */
    static boolean startsWith(CharSequence text, int i, String prefix) {
        if (i + prefix.length() > text.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (text.charAt(i + k) != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where {@code word} first appears from {@code from} on, or {@code text.length()}. In a {@code String} or
     * {@code StringBuilder} (as texts are) by their own search, which the JVM vectorises: ten times the speed of a
     * loop over the characters.
     */
    static int indexOf(CharSequence text, String word, int from) {
        int n = text.length();
        if (text instanceof String || text instanceof StringBuilder) {
            int i = text instanceof String s ? s.indexOf(word, from) : ((StringBuilder) text).indexOf(word, from);
            return i < 0 ? n : i;
        }
        for (int i = from; i + word.length() <= n; i++) {
            if (startsWith(text, i, word)) {
                return i;
            }
        }
        return n;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isLetterOrDigit(char c) {
        return isDigit(c) || isUpper(c) || c >= 'a' && c <= 'z';
    }

    /** A regex word character ({@code \w}: ASCII letters, digits and {@code _}). */
    static boolean isWordChar(char c) {
        return isLetterOrDigit(c) || c == '_';
    }

    static boolean isHex(char c) {
        return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
