package io.ironcage.runtime.internal.pii;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.ironcage.runtime.spi.PiiMatch;

/**
 * Scans text that arrives in pieces (the deltas of one text channel of one streamed answer) and finds the values a
 * scan of the whole text would find, each once, wherever the pieces split them.
 * <p>
 * The text is <em>settled</em> up to the point before which no value can change any more:
 * {@link PiiScanner#pendingFrom} of what has arrived, moved back before any finding that runs across it. Each piece
 * scans only the unsettled tail, and values are reported (and, when redacting, replaced) as they settle, so none is
 * reported twice or in part.
 * Besides the unsettled tail, at most {@link PiiScanner#maxLength()} settled characters are kept, as the context
 * the next values are seen in (what they may or may not follow); nothing else of the stream is buffered. When only
 * detecting, the tail is scanned in batches of {@value #DETECT_BATCH} characters.
 * <p>
 * Not thread-safe: one instance per stream and text channel.
 */
public final class StreamScanner {

    /** What happens to the text. */
    public enum Mode {
        /** The text passes at once, unchanged; values are only reported. */
        DETECT,
        /**
         * Values are replaced by {@code [REDACTED_<KIND>]}; a tail that could still grow into a value is held back
         * until it settles. Also the mode to block with: a value is reported before any of it is let through, so
         * the caller can end the stream on the first one.
         */
        REDACT
    }

    /**
     * When only detecting, the text passes at once whatever is found, so the unsettled tail is scanned once it has
     * grown this long (and at the end), not for every small delta: values are reported the same, a little later.
     */
    static final int DETECT_BATCH = 512;

    private final PiiScanner scanner;
    private final Mode mode;
    private final Consumer<PiiMatch> onFound;
    private final Set<String> kindsFound = new LinkedHashSet<>();
    private final StringBuilder window = new StringBuilder();
    private final StringBuilder out = new StringBuilder();
    private final List<PiiMatch> settling = new ArrayList<>();
    /** Stream index of {@code window[0]}. */
    private int offset;
    /** Window index before which every value has been reported (and, when redacting, the text let through). */
    private int settled;

    /**
     * @param onFound told of each value as it settles, with its span in the whole stream
     */
    public StreamScanner(PiiScanner scanner, Mode mode, Consumer<PiiMatch> onFound) {
        this.scanner = scanner;
        this.mode = mode;
        this.onFound = onFound;
    }

    /**
     * Takes the next piece of the stream and returns the text to send now: when detecting, the piece itself; when
     * redacting, what settled, with its values replaced ({@code ""} while all of it is held back).
     *
     * @throws PiiScanException when a detector fails
     */
    public String accept(CharSequence piece) {
        window.append(piece);
        if (mode == Mode.DETECT) {
            if (window.length() - settled >= DETECT_BATCH) {
                settle(scanner.pendingFrom(window));
            }
            return piece.toString();
        }
        return settle(scanner.pendingFrom(window));
    }

    /**
     * Ends the stream: settles what was held back and returns it, redacted ({@code ""} when detecting).
     *
     * @throws PiiScanException when a detector fails
     */
    public String finish() {
        String rest = settle(window.length());
        return mode == Mode.REDACT ? rest : "";
    }

    /** The kinds found so far, in the order first found. */
    public Set<String> kindsFound() {
        return Collections.unmodifiableSet(kindsFound);
    }

    /** How many characters of the stream are held back, unsettled. */
    public int pendingLength() {
        return window.length() - settled;
    }

    /** Settles the text up to {@code pendingFrom} (or before); returns it, redacted, when redacting. */
    private String settle(int pendingFrom) {
        if (pendingFrom <= settled) {
            return "";
        }
        List<PiiMatch> found = scanner.findAll(window, settled);
        int cut = cutBefore(found, pendingFrom);
        if (cut <= settled) {
            return "";
        }
        report(PiiScanner.withoutOverlaps(found), cut);
        String text = "";
        if (mode == Mode.REDACT) {
            out.setLength(0);
            PiiScanner.appendRedacted(out, window, settled, cut, settling);
            text = out.toString();
        }
        settled = cut;
        dropOldContext();
        return text;
    }

    /**
     * {@code pendingFrom}, moved back before any finding that runs across it, overlaps included: a finding that
     * loses to a longer one in the pending tail may win once that one changes, so it must not settle without it.
     */
    private static int cutBefore(List<PiiMatch> found, int pendingFrom) {
        int cut = pendingFrom;
        for (int i = found.size() - 1; i >= 0; i--) {
            PiiMatch m = found.get(i);
            if (m.start() < cut && m.end() > cut) {
                cut = m.start();
            }
        }
        return cut;
    }

    /** Reports the values that end by {@code cut} and collects them into {@link #settling}. */
    private void report(List<PiiMatch> values, int cut) {
        settling.clear();
        for (PiiMatch m : values) {
            if (m.end() > cut) {
                break;
            }
            settling.add(m);
            kindsFound.add(m.kind());
            onFound.accept(new PiiMatch(m.kind(), offset + m.start(), offset + m.end()));
        }
    }

    /** Keeps at most {@link PiiScanner#maxLength()} settled characters as context. */
    private void dropOldContext() {
        int drop = settled - scanner.maxLength();
        if (drop > 0) {
            window.delete(0, drop);
            offset += drop;
            settled -= drop;
        }
    }
}
