package io.ironcage.runtime.internal.pii;

import java.util.regex.Pattern;

/**
 * E-mail addresses: a local part, {@code @}, and a domain with a letters-only top-level label. Image names such as
 * {@code icon@2x.png} and package specs such as {@code lodash@4.17.21} are not addresses.
 */
final class EmailDetector extends PatternDetector {

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern PATTERN = Pattern.compile(
            "(?<![\\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
                    + "@(?:" + LABEL + "\\.){1,8}"
                    + "(?!(?:png|jpe?g|gif|svg|webp)\\b)[A-Za-z]{2,63}"
                    + "(?![\\w-]|\\.[A-Za-z0-9])");


    private static final TextMarks.Word AT_SIGN = new TextMarks.Word("@");

    EmailDetector() {
        super("EMAIL", PATTERN, 254, EmailDetector::starts);
    }

    /**
     * An address starts a word with a letter or digit at most 64 characters before its {@code @} (the local part
     * holds no {@code @}, so it is the first one after the start).
     */
    private static int starts(CharSequence text, int at, TextMarks marks) {
        int n = text.length();
        int i = at;
        while (i < n) {
            int atSign = marks.indexOf(AT_SIGN, i + 1);
            if (atSign == n) {
                return n;
            }
            for (int p = Math.max(i, atSign - 64); p < atSign; p++) {
                if (StartScan.isLetterOrDigit(text.charAt(p)) && StartScan.startsWord(text, p)) {
                    return p;
                }
            }
            i = atSign + 1;
        }
        return n;
    }
}
