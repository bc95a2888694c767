package io.ironcage.runtime.internal.pii;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ironcage.runtime.spi.PiiDetector;
import io.ironcage.runtime.spi.PiiMatch;

/**
 * A detector built on a regular expression, optionally followed by a check the expression cannot make (a checksum,
 * a digit count). Matches longer than {@link #maxLength()} are ignored, so the bound a stream scanner relies on holds
 * whatever the pattern. The built-in detectors give a {@link StartScan}: their pattern is tried only where it says a
 * value may start, with the same results as the engine's own search at every position (see {@link #findEverywhere}).
 */
abstract class PatternDetector implements PiiDetector {

    private final String kind;
    private final Pattern pattern;
    private final int maxLength;
    private final StartScan starts;

    /** A detector whose pattern searches the text by itself (a configured pattern, where nothing else is known). */
    PatternDetector(String kind, Pattern pattern, int maxLength) {
        this(kind, pattern, maxLength, null);
    }

    /** @param starts where values may start: the pattern is tried there only; {@code null} to let it search */
    PatternDetector(String kind, Pattern pattern, int maxLength, StartScan starts) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength of " + kind + " must be positive: " + maxLength);
        }
        this.kind = kind;
        this.pattern = pattern;
        this.maxLength = maxLength;
        this.starts = starts;
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
        find(text, from, new TextMarks(text), found);
    }

    /** {@link #find}, sharing the marks of {@code text} with the other detectors that scan it. */
    final void find(CharSequence text, int from, TextMarks marks, Consumer<PiiMatch> found) {
        if (starts == null) {
            findEverywhereFrom(text, from, found);
        } else {
            findAtStarts(text, from, marks, found);
        }
    }

    /**
     * The search of a pattern without a start scan, and the reference {@link #find} must agree with: the pattern
     * tried at every position from {@code from} on, as {@link Matcher#find} does.
     */
    final void findEverywhereFrom(CharSequence text, int from, Consumer<PiiMatch> found) {
        Matcher m = matcher(text).region(from, text.length());
        while (m.find()) {
            report(text, m, found);
        }
    }

    /** {@link #findEverywhereFrom} from the start of the text. */
    final void findEverywhere(CharSequence text, Consumer<PiiMatch> found) {
        findEverywhereFrom(text, 0, found);
    }

    /**
     * The pattern tried only where the start scan says a value may start. The matcher is made at the first such
     * place: most texts have none for most detectors, and a matcher is the larger part of what a scan allocates.
     */
    private void findAtStarts(CharSequence text, int from, TextMarks marks, Consumer<PiiMatch> found) {
        int n = text.length();
        Matcher m = null;
        int p = from < n ? starts.next(text, from, marks) : n;
        while (p < n) {
            if (m == null) {
                m = matcher(text);
            }
            if (m.region(p, n).lookingAt()) {
                report(text, m, found);
                int after = m.end() > m.start() ? m.end() : m.end() + 1; // as Matcher.find goes on after a match
                p = after < n ? starts.next(text, after, marks) : n;
            } else {
                p = starts.next(text, p + 1, marks);
            }
        }
    }

    private void report(CharSequence text, Matcher m, Consumer<PiiMatch> found) {
        int end = validEnd(text, m);
        if (end > m.start() && end - m.start() <= maxLength) {
            found.accept(new PiiMatch(kind, m.start(), end));
        }
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
