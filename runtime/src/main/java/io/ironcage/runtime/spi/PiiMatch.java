package io.ironcage.runtime.spi;

import java.util.Objects;

/**
 * A value a {@link PiiDetector} found. It names the value's kind and span only, never the value itself, so matches
 * can be logged, counted and sent as events without spreading what they point at.
 *
 * @param kind the detector's kind, e.g. {@code EMAIL}
 * @param start index of the value's first character in the scanned text
 * @param end index just after the value's last character
 */
public record PiiMatch(String kind, int start, int end) {

    public PiiMatch {
        Objects.requireNonNull(kind, "kind");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("not a span: [" + start + ", " + end + ")");
        }
    }

    /** The number of characters of the value. */
    public int length() {
        return end - start;
    }
}
