package io.ironcage.runtime.internal.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.PatternSyntaxException;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.spi.PiiDetector;
import io.ironcage.runtime.spi.PiiMatch;

class PiiScannerTest {

    private static final PiiScanner BUILT_IN = new PiiScanner(BuiltInDetectors.all());

    /** The findings as {@code KIND=value}. */
    private static List<String> describe(PiiScanner scanner, String text) {
        return scanner.scan(text).stream().map(m -> m.kind() + "=" + text.substring(m.start(), m.end())).toList();
    }

    /** A detector with a fixed answer, or one that fails. */
    private record Fixed(String kind, int maxLength, List<PiiMatch> matches, RuntimeException failure)
            implements PiiDetector {

        @Override
        public void find(CharSequence text, Consumer<PiiMatch> found) {
            if (failure != null) {
                throw failure;
            }
            matches.forEach(found);
        }
    }

    // ---- overlaps -------------------------------------------------------------------------------------------------

    @Test
    void theLongerOfOverlappingFindingsWins() {
        PiiScanner scanner = new PiiScanner(List.of(
                new RegexDetector("short", "\\d{4} \\d{4}"),
                new RegexDetector("long", "\\d{4} \\d{4} \\d{4}"),
                new RegexDetector("tail", "\\d{4}!")));
        assertEquals(List.of("LONG=1234 5678 9012", "TAIL=3456!"), describe(scanner, "x 1234 5678 9012 3456! y"));
    }

    @Test
    void valuesWithoutADigitPassTheQuickChecksToo() {
        // the detectors skip texts without a digit, unless a value of their kind can do without one
        assertEquals(List.of("SECRET=AKIAABCDEFGHIJKLMNOP"), describe(BUILT_IN, "id AKIAABCDEFGHIJKLMNOP here"));
        assertEquals(List.of("SECRET=ghp_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"),
                describe(BUILT_IN, "token ghp_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"));
        assertEquals(List.of("IP=fe80::1"), describe(BUILT_IN, "host fe80::1 is up"));
        assertEquals(List.of("EMAIL=jane@example.com"), describe(BUILT_IN, "mail jane@example.com"));
        assertEquals(List.of(), describe(BUILT_IN, "Hello there, nothing to see"));
    }

    @Test
    void onEqualSpansTheDetectorListedFirstWins() {
        // 078-05-1120 is both an SSN and a European-style phone number.
        assertEquals(List.of("SSN=078-05-1120"), describe(BUILT_IN, "SSN 078-05-1120."));
        PiiScanner phoneFirst = new PiiScanner(List.of(new PhoneDetector(), new SsnDetector()));
        assertEquals(List.of("PHONE=078-05-1120"), describe(phoneFirst, "SSN 078-05-1120."));
    }

    @Test
    void aCardIsNotAlsoAPhoneAndAnAddressSwallowsTheDigitsInIt() {
        assertEquals(List.of("CARD=4111 1111 1111 1111"), describe(BUILT_IN, "card 4111 1111 1111 1111 ok"));
        assertEquals(List.of("EMAIL=4111111111111111@example.com"),
                describe(BUILT_IN, "write to 4111111111111111@example.com"));
    }

    // ---- redaction ------------------------------------------------------------------------------------------------

    @Test
    void redactsEachValueWithItsMarker() {
        String text = "Mail jane@example.com or call +44 20 7946 0958; card 4111-1111-1111-1111, "
                + "IBAN GB82 WEST 1234 5698 7654 32, SSN 123-45-6789, host 10.0.0.7, "
                + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc123XYZ";
        assertEquals("Mail [REDACTED_EMAIL] or call [REDACTED_PHONE]; card [REDACTED_CARD], "
                + "IBAN [REDACTED_IBAN], SSN [REDACTED_SSN], host [REDACTED_IP], "
                + "Authorization: Bearer [REDACTED_SECRET]", BUILT_IN.redact(text, BUILT_IN.scan(text)));
    }

    @Test
    void textWithoutValuesIsLeftAlone() {
        String text = "Nothing to see here: version 1.2.3, 250 staff, 2024-01-15, sk-learn.";
        assertEquals(List.of(), BUILT_IN.scan(text));
        assertEquals(text, BUILT_IN.redact(text, List.of()));
        assertEquals("", BUILT_IN.redact("", BUILT_IN.scan("")));
    }

    // ---- custom patterns ------------------------------------------------------------------------------------------

    @Test
    void aConfiguredPatternIsADetectorLikeAnyOther() {
        RegexDetector employee = new RegexDetector("employee_id", "\\bEMP-\\d{6}\\b");
        assertEquals("EMPLOYEE_ID", employee.kind());
        assertEquals(RegexDetector.DEFAULT_MAX_LENGTH, employee.maxLength());
        PiiScanner scanner = new PiiScanner(List.of(employee, new EmailDetector()));
        String text = "EMP-123456 (emp@example.com) replaced EMP-654321; EMP-1234567 is no id.";
        assertEquals("[REDACTED_EMPLOYEE_ID] ([REDACTED_EMAIL]) replaced [REDACTED_EMPLOYEE_ID]; EMP-1234567 is no id.",
                scanner.redact(text, scanner.scan(text)));
    }

    @Test
    void aConfiguredPatternIgnoresEmptyAndOverlongMatches() {
        PiiScanner scanner = new PiiScanner(List.of(new RegexDetector("ID", "ID-\\d*", 6)));
        assertEquals(List.of("ID=ID-123"), describe(scanner, "ID-123 ID-1234567"));
        assertEquals(List.of(), describe(new PiiScanner(List.of(new RegexDetector("NOTHING", "x*"))), "abc"));
    }

    @Test
    void aConfiguredPatternMustBeUsable() {
        assertThrows(IllegalArgumentException.class, () -> new RegexDetector("bad kind", "x"));
        assertThrows(IllegalArgumentException.class, () -> new RegexDetector("]", "x"));
        assertThrows(PatternSyntaxException.class, () -> new RegexDetector("OK", "(unclosed"));
        assertThrows(IllegalArgumentException.class, () -> new RegexDetector("OK", "x", 0));
    }

    // ---- failures -------------------------------------------------------------------------------------------------

    @Test
    void aFailingDetectorFailsTheScan() {
        IllegalStateException boom = new IllegalStateException("boom");
        PiiScanner scanner = new PiiScanner(List.of(new EmailDetector(), new Fixed("BROKEN", 10, List.of(), boom)));
        PiiScanException e = assertThrows(PiiScanException.class, () -> scanner.scan("jane@example.com"));
        assertSame(boom, e.getCause());
        assertEquals("PII detector BROKEN failed: java.lang.IllegalStateException: boom", e.getMessage());
    }

    @Test
    void aDetectorAnsweringNonsenseFailsTheScan() {
        PiiScanner outside = new PiiScanner(List.of(new Fixed("WILD", 10, List.of(new PiiMatch("WILD", 2, 50)), null)));
        assertInstanceOf(IllegalStateException.class,
                assertThrows(PiiScanException.class, () -> outside.scan("short")).getCause());
        PiiScanner negative = new PiiScanner(List.of(new PiiDetector() {
            @Override
            public String kind() {
                return "NEGATIVE";
            }

            @Override
            public void find(CharSequence text, Consumer<PiiMatch> found) {
            }

            @Override
            public int maxLength() {
                return 5;
            }

            @Override
            public int pendingFrom(CharSequence text) {
                return -1;
            }
        }));
        assertThrows(PiiScanException.class, () -> negative.pendingFrom("abc"));
    }

    @Test
    void aMatchIsASpan() {
        assertThrows(IllegalArgumentException.class, () -> new PiiMatch("X", -1, 2));
        assertThrows(IllegalArgumentException.class, () -> new PiiMatch("X", 3, 3));
        assertThrows(NullPointerException.class, () -> new PiiMatch(null, 0, 1));
        assertEquals(4, new PiiMatch("X", 2, 6).length());
    }

    // ---- bounds for streams ---------------------------------------------------------------------------------------

    @Test
    void maxLengthIsTheLongestAndPendingFromTheEarliest() {
        PiiScanner scanner = new PiiScanner(List.of(new Fixed("B", 3, List.of(), null),
                new Fixed("A", 7, List.of(), null)));
        assertEquals(7, scanner.maxLength());
        // Each holds the trailing word back no further than its maxLength: B from 12, A from 8.
        assertEquals(8, scanner.pendingFrom("some longerword"));
        PiiScanner withSsn = new PiiScanner(List.of(new Fixed("A", 7, List.of(), null), new SsnDetector()));
        assertEquals(11, withSsn.maxLength());
        assertEquals(4, withSsn.pendingFrom("ssn 123-45-67"), "A holds from 6, the SSN from 4");
        assertEquals(0, new PiiScanner(List.of()).maxLength());
        assertEquals(3, new PiiScanner(List.of()).pendingFrom("abc"));
    }

    @Test
    void byDefaultTheTrailingWordIsPending() {
        PiiDetector plain = new Fixed("PLAIN", 64, List.of(), null);
        assertEquals(6, plain.pendingFrom("write jane@exa"));
        assertEquals(15, plain.pendingFrom("write jane@ex. "));
        assertEquals(0, plain.pendingFrom(""));
        assertEquals(0, plain.pendingFrom("jane"));
        assertEquals(4, plain.pendingFrom("see https://example.com/some/long/path"));
    }

    @Test
    void aPatternHoldsBackOnlyWhereAValueCouldStart() {
        PiiDetector email = new EmailDetector();
        assertEquals(6, email.pendingFrom("write jane@exa"));
        assertEquals(6, email.pendingFrom("write jane@example.com"), "the domain may go on");
        assertEquals(15, email.pendingFrom("write jane@ex. "));
        assertEquals(34, email.pendingFrom("see https://example.com/some/long/path"), "only 'path' could be one");
        assertEquals(17, new SecretDetector().pendingFrom("see https://exam-"), "no key starts so");
    }

    @Test
    void valuesWithSpacesArePendingFromWhereTheyCouldStart() {
        assertEquals(5, new CardDetector().pendingFrom("card 4111 1111 11"));
        assertEquals(5, new CardDetector().pendingFrom("card 4111 1111 1111 1111"), "could grow to 19 digits");
        assertEquals(27, new CardDetector().pendingFrom("card 4111 1111 1111 1111 ok"));
        assertEquals(5, new PhoneDetector().pendingFrom("call +1 (555) 12"));
        assertEquals(5, new PhoneDetector().pendingFrom("call 030 "));
        assertEquals(5, new IbanDetector().pendingFrom("IBAN DE89 3704 00"));
        assertEquals(5, new IbanDetector().pendingFrom("IBAN D"));
        assertEquals(12, new IbanDetector().pendingFrom("hello world "));
        assertEquals(5, new RegexDetector("PATIENT", "Patient ID \\d{5}").pendingFrom("Dear Patient I"));
    }
}
