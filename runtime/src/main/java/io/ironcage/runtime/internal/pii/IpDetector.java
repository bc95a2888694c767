package io.ironcage.runtime.internal.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.util.NetUtil;

/**
 * IP addresses: IPv4 in dotted quads and IPv6 in full or compressed form (including an embedded IPv4 tail). The
 * pattern only finds candidates; Netty's address parser decides. Dotted numbers with other than four parts
 * (versions such as {@code 1.2.3} or {@code 1.2.3.4.5}) are not candidates, and IPv6 candidates need a digit so
 * that {@code Foo::Bar} is not one.
 */
final class IpDetector extends PatternDetector {

    private static final Pattern PATTERN = Pattern.compile(
            "(?<![\\w:.])(?:(?<v4>\\d{1,3}(?:\\.\\d{1,3}){3})(?!\\w|\\.\\d)"
                    + "|(?<v6>[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]{0,39}[0-9A-Fa-f:])(?![\\w:]|\\.\\w))");

    private static final TextMarks.Word COLON = new TextMarks.Word(":");
    private static final TextMarks.Word DOT = new TextMarks.Word(".");

    IpDetector() {
        super("IP", PATTERN, 45, IpDetector::next);
    }

    /**
     * An address starts at most four characters before a {@code :} (IPv6) or three before a {@code .} that follows a
     * digit (IPv4), so only the few positions before those are tested; both marks are found by the text's own search.
     */
    private static int next(CharSequence text, int at, TextMarks marks) {
        int n = text.length();
        int colon = marks.indexOf(COLON, at);
        int dot = marks.indexOf(DOT, at);
        int from = at;
        while (colon < n || dot < n) {
            int mark = Math.min(colon, dot);
            // an IPv4 address's first dot follows a digit (most dots in prose do not); an IPv6 address has a colon
            if (mark == colon || mark > 0 && StartScan.isDigit(text.charAt(mark - 1))) {
                for (int i = Math.max(from, mark - 4); i <= mark; i++) {
                    if (mayStart(text, i)) {
                        return i;
                    }
                }
                from = mark + 1;
            }
            if (mark == colon) {
                colon = marks.indexOf(COLON, mark + 1);
            } else {
                dot = marks.indexOf(DOT, mark + 1);
            }
        }
        return n;
    }

    /**
     * An address starts a word: IPv4 with one to three digits and a dot, IPv6 with a hex digit or {@code :} and a
     * {@code :} within its first five characters.
     */
    private static boolean mayStart(CharSequence text, int i) {
        char c = text.charAt(i);
        return (StartScan.isHex(c) || c == ':') && StartScan.startsWord(text, i)
                && (StartScan.occurs(text, ':', i, i + 5)
                        || StartScan.isDigit(c) && StartScan.occurs(text, '.', i + 1, i + 4));
    }

    @Override
    int validEnd(CharSequence text, Matcher m) {
        String v4 = m.group("v4");
        if (v4 != null) {
            return NetUtil.isValidIpV4Address(v4) ? m.end() : -1;
        }
        String v6 = m.group("v6");
        return v6.chars().anyMatch(Character::isDigit) && NetUtil.isValidIpV6Address(v6) ? m.end() : -1;
    }
}
