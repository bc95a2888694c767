package io.ironcage.runtime.internal.pii;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys and tokens: OpenAI ({@code sk-…}, {@code sk-proj-…}) and Anthropic ({@code sk-ant-…}) keys, AWS access
 * key ids ({@code AKIA…}, {@code ASIA…}), GitHub tokens ({@code ghp_…}, {@code github_pat_…}) and the token
 * after {@code Bearer} and one space or tab (the token only, so an {@code Authorization} header stays readable).
 * <p>
 * Words that merely start like a key ({@code sk-learn}, {@code sk-learn-tutorial-for-beginners}) are kept out by
 * length and by the mix of characters random keys have: an {@code sk-} key needs upper-case letters, lower-case
 * letters and digits, a bearer token letters and digits.
 */
final class SecretDetector extends PatternDetector {

    private static final Pattern PATTERN = Pattern.compile(
            "(?=[sAg])(?<![\\w-])(?:(?<sk>sk-[A-Za-z0-9_-]{20,250})"
                    + "|A[KS]IA[A-Z0-9]{16}"
                    + "|gh[pousr]_[A-Za-z0-9]{36,251}"
                    + "|github_pat_[A-Za-z0-9_]{22,244})(?![\\w-])"
                    + "|(?<=\\b(?i:bearer)[ \\t])(?<bearer>[A-Za-z0-9._~+/=-]{20,512})");

    private static final int DIGIT = 1;
    private static final int LOWER = 2;
    private static final int UPPER = 4;

    SecretDetector() {
        super("SECRET", PATTERN, 512, SecretDetector::next);
    }

    /** What every key starts with ({@code gh}: GitHub's classic tokens, which {@link #keyPrefixAt} checks further). */
    private static final TextMarks.Word[] KEY_PREFIXES = words("sk-", "AKIA", "ASIA", "gh", "github_pat_");

    /**
     * A key starts a word (no {@code -} before it either) with its prefix: {@code sk-}, {@code AKIA} or {@code ASIA},
     * {@code gh} and a letter and {@code _}, {@code github_pat_}; a bearer token follows {@code bearer} (any case) and
     * one space or tab. The prefixes and blanks are found by the text's own search.
     */
    private static int next(CharSequence text, int at, TextMarks marks) {
        int key = marks.firstOf(KEY_PREFIXES, at, text.length(),
                (t, i) -> keyPrefixAt(t, i) && (i == 0 || !isWordOrDash(t.charAt(i - 1))));
        return Math.min(key, tokenAfterBearer(text, at, key, marks));
    }

    /** How {@code bearer} (any case) ends before the blank: its {@code r} and the blank. */
    private static final TextMarks.Word[] R_BLANKS = words("r ", "r\t", "R ", "R\t");

    /**
     * The first position from {@code at} on, before {@code limit}, that follows {@code bearer} and a blank. Found from
     * the places an {@code r} meets a blank (far rarer than blanks).
     */
    private static int tokenAfterBearer(CharSequence text, int at, int limit, TextMarks marks) {
        int r = marks.firstOf(R_BLANKS, Math.max(0, at - 2), limit - 2, (t, i) -> followsBearer(t, i + 1));
        return r < limit - 2 ? r + 2 : limit;
    }

    private static TextMarks.Word[] words(String... texts) {
        return Arrays.stream(texts).map(TextMarks.Word::new).toArray(TextMarks.Word[]::new);
    }

    private static boolean keyPrefixAt(CharSequence text, int i) {
        return switch (text.charAt(i)) {
            case 's' -> StartScan.startsWith(text, i, "sk-");
            case 'A' -> StartScan.startsWith(text, i, "AKIA") || StartScan.startsWith(text, i, "ASIA");
            case 'g' -> i + 3 < text.length() && text.charAt(i + 1) == 'h' && text.charAt(i + 3) == '_'
                    || StartScan.startsWith(text, i, "github_pat_");
            default -> false;
        };
    }

    private static boolean isWordOrDash(char c) {
        return StartScan.isWordChar(c) || c == '-';
    }

    /** Whether the blank at {@code i} follows {@code bearer} (any case). */
    private static boolean followsBearer(CharSequence text, int i) {
        if (i < 6) {
            return false;
        }
        for (int k = 0; k < 6; k++) {
            if (Character.toLowerCase(text.charAt(i - 6 + k)) != "bearer".charAt(k)) {
                return false;
            }
        }
        return true;
    }

    @Override
    int validEnd(CharSequence text, Matcher m) {
        if (m.start("sk") >= 0) {
            return classes(text, m.start(), m.end()) == (DIGIT | LOWER | UPPER) ? m.end() : -1;
        }
        if (m.start("bearer") >= 0) {
            int classes = classes(text, m.start(), m.end());
            return (classes & DIGIT) != 0 && (classes & (LOWER | UPPER)) != 0 ? m.end() : -1;
        }
        return m.end();
    }

    /** Which of digits, lower-case and upper-case letters occur in {@code text[from, to)}, as a bit set. */
    private static int classes(CharSequence text, int from, int to) {
        int classes = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (Character.isDigit(c)) {
                classes |= DIGIT;
            } else if (Character.isLowerCase(c)) {
                classes |= LOWER;
            } else if (Character.isUpperCase(c)) {
                classes |= UPPER;
            }
        }
        return classes;
    }
}
