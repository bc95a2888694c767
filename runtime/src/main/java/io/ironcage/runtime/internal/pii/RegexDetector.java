package io.ironcage.runtime.internal.pii;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A detector for a pattern from configuration, e.g. employee or patient ids. The pattern may contain spaces; a
 * stream holds back any tail the pattern could still grow from.
 */
public final class RegexDetector extends PatternDetector {

    /** The longest value a configured pattern may match unless configured otherwise. */
    public static final int DEFAULT_MAX_LENGTH = 256;

    private static final Pattern KIND = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** A detector of {@code kind} (upper-cased) for {@code regex}, matching at most {@link #DEFAULT_MAX_LENGTH}. */
    public RegexDetector(String kind, String regex) {
        this(kind, regex, DEFAULT_MAX_LENGTH);
    }

    /**
     * A detector of {@code kind} (upper-cased) for {@code regex}, matching at most {@code maxLength} chars.
     *
     * @throws IllegalArgumentException when the kind is not a name, the regex does not compile or maxLength is not
     *         positive
     */
    public RegexDetector(String kind, String regex, int maxLength) {
        super(kindName(kind), Pattern.compile(regex), maxLength);
    }

    @Override
    public int pendingFrom(CharSequence text) {
        return pendingWithSpaces(text);
    }

    private static String kindName(String kind) {
        String name = kind.toUpperCase(Locale.ROOT);
        if (!KIND.matcher(name).matches()) {
            throw new IllegalArgumentException("PII kind must be a name of letters, digits and '_': " + kind);
        }
        return name;
    }
}
