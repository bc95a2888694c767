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

    private static final Pattern AT = Pattern.compile("@");

    EmailDetector() {
        super("EMAIL", PATTERN, 254);
    }

    @Override
    boolean mayHold(CharSequence text, int from) {
        return AT.matcher(text).region(from, text.length()).find();
    }
}
