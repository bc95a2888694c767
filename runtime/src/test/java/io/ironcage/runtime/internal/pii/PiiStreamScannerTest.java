package io.ironcage.runtime.internal.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.internal.pii.StreamScanner.Mode;
import io.ironcage.runtime.spi.PiiDetector;
import io.ironcage.runtime.spi.PiiMatch;

/**
 * A stream, however it is split, is scanned as the whole text would be: redacting gives the same text, detecting
 * reports the same values (kinds and spans), once each.
 */
class PiiStreamScannerTest {

    private static final PiiScanner SCANNER = new PiiScanner(BuiltInDetectors.all());

    /** Every kind, values side by side and spaced values at the very end, so splits land everywhere that matters. */
    private static final String TEXT = "Hi, I'm Jane (jane.doe@example.com, +1 (555) 123-4567). Card 4111 1111 1111 "
            + "1111 exp 12/26, IBAN DE89 3704 0044 0532 0130 00. SSN 123-45-6789 from 192.168.1.10 or "
            + "fe80::1ff:fe23:4567:890a; key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z and Authorization: Bearer "
            + "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc123XYZ, then 4111 1111 1111 1111 123 and 2024-01-15; "
            + "x@y.de,555-123-4567 call +44 20 7946 0958";

    private static final String PROSE = """
            The quarterly report shows that revenue grew by twelve percent, driven mostly by the new \
            subscription tier. Customers in Europe adopted it faster than expected, while the North American \
            market lagged slightly behind. In spring we opened three offices; the board meets on Mondays.
            Next steps: hire, train, and (if all goes well) expand — "carefully", as the CFO put it.
            """;

    /** What a stream produced: the text sent and the values reported. */
    private record Run(String text, List<PiiMatch> found, LinkedHashSet<String> kinds) {
    }

    private static Run stream(PiiScanner scanner, Mode mode, List<String> pieces) {
        List<PiiMatch> found = new ArrayList<>();
        StreamScanner stream = new StreamScanner(scanner, mode, found::add);
        StringBuilder out = new StringBuilder();
        for (String piece : pieces) {
            out.append(stream.accept(piece));
        }
        out.append(stream.finish());
        return new Run(out.toString(), found, new LinkedHashSet<>(stream.kindsFound()));
    }

    private static void assertStreamsLikeTheWhole(PiiScanner scanner, String text, List<String> pieces) {
        List<PiiMatch> whole = scanner.scan(text);
        String redacted = scanner.redact(text, whole);
        LinkedHashSet<String> kinds = new LinkedHashSet<>();
        whole.forEach(m -> kinds.add(m.kind()));
        Run redacting = stream(scanner, Mode.REDACT, pieces);
        assertEquals(redacted, redacting.text(), () -> "redacting " + pieces);
        assertEquals(whole, redacting.found(), () -> "redacting " + pieces);
        assertEquals(kinds, redacting.kinds());
        Run detecting = stream(scanner, Mode.DETECT, pieces);
        assertEquals(text, detecting.text(), () -> "detecting " + pieces);
        assertEquals(whole, detecting.found(), () -> "detecting " + pieces);
    }

    private static List<String> split(String text, int... at) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (int to : at) {
            pieces.add(text.substring(from, to));
            from = to;
        }
        pieces.add(text.substring(from));
        return pieces;
    }

    private static List<String> chars(String text) {
        return text.chars().mapToObj(Character::toString).toList();
    }

    @Test
    void theTestTextHasEveryKind() {
        List<PiiMatch> whole = SCANNER.scan(TEXT);
        assertEquals(13, whole.size(), whole::toString);
        assertEquals(List.of("EMAIL", "PHONE", "CARD", "IBAN", "SSN", "IP", "SECRET"),
                whole.stream().map(PiiMatch::kind).distinct().toList());
    }

    @Test
    void twoPiecesSplitAnywhere() {
        for (int at = 0; at <= TEXT.length(); at++) {
            assertStreamsLikeTheWhole(SCANNER, TEXT, split(TEXT, at));
        }
    }

    @Test
    void threePiecesSplitAtRandom() {
        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            int a = random.nextInt(TEXT.length() + 1);
            int b = random.nextInt(TEXT.length() + 1);
            assertStreamsLikeTheWhole(SCANNER, TEXT, split(TEXT, Math.min(a, b), Math.max(a, b)));
        }
    }

    @Test
    void oneCharacterAtATime() {
        assertStreamsLikeTheWhole(SCANNER, TEXT, chars(TEXT));
    }

    @Test
    void aLongStreamInRandomPieces() {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        while (text.length() < 20_000) {
            text.append(random.nextBoolean() ? PROSE : TEXT).append(' ');
        }
        List<String> pieces = new ArrayList<>();
        for (int at = 0; at < text.length();) {
            int to = Math.min(text.length(), at + 1 + random.nextInt(12));
            pieces.add(text.substring(at, to));
            at = to;
        }
        assertStreamsLikeTheWhole(SCANNER, text.toString(), pieces);

        StreamScanner stream = new StreamScanner(SCANNER, Mode.REDACT, m -> {
        });
        int mostPending = 0;
        for (String piece : pieces) {
            stream.accept(piece);
            mostPending = Math.max(mostPending, stream.pendingLength());
        }
        assertTrue(mostPending <= SCANNER.maxLength(), "held back at most " + mostPending);

        // detecting scans in batches, yet reports as it goes, not only at the end
        List<PiiMatch> reported = new ArrayList<>();
        StreamScanner detecting = new StreamScanner(SCANNER, Mode.DETECT, reported::add);
        pieces.forEach(detecting::accept);
        int total = SCANNER.scan(text).size();
        assertTrue(reported.size() > total * 9 / 10, reported.size() + " of " + total + " reported before the end");
    }

    @Test
    void aConfiguredPatternWithSpacesIsCaughtAcrossPieces() {
        PiiScanner scanner = new PiiScanner(List.of(new RegexDetector("PATIENT", "Patient ID \\d{5}\\b"),
                new EmailDetector()));
        String text = "Re: Patient ID 12345 (jane@example.com), not Patient ID 123456 nor Patient 12345.";
        for (int at = 0; at <= text.length(); at++) {
            assertStreamsLikeTheWhole(scanner, text, split(text, at));
        }
        assertEquals("Re: [REDACTED_PATIENT] ([REDACTED_EMAIL]), not Patient ID 123456 nor Patient 12345.",
                stream(scanner, Mode.REDACT, chars(text)).text());
    }

    // ---- latency --------------------------------------------------------------------------------------------------

    @Test
    void proseIsHeldBackNoFurtherThanTheCurrentWord() {
        assertEquals(List.of(), SCANNER.scan(PROSE));
        for (List<String> pieces : List.of(chars(PROSE), words(PROSE))) {
            StreamScanner stream = new StreamScanner(SCANNER, Mode.REDACT, m -> {
            });
            StringBuilder sent = new StringBuilder();
            StringBuilder received = new StringBuilder();
            for (String piece : pieces) {
                received.append(piece);
                sent.append(stream.accept(piece));
                assertTrue(stream.pendingLength() <= trailingWord(received),
                        () -> "held back " + stream.pendingLength() + " after [" + received + "]");
            }
            assertEquals(PROSE, sent.append(stream.finish()).toString());
        }
    }

    @Test
    void aNumberIsHeldBackUntilItCannotStartASpacedValue() {
        StreamScanner stream = new StreamScanner(SCANNER, Mode.REDACT, m -> {
        });
        assertEquals("In ", stream.accept("In 2024"));
        assertEquals("", stream.accept(" "), "2024 could be the first group of a card number");
        assertEquals("2024 ", stream.accept("we"));
        assertEquals(2, stream.pendingLength(), "only the current word");
    }

    /** Pieces the way models stream them: each word with the space before it. */
    private static List<String> words(String text) {
        return List.of(text.split("(?= )"));
    }

    private static int trailingWord(CharSequence text) {
        int from = text.length();
        while (from > 0 && !Character.isWhitespace(text.charAt(from - 1))) {
            from--;
        }
        return text.length() - from;
    }

    // ---- block mode and failures ----------------------------------------------------------------------------------

    @Test
    void aValueIsReportedBeforeAnyOfItIsSent() {
        String text = "Sure! Her number is +44 20 7946 0958 and her mail jane@example.com.";
        String redacted = SCANNER.redact(text, SCANNER.scan(text));
        List<String> pieces = chars(text);
        StreamScanner stream = new StreamScanner(SCANNER, Mode.REDACT, m -> {
        });
        StringBuilder sent = new StringBuilder();
        int piece = 0;
        while (stream.kindsFound().isEmpty()) {
            sent.append(stream.accept(pieces.get(piece++)));
        }
        assertEquals(List.of("PHONE"), List.copyOf(stream.kindsFound()));
        assertTrue(redacted.startsWith(sent.toString()), sent::toString);
        assertFalse(sent.toString().contains("7946"), sent::toString);
        assertEquals(text.indexOf(" and") + 1, piece - 1, "found once the number cannot grow any more");
    }

    @Test
    void anEmptyStreamSendsNothing() {
        StreamScanner stream = new StreamScanner(SCANNER, Mode.REDACT, m -> {
        });
        assertEquals("", stream.accept(""));
        assertEquals("", stream.finish());
        assertTrue(stream.kindsFound().isEmpty());
    }

    @Test
    void aFailingDetectorFailsTheStream() {
        PiiDetector broken = new PiiDetector() {
            @Override
            public String kind() {
                return "BROKEN";
            }

            @Override
            public void find(CharSequence text, Consumer<PiiMatch> found) {
                throw new IllegalStateException("boom");
            }

            @Override
            public int maxLength() {
                return 10;
            }
        };
        StreamScanner stream = new StreamScanner(new PiiScanner(List.of(new EmailDetector(), broken)), Mode.REDACT,
                m -> {
                });
        assertEquals("", stream.accept("hello"), "nothing settles, nothing is scanned yet");
        assertThrows(PiiScanException.class, () -> stream.accept(" world"));
    }
}
