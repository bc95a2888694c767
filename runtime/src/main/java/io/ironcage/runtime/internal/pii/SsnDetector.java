package io.ironcage.runtime.internal.pii;

import java.util.regex.Pattern;

/**
 * US social security numbers written {@code AAA-GG-SSSS}, without the ranges never issued: area 000, 666 and
 * 900–999, group 00, serial 0000.
 */
final class SsnDetector extends DigitPatternDetector {

    private static final Pattern PATTERN = Pattern.compile(
            "(?=\\d)(?<![\\w-])(?!000|666|9)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\w-])");

    SsnDetector() {
        super("SSN", PATTERN, 11);
    }
}
