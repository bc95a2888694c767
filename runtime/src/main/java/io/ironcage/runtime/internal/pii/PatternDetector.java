package io.ironcage.runtime.internal.pii;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ironcage.runtime.spi.PiiDetector;
import io.ironcage.runtime.spi.PiiMatch;

/**
 * A detector built on a regular expression, optionally followed by a check the expression cannot make (a checksum,
 * a digit count). Matches longer than {@link #maxLength()} are ignored, so the bound a stream scanner relies on holds
 * whatever the pattern.
 */
abstract class PatternDetector implements PiiDetector {

    private final String kind;
    private final Pattern pattern;
    private final int maxLength;

    PatternDetector(String kind, Pattern pattern, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength of " + kind + " must be positive: " + maxLength);
        }
        this.kind = kind;
        this.pattern = pattern;
        this.maxLength = maxLength;
    }

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final int maxLength() {
        return maxLength;
    }

    @Override
    public final void find(CharSequence text, Consumer<PiiMatch> found) {
        find(text, 0, found);
    }

    @Override
    public final void find(CharSequence text, int from, Consumer<PiiMatch> found) {
        if (!mayHold(text, from)) {
            return;
        }
        Matcher m = matcher(text).region(from, text.length());
        while (m.find()) {
            int end = validEnd(text, m);
            if (end > m.start() && end - m.start() <= maxLength) {
                found.accept(new PiiMatch(kind, m.start(), end));
            }
        }
    }

    /** Whether {@code text} may hold a value from {@code from} on: a quick test that spares most texts the pattern. */
    boolean mayHold(CharSequence text, int from) {
        return true;
    }

    /** Whether a digit appears in {@code text} from {@code from} on (a value of most kinds has one). */
    static boolean hasDigit(CharSequence text, int from) {
        for (int i = from, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code c} appears in {@code text} from {@code from} on. */
    static boolean has(CharSequence text, int from, char c) {
        for (int i = from, n = text.length(); i < n; i++) {
            if (text.charAt(i) == c) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the value {@code m} matched in {@code text} ends, or {@code -1} when it is not a value after all. The
     * default takes the match as it is.
     */
    int validEnd(CharSequence text, Matcher m) {
        return m.end();
    }

    /**
     * For values without whitespace: the first position of the trailing word (see
     * {@link PiiDetector#pendingFrom}) from which the pattern runs into the end of {@code text}. Tighter than the
     * default, which holds any trailing word back: a long run such as a base64 blob is only held where a value could
     * start.
     */
    @Override
    public int pendingFrom(CharSequence text) {
        return pendingFrom(text, PiiDetector.super.pendingFrom(text));
    }

    /** For values that may contain spaces: any of the last {@link #maxLength()} positions may start one. */
    final int pendingWithSpaces(CharSequence text) {
        return pendingFrom(text, Math.max(0, text.length() - maxLength));
    }

    /**
     * The first position from {@code earliest} on from which the pattern runs into the end of {@code text}, where
     * {@link Matcher#hitEnd()} says more input could change the outcome: exact for any pattern, at the cost of one
     * short match attempt per position.
     */
    private int pendingFrom(CharSequence text, int earliest) {
        int n = text.length();
        Matcher m = matcher(text);
        for (int from = earliest; from < n; from++) {
            m.region(from, n).lookingAt();
            if (m.hitEnd()) {
                return from;
            }
        }
        return n;
    }

    /** A matcher whose regions are windows on the whole text: look-arounds see past them, anchors stay put. */
    private Matcher matcher(CharSequence text) {
        return pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    }
}
