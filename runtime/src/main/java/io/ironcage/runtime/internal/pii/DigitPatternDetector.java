package io.ironcage.runtime.internal.pii;

import java.util.regex.Pattern;

/** A {@link PatternDetector} for a kind whose values always hold a digit: a text without one is not searched. */
abstract class DigitPatternDetector extends PatternDetector {

    DigitPatternDetector(String kind, Pattern pattern, int maxLength) {
        super(kind, pattern, maxLength);
    }

    @Override
    final boolean mayHold(CharSequence text, int from) {
        return hasDigit(text, from);
    }
}
