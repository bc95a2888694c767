package io.ironcage.runtime.internal.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 13 to 19 digits, either unbroken or in the printed groups (4-4-4-4, 4-4-4-4-3, 4-6-5,
 * 4-6-4) with one kind of separator, a space or a dash. The Luhn check digit must hold, which rules out nine in ten
 * random digit strings. A 4-4-4-4 number followed by three more digits (a CVV written after it) is taken as the
 * 16-digit number when only that passes the check.
 */
final class CardDetector extends PatternDetector {

    private static final Pattern PATTERN = Pattern.compile(
            "(?=\\d)(?<!\\d[ -]?)(?:\\d{13,19}"
                    + "|\\d{4}(?<s>[ -])\\d{4}\\k<s>\\d{4}\\k<s>\\d{4}(?<tail>\\k<s>\\d{3})?"
                    + "|\\d{4}(?<a>[ -])\\d{6}\\k<a>\\d{4,5})"
                    + "(?!\\d)");

    CardDetector() {
        super("CARD", PATTERN, 23, (text, at, marks) -> marks.nextNumber(at, CardDetector::mayStart));
    }

    /** A number with 13 digits within its first 19 characters starts here (every layout has). */
    private static boolean mayStart(CharSequence text, int i) {
        return StartScan.startsNumber(text, i) && StartScan.digits(text, i, i + 19) >= 13;
    }

    @Override
    int validEnd(CharSequence text, Matcher m) {
        if (luhn(text, m.start(), m.end())) {
            return m.end();
        }
        int tail = m.start("tail");
        return tail >= 0 && luhn(text, m.start(), tail) ? tail : -1;
    }

    @Override
    public int pendingFrom(CharSequence text) {
        return pendingWithSpaces(text);
    }

    /** The Luhn check over the digits of {@code text[from, to)}; all zeros, which pass it, are not a number. */
    static boolean luhn(CharSequence text, int from, int to) {
        int sum = 0;
        boolean doubled = false;
        for (int i = to - 1; i >= from; i--) {
            int d = Character.digit(text.charAt(i), 10);
            if (d < 0) {
                continue;
            }
            if (doubled) {
                d = d > 4 ? 2 * d - 9 : 2 * d;
            }
            sum += d;
            doubled = !doubled;
        }
        return sum != 0 && sum % 10 == 0;
    }
}
