package io.ironcage.runtime.internal.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.ironcage.runtime.spi.PiiDetector;
import io.ironcage.runtime.spi.PiiMatch;

/**
 * Runs a set of detectors over a text and settles where their findings overlap: the longer value wins (a card
 * number is not also a phone number), and on equal spans the detector listed first. Thread-safe when the detectors
 * are.
 */
public final class PiiScanner {

    private static final Comparator<PiiMatch> BY_START_LONGEST_FIRST = Comparator.comparingInt(PiiMatch::start)
            .thenComparing(Comparator.comparingInt(PiiMatch::length).reversed());

    private final List<PiiDetector> detectors;
    private final int maxLength;

    public PiiScanner(List<? extends PiiDetector> detectors) {
        this.detectors = List.copyOf(detectors);
        this.maxLength = this.detectors.stream().mapToInt(PiiDetector::maxLength).max().orElse(0);
    }

    /**
     * The values in {@code text}, ordered by start and not overlapping.
     *
     * @throws PiiScanException when a detector fails
     */
    public List<PiiMatch> scan(CharSequence text) {
        return withoutOverlaps(findAll(text, 0));
    }

    /** {@code text} with each of {@code matches} (as {@link #scan} returns them) replaced by its marker. */
    public String redact(CharSequence text, List<PiiMatch> matches) {
        StringBuilder out = new StringBuilder(text.length() + 16 * matches.size());
        appendRedacted(out, text, 0, text.length(), matches);
        return out.toString();
    }

    /** The longest value any detector can match. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * The earliest index from which the end of {@code text} could still grow into a value of any detector (see
     * {@link PiiDetector#pendingFrom}).
     *
     * @throws PiiScanException when a detector fails
     */
    public int pendingFrom(CharSequence text) {
        int from = text.length();
        for (PiiDetector detector : detectors) {
            try {
                from = Math.min(from, within(detector.pendingFrom(text), text));
            } catch (RuntimeException | StackOverflowError e) {
                throw new PiiScanException(detector.kind(), e);
            }
        }
        return from;
    }

    /**
     * Appends {@code text[from, to)} to {@code out} with each of {@code matches}, which must lie in that range,
     * ordered and not overlapping, replaced by {@code [REDACTED_<KIND>]}.
     */
    static void appendRedacted(StringBuilder out, CharSequence text, int from, int to, List<PiiMatch> matches) {
        int at = from;
        for (PiiMatch m : matches) {
            out.append(text, at, m.start()).append("[REDACTED_").append(m.kind()).append(']');
            at = m.end();
        }
        out.append(text, at, to);
    }

    /**
     * Every detector's findings in {@code text} that start at or after {@code from} (see
     * {@link PiiDetector#find(CharSequence, int, java.util.function.Consumer)}), overlaps included, ordered by start
     * and, on equal starts, longest first (then in detector order).
     *
     * @throws PiiScanException when a detector fails
     */
    List<PiiMatch> findAll(CharSequence text, int from) {
        List<PiiMatch> found = new ArrayList<>();
        Consumer<PiiMatch> add = match -> found.add(within(match, from, text));
        TextMarks marks = new TextMarks(text); // found once, if a built-in detector asks
        for (PiiDetector detector : detectors) {
            try {
                if (detector instanceof PatternDetector patterns) { // the built-in and configured ones
                    patterns.find(text, from, marks, add);
                } else {
                    detector.find(text, from, add);
                }
            } catch (RuntimeException | StackOverflowError e) {
                throw new PiiScanException(detector.kind(), e);
            }
        }
        found.sort(BY_START_LONGEST_FIRST);
        return found;
    }

    /** Of findings in {@link #findAll}'s order, keeps the longer of two that overlap (on a tie the first). */
    static List<PiiMatch> withoutOverlaps(List<PiiMatch> sorted) {
        if (sorted.size() < 2) {
            return sorted;
        }
        List<PiiMatch> kept = new ArrayList<>(sorted.size());
        for (PiiMatch m : sorted) {
            int last = kept.size() - 1;
            if (last < 0 || m.start() >= kept.get(last).end()) {
                kept.add(m);
            } else if (m.length() > kept.get(last).length()) {
                kept.set(last, m);
            }
        }
        return kept;
    }

    private static PiiMatch within(PiiMatch match, int from, CharSequence text) {
        Objects.requireNonNull(match, "match");
        if (match.start() < from || match.end() > text.length()) {
            throw new IllegalStateException(match + " lies outside [" + from + ", " + text.length() + ")");
        }
        return match;
    }

    private static int within(int index, CharSequence text) {
        if (index < 0 || index > text.length()) {
            throw new IllegalStateException("pendingFrom " + index + " outside the text's " + text.length() + " chars");
        }
        return index;
    }
}
