package io.ironcage.runtime.internal.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.ironcage.runtime.spi.PiiDetector;
import io.ironcage.runtime.spi.PiiMatch;

/**
 * The built-in detectors try their patterns only where their start scans say a value may begin; they must find
 * exactly what the pattern tried at every position finds. Checked on texts built from the pieces values are made of
 * (keys, addresses, numbers, separators, words that nearly match), shuffled, as a {@code String} and as a
 * {@code StringBuilder}, and from a random starting offset with the text's number marks shared by all detectors (as
 * {@link PiiScanner} shares them).
 */
class StartScanTest {

    private static final String[] PIECES = { " ", " ", "  ", "\t", "\n", "-", ".", ":", "::", "@", "_", "+", "(",
            ")", "/", "%", ",", "a", "e", "s", "g", "A", "K", "S", "Z", "x", "0", "1", "4", "7", "9", "12", "555",
            "2024", "0000", "4111", "1111", "123-45-6789", "078-05-1120", "+44 20 7946 0958", "(555) 123-4567",
            "1-800-555-0199", "978-555-0100", "030 12345678", "4111 1111 1111 1111", "4111-1111-1111-1111",
            "378282246310005", "192.168.1.20", "10.0.0.1", "1.2.3", "fe80::1", "2001:db8::8a2e:370:7334",
            "::ffff:192.0.2.1",
            "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "DE89", "jane.doe@example.com", "a@b.co",
            "icon@2x.png", "lodash@4.17.21", "user+tag@mail.example.org", "sk-", "sk-learn",
            "sk-proj-AbCdEfGhIjKlMnOpQrStUv123456", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx12",
            "AKIAIOSFODNN7EXAMPLE", "ASIA", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "github_pat_", "Bearer ",
            "bearer\t", "BEARER ", "abc123DEF456ghi789JKL0", "word", "Word", "the", "Note:", "v1.2.3" };

    @Test
    @Timeout(120) // a scan that stops advancing loops for ever
    void everyDetectorFindsWhatItsPatternFindsEverywhere() {
        Random random = new Random(20261126);
        List<PiiDetector> detectors = BuiltInDetectors.all();
        Map<String, Integer> found = new TreeMap<>();
        for (int round = 0; round < 3000; round++) {
            String text = text(random);
            TextMarks shared = new TextMarks(text); // as the scanner shares them among the detectors of a text
            for (PiiDetector detector : detectors) {
                PatternDetector d = (PatternDetector) detector;
                List<PiiMatch> everywhere = new ArrayList<>();
                d.findEverywhere(text, everywhere::add);
                List<PiiMatch> scanned = new ArrayList<>();
                d.find(text, scanned::add);
                assertEquals(everywhere, scanned, d.kind() + " in \"" + text + "\"");
                List<PiiMatch> inBuilder = new ArrayList<>();
                d.find(new StringBuilder(text), inBuilder::add); // streams scan a builder's text
                assertEquals(everywhere, inBuilder, d.kind() + " in a StringBuilder \"" + text + "\"");
                scanned.forEach(m -> found.merge(m.kind(), 1, Integer::sum));
                int from = random.nextInt(text.length() + 1);
                List<PiiMatch> fromThere = new ArrayList<>();
                d.find(text, from, shared, fromThere::add);
                assertEquals(everywhereFrom(d, text, from), fromThere, d.kind() + " from " + from + " in \"" + text
                        + "\"");
            }
        }
        // the texts hold values of every kind, not only near misses
        assertEquals(detectors.size(), found.size(), found.toString());
        found.forEach((kind, n) -> assertTrue(n >= 20, kind + " found " + n + " times"));
    }

    /** The reference from an offset: the whole pattern search on the text with the region starting there. */
    private static List<PiiMatch> everywhereFrom(PatternDetector d, String text, int from) {
        List<PiiMatch> all = new ArrayList<>();
        d.findEverywhereFrom(text, from, all::add);
        return all;
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(14);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
