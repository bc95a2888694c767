package io.ironcage.runtime.spi;

import java.util.function.Consumer;

/**
 * Finds one kind of personal or secret value in text (e-mail addresses, card numbers, API keys, …).
 * <p>
 * Detectors are shared by all calls and may run on several event loops at once: they must be stateless (or
 * thread-safe) and must not block. Besides the built-in ones, applications contribute their own as CDI beans.
 */
public interface PiiDetector {

    /** Upper-case name of the kind, e.g. {@code EMAIL}; it names the marker {@code [REDACTED_<KIND>]} and events. */
    String kind();

    /** Reports every value in {@code text}, in order of their start, to {@code found}. */
    void find(CharSequence text, Consumer<PiiMatch> found);

    /**
     * Reports the values that start at or after {@code from}; the text before it only serves as what a value may or
     * may not follow. Callers pick a {@code from} that no value runs across. A stream scanner calls this so it does
     * not scan again what it has already scanned. The default filters {@link #find(CharSequence, Consumer)}; detectors that
     * can start late (a {@link java.util.regex.Matcher#region region} with transparent bounds) should override it.
     */
    default void find(CharSequence text, int from, Consumer<PiiMatch> found) {
        find(text, match -> {
            if (match.start() >= from) {
                found.accept(match);
            }
        });
    }

    /**
     * The longest value this detector can match. It bounds how much of a stream is held back for this detector, and
     * a stream scanner keeps that much of the text it has let through as the context later values are seen in.
     */
    int maxLength();

    /**
     * For text that arrives in pieces: the index from which the end of {@code text} could still grow into a value of
     * this kind once more text arrives, or {@code text.length()} when nothing at the end could. A stream scanner
     * holds that tail back instead of letting part of a value through, so the answer should be as late as is safe:
     * an early answer delays the stream, a late one leaks values.
     * <p>
     * The default suits values without whitespace: the start of the trailing run of non-whitespace characters, but no
     * further back than {@link #maxLength()}. Detectors whose values may contain spaces override it.
     */
    default int pendingFrom(CharSequence text) {
        int floor = Math.max(0, text.length() - maxLength());
        int from = text.length();
        while (from > floor && !Character.isWhitespace(text.charAt(from - 1))) {
            from--;
        }
        return from;
    }
}
