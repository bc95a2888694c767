package io.ironcage.runtime.internal.pii;

import java.util.regex.Pattern;

/**
 * US social security numbers written {@code AAA-GG-SSSS}, without the ranges never issued: area 000, 666 and
 * 900–999, group 00, serial 0000.
 */
final class SsnDetector extends PatternDetector {

    private static final Pattern PATTERN = Pattern.compile(
            "(?=\\d)(?<![\\w-])(?!000|666|9)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\w-])");

    SsnDetector() {
        super("SSN", PATTERN, 11, (text, at, marks) -> marks.nextNumber(at, SsnDetector::mayStart));
    }

    /** A number in the {@code AAA-GG-SSSS} layout starts here. */
    private static boolean mayStart(CharSequence text, int i) {
        return StartScan.startsNumber(text, i) && i + 6 < text.length() && text.charAt(i + 3) == '-'
                && text.charAt(i + 6) == '-';
    }
}
