package io.ironcage.runtime.internal.pii;

import java.util.Arrays;

/**
 * Where numbers start in one text (a digit after anything but a digit), and its {@code +} and {@code (}: every place
 * a card number, an SSN or a phone number may start, and where an IBAN's check digits follow its country code. Found
 * in one pass when a detector first asks, then shared by those four detectors, which otherwise each scanned the
 * whole text for the same digits: four passes over a long prompt where one does.
 */
final class NumberMarks {

    private final CharSequence text;
    /** Positions, ascending; {@code null} until first asked. */
    private int[] marks;
    private int count;

    NumberMarks(CharSequence text) {
        this.text = text;
    }

    /**
     * The first mark from {@code from} on where {@code test} holds, or the text's length. Call it with a method
     * reference from a detector's own lambda: the JIT then compiles this loop into that lambda with the test inlined,
     * where one loop shared by all detectors would call every test through a dispatch it cannot resolve.
     */
    int next(int from, StartScan.Position test) {
        if (marks == null) {
            find();
        }
        int k = Arrays.binarySearch(marks, 0, count, from);
        for (k = k < 0 ? -k - 1 : k; k < count; k++) {
            if (test.holds(text, marks[k])) {
                return marks[k];
            }
        }
        return text.length();
    }

    /** One pass over a copy of the characters: an array loop runs at twice the speed of {@code charAt} calls. */
    private void find() {
        char[] chars = text.toString().toCharArray();
        int[] found = new int[16];
        int size = 0;
        boolean afterDigit = false;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
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
