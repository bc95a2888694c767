package io.ironcage.runtime.internal.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telephone numbers of 9 to 15 digits: international ({@code +44 20 7946 0958}, {@code +1 (555) 123-4567},
 * {@code +14155552671}), North American ({@code (555) 123-4567}, {@code 1-800-555-0199}) and European national
 * numbers with a trunk 0 ({@code 030 12345678}, {@code 06 12 34 56 78}). National numbers must be written with
 * separators, and no number may be glued to other digits or groups: that keeps out dates, years, prices, versions,
 * card numbers and bare numeric ids.
 */
final class PhoneDetector extends PatternDetector {

    private static final String INTERNATIONAL = "\\+\\d{1,3}(?:[ .-]?\\(\\d{1,4}\\))?(?:[ .-]?\\d){4,14}";
    private static final String NORTH_AMERICAN = "(?:1[ .-]?)?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}";
    private static final String EUROPEAN = "0\\d{1,4}(?<s>[ /.-])\\d{2,8}(?:\\k<s>\\d{2,8}){0,3}";
    private static final Pattern PATTERN = Pattern.compile(
            "(?=[\\d+(])(?<![\\w+.-]|\\d[ ./-])(?:" + INTERNATIONAL + "|" + NORTH_AMERICAN + "|" + EUROPEAN + ")"
                    + "(?!\\w|[ ./-]?\\d)");

    PhoneDetector() {
        super("PHONE", PATTERN, 41, (text, at, marks) -> marks.nextNumber(at, PhoneDetector::mayStart));
    }

    /**
     * A number starts a word here the way one of the three layouts can: an international one with {@code +}, a
     * European one with its trunk {@code 0}, a North American one (the only layout starting with another digit or
     * {@code (}) with its 10 digits within 16 characters. Years, versions and counts in prose fail that last test, and
     * it is far cheaper than the pattern failing.
     */
    private static boolean mayStart(CharSequence text, int i) {
        char c = text.charAt(i);
        if (!StartScan.startsWord(text, i)) {
            return false;
        }
        return c == '+' || c == '0' || (c == '(' || StartScan.isDigit(c)) && StartScan.digits(text, i, i + 16) >= 10;
    }

    @Override
    int validEnd(CharSequence text, Matcher m) {
        long digits = text.subSequence(m.start(), m.end()).chars().filter(Character::isDigit).count();
        return digits >= 9 && digits <= 15 ? m.end() : -1;
    }

    @Override
    public int pendingFrom(CharSequence text) {
        return pendingWithSpaces(text);
    }
}
