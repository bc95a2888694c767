package io.ironcage.runtime.internal.pii;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the start scans of one text look for, found once and shared by the detectors that scan it:
 * <ul>
 * <li>where its numbers start (a digit after anything but a digit), and its {@code +} and {@code (}: every place a
 * card number, an SSN or a phone number may start, and where an IBAN's check digits follow its country code. Found
 * in one pass when a detector first asks; the four detectors otherwise each scanned the whole text for the same
 * digits.</li>
 * <li>where the words the other scans search for ({@code :}, {@code @}, key prefixes) next occur. A scan is asked
 * again after each place its pattern did not match, and a word that no longer occurs was searched for up to the end
 * of the text every time: over a long prompt with many version numbers (IP candidates) and no colon after them,
 * that was a whole pass per version number.</li>
 * </ul>
 * One per text and thread: a scan of the text creates it.
 */
final class TextMarks {

    private final CharSequence text;
    /** Number marks, ascending; {@code null} until first asked. */
    private int[] marks;
    private int count;
    /** Per word ({@link Word#slot}): where its last search started, plus one (0: never searched), and what it found. */
    private int[] searches;

    /** A word the scans search for, with its own place in every text's memory of searches. Made once, a constant. */
    static final class Word {
        private static final AtomicInteger WORDS = new AtomicInteger();
        final String text;
        final int slot = WORDS.getAndIncrement();

        Word(String text) {
            this.text = text;
        }
    }

    TextMarks(CharSequence text) {
        this.text = text;
    }

    /**
     * The first number mark from {@code from} on where {@code test} holds, or the text's length. Call it with a method
     * reference from a detector's own lambda: the JIT then compiles this loop into that lambda with the test inlined,
     * where one loop shared by all detectors would call every test through a dispatch it cannot resolve.
     */
    int nextNumber(int from, StartScan.Position test) {
        if (marks == null) {
            findNumbers();
        }
        int k = Arrays.binarySearch(marks, 0, count, from);
        for (k = k < 0 ? -k - 1 : k; k < count; k++) {
            if (test.holds(text, marks[k])) {
                return marks[k];
            }
        }
        return text.length();
    }

    /**
     * Where {@code word} first occurs from {@code from} on, or the text's length ({@link StartScan#indexOf}). Searches
     * again only when {@code from} lies outside what the last search of the word covered.
     */
    int indexOf(Word word, int from) {
        int i = 2 * word.slot;
        if (searches == null || i >= searches.length) {
            searches = searches == null ? new int[2 * Word.WORDS.get()] : Arrays.copyOf(searches, 2 * Word.WORDS.get());
        }
        if (searches[i] != 0 && searches[i] - 1 <= from && from <= searches[i + 1]) {
            return searches[i + 1];
        }
        int at = StartScan.indexOf(text, word.text, from);
        searches[i] = from + 1;
        searches[i + 1] = at;
        return at;
    }

    /**
     * The first occurrence of any of {@code words} from {@code from} on, before {@code limit}, where {@code test}
     * holds; or {@code limit}.
     */
    int firstOf(Word[] words, int from, int limit, StartScan.Position test) {
        int first = limit;
        for (Word word : words) {
            for (int i = indexOf(word, from); i < first; i = indexOf(word, i + 1)) {
                if (test.holds(text, i)) {
                    first = i;
                }
            }
        }
        return first;
    }

    /**
     * One pass over the text as a {@code String}: its own {@code charAt} compiles to a tight loop, where calls through
     * {@code CharSequence} (a builder's text too) take twice as long, and a copy into an array costs more than it
     * saves.
     */
    private void findNumbers() {
        String s = text.toString();
        int[] found = new int[16];
        int size = 0;
        boolean afterDigit = false;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            boolean digit = StartScan.isDigit(c);
            if (digit ? !afterDigit : c == '+' || c == '(') {
                if (size == found.length) {
                    found = Arrays.copyOf(found, size * 2);
                }
                found[size++] = i;
            }
            afterDigit = digit;
        }
        marks = found;
        count = size;
    }
}
