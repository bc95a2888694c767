package io.ironcage.runtime.internal.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * International bank account numbers: a country code, two check digits and an account part of capitals and digits,
 * 15 to 34 characters in all, unbroken or in groups of four. The ISO 13616 check (the number read in base 36, with
 * the first four characters moved to the end, is 1 modulo 97) must hold; country-specific lengths are not checked.
 */
final class IbanDetector extends PatternDetector {

    private static final Pattern PATTERN = Pattern.compile(
            "(?=[A-Z]{2}\\d)(?<!\\w)[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?!\\w)");

    IbanDetector() {
        super("IBAN", PATTERN, 43, IbanDetector::next);
    }

    /** Found from the check digits, which start a number: two places after one, where the country code would be. */
    private static int next(CharSequence text, int at, TextMarks marks) {
        int digits = marks.nextNumber(at + 2, IbanDetector::followsCountry);
        return digits < text.length() ? digits - 2 : digits;
    }

    private static boolean followsCountry(CharSequence text, int i) {
        return i >= 2 && mayStart(text, i - 2);
    }

    /** A number starts a word with two capitals and a digit. */
    private static boolean mayStart(CharSequence text, int i) {
        return i + 2 < text.length() && StartScan.isUpper(text.charAt(i)) && StartScan.isUpper(text.charAt(i + 1))
                && StartScan.isDigit(text.charAt(i + 2)) && StartScan.startsWord(text, i);
    }

    @Override
    int validEnd(CharSequence text, Matcher m) {
        return checksumHolds(text, m.start(), m.end()) ? m.end() : -1;
    }

    @Override
    public int pendingFrom(CharSequence text) {
        return pendingWithSpaces(text);
    }

    private static boolean checksumHolds(CharSequence text, int from, int to) {
        long length = text.subSequence(from, to).chars().filter(c -> c != ' ').count();
        int remainder = mod97(text, from + 4, to, 0);
        return length >= 15 && length <= 34 && mod97(text, from, from + 4, remainder) == 1;
    }

    /** Continues {@code remainder} over {@code text[from, to)} read as base-36 digits (A = 10 … Z = 35). */
    private static int mod97(CharSequence text, int from, int to, int remainder) {
        for (int i = from; i < to; i++) {
            int value = Character.digit(text.charAt(i), 36);
            if (value >= 0) {
                remainder = (remainder * (value < 10 ? 10 : 100) + value) % 97;
            }
        }
        return remainder;
    }
}
