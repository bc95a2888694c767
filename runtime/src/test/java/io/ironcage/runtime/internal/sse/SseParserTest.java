package io.ironcage.runtime.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.buffer.Buffer;

class SseParserTest {

    private static final StreamEvent ERROR = new StreamEvent("error",
            "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream failed\"}}");
    /** OpenAI streams name no events: a pending {@code event:} line must not attach itself to this one. */
    private static final StreamEvent OPENAI_ERROR = new StreamEvent(null,
            "{\"error\":{\"message\":\"upstream failed\",\"type\":\"server_error\"}}");

    static List<String> fixtures() {
        return SseFixtures.names();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** A parser with the events it has dispatched so far. */
    private static final class Recorder {
        final List<StreamEvent> events = new ArrayList<>();
        final SseParser parser = new SseParser(events::add);

        Recorder feed(byte[] bytes, int from, int to) {
            parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, from, to)));
            return this;
        }

        Recorder feed(String text) {
            parser.feed(Buffer.buffer(text));
            return this;
        }
    }

    private static List<StreamEvent> parseWhole(byte[] bytes) {
        Recorder r = new Recorder().feed(bytes, 0, bytes.length);
        r.parser.end();
        return r.events;
    }

    /** Feeds {@code bytes} cut at the given ascending positions, then ends the stream. */
    private static List<StreamEvent> parseSplit(byte[] bytes, int... cuts) {
        Recorder r = new Recorder();
        int from = 0;
        for (int cut : cuts) {
            r.feed(bytes, from, cut);
            from = cut;
        }
        r.feed(bytes, from, bytes.length);
        r.parser.end();
        return r.events;
    }

    /** Random cut points; chunk sizes are biased towards tiny chunks, empty chunks included. */
    private static int[] randomCuts(Random random, int length) {
        List<Integer> cuts = new ArrayList<>();
        int pos = 0;
        int maxChunk = 1 + random.nextInt(random.nextBoolean() ? 8 : 300);
        while (true) {
            pos += random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(maxChunk);
            if (pos >= length) {
                break;
            }
            cuts.add(pos);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String withLineEnds(byte[] fixture, String eol) {
        String lf = new String(fixture, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
        return lf.replace("\n", eol);
    }

    /** The word-at-a-time search finds what a byte loop finds, whatever the bytes around it (high ones included). */
    @Test
    void lineBreakIsTheFirstCrOrLfInTheRange() {
        java.util.Random random = new java.util.Random(42);
        byte[] alphabet = { 'a', '\n', '\r', 0, 1, 0x0B, 0x0C, 0x0E, (byte) 0x80, (byte) 0x8A, (byte) 0x8D,
            (byte) 0xFF };
        for (int run = 0; run < 20_000; run++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : (byte) random.nextInt(256);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            int expected = from;
            while (expected < to && bytes[expected] != '\n' && bytes[expected] != '\r') {
                expected++;
            }
            assertEquals(expected, SseParser.lineBreak(bytes, from, to), () -> Arrays.toString(bytes));
        }
    }

    // ---- fixtures, whole and split -------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("fixtures")
    void unsplitFixtureYieldsExpectedEvents(String name) {
        byte[] bytes = SseFixtures.bytes(name);
        assertEquals(SseFixtures.expected(name), parseWhole(bytes));

        // Without end(): every fixture is terminated by a blank line, so nothing is held back.
        Recorder r = new Recorder().feed(bytes, 0, bytes.length);
        assertEquals(SseFixtures.expected(name), r.events);
        assertTrue(r.parser.atEventBoundary());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everySingleCutPositionYieldsTheSameEvents(String name) {
        byte[] bytes = SseFixtures.bytes(name);
        List<StreamEvent> expected = SseFixtures.expected(name);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertEquals(expected, parseSplit(bytes, cut), "cut at byte " + cut);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void oneByteAtATimeYieldsTheSameEvents(String name) {
        byte[] bytes = SseFixtures.bytes(name);
        Recorder r = new Recorder();
        for (int i = 0; i < bytes.length; i++) {
            r.feed(bytes, i, i + 1);
        }
        assertEquals(SseFixtures.expected(name), r.events);
        r.parser.end();
        assertEquals(SseFixtures.expected(name), r.events, "end() must not add anything to a terminated stream");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void randomSplitsYieldTheSameEvents(String name) {
        byte[] bytes = SseFixtures.bytes(name);
        List<StreamEvent> expected = SseFixtures.expected(name);
        List<StreamEvent> unsplit = parseWhole(bytes);
        Random random = new Random(0x55E_0000L + name.hashCode());
        for (int i = 0; i < 2_000; i++) {
            int[] cuts = randomCuts(random, bytes.length);
            List<StreamEvent> split = parseSplit(bytes, cuts);
            assertEquals(unsplit, split, () -> "cuts " + Arrays.toString(cuts));
            assertEquals(expected, split, () -> "cuts " + Arrays.toString(cuts));
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void lineEndingsDoNotMatter(String name) {
        byte[] bytes = SseFixtures.bytes(name);
        List<StreamEvent> expected = SseFixtures.expected(name);
        Random random = new Random(0xC0FFEEL + name.hashCode());
        for (String eol : List.of("\n", "\r\n", "\r")) {
            byte[] variant = utf8(withLineEnds(bytes, eol));
            assertEquals(expected, parseWhole(variant), "line end " + eol.replace("\r", "CR").replace("\n", "LF"));
            for (int cut = 0; cut <= variant.length; cut++) {
                assertEquals(expected, parseSplit(variant, cut), "cut at byte " + cut);
            }
            for (int i = 0; i < 300; i++) {
                int[] cuts = randomCuts(random, variant.length);
                assertEquals(expected, parseSplit(variant, cuts), () -> "cuts " + Arrays.toString(cuts));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void mixedLineEndsWithinOneStream(String name) {
        String[] lines = withLineEnds(SseFixtures.bytes(name), "\n").split("\n", -1);
        List<StreamEvent> expected = SseFixtures.expected(name);
        Random random = new Random(0x1E5L + name.hashCode());
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            String previousEol = "";
            for (int l = 0; l < lines.length - 1; l++) {
                String eol = List.of("\n", "\r\n", "\r").get(random.nextInt(3));
                if (lines[l].isEmpty() && previousEol.equals("\r") && eol.equals("\n")) {
                    eol = "\r"; // CR then a lone LF would read as one CRLF, swallowing this (blank) line
                }
                sb.append(lines[l]).append(eol);
                previousEol = eol;
            }
            byte[] variant = utf8(sb.toString());
            int[] cuts = randomCuts(random, variant.length);
            assertEquals(expected, parseSplit(variant, cuts), () -> "stream " + sb.toString()
                    .replace("\r", "<CR>").replace("\n", "<LF>") + " cuts " + Arrays.toString(cuts));
        }
    }

    // ---- the tricky cut positions, asserted explicitly ------------------------------------------------------------

    @Test
    void cutsInsideEveryMultiByteCharacter() {
        byte[] bytes = SseFixtures.bytes(SseFixtures.ANTHROPIC);
        List<StreamEvent> expected = SseFixtures.expected(SseFixtures.ANTHROPIC);
        int continuationBytes = 0;
        for (int i = 1; i < bytes.length; i++) {
            if ((bytes[i] & 0xC0) == 0x80) { // a UTF-8 continuation byte: cutting before it splits a character
                continuationBytes++;
                assertEquals(expected, parseSplit(bytes, i), "cut inside a character at byte " + i);
                // ...and a cut on both sides of the continuation byte at once
                if (i + 1 < bytes.length) {
                    assertEquals(expected, parseSplit(bytes, i, i + 1), "cuts at " + i + " and " + (i + 1));
                }
            }
        }
        // é, ö, 日本語 (3 bytes each) and 🎉 (4 bytes): the fixture really contains split-able characters
        assertTrue(continuationBytes >= 1 + 1 + 3 * 2 + 3, "fixture lacks multi-byte characters: " + continuationBytes);

        byte[] emoji = utf8("🎉");
        int at = indexOf(bytes, emoji);
        assertTrue(at > 0);
        for (int inner = 1; inner < emoji.length; inner++) {
            List<StreamEvent> events = parseSplit(bytes, at + inner);
            assertEquals(expected, events);
            assertTrue(events.get(4).data().contains(" wörld 日本語 🎉"));
        }
    }

    @Test
    void cutsBetweenCarriageReturnAndLineFeed() {
        byte[] bytes = SseFixtures.bytes(SseFixtures.ANTHROPIC_CRLF);
        List<StreamEvent> expected = SseFixtures.expected(SseFixtures.ANTHROPIC_CRLF);
        int crlfs = 0;
        List<Integer> allCrlfCuts = new ArrayList<>();
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                crlfs++;
                allCrlfCuts.add(i + 1);
                assertEquals(expected, parseSplit(bytes, i + 1), "cut between CR and LF at byte " + (i + 1));
            }
        }
        assertTrue(crlfs >= 19, "fixture should use CRLF line ends throughout: " + crlfs);
        assertEquals(expected, parseSplit(bytes, allCrlfCuts.stream().mapToInt(Integer::intValue).toArray()),
                "cut between every CR and its LF");

        // A lone LF after a dispatched CR-terminated blank line is the second half of that CRLF, not another line.
        Recorder r = new Recorder().feed("data: a\r\r");
        assertEquals(List.of(new StreamEvent(null, "a")), r.events);
        r.feed("\ndata: b\r");
        r.feed("\n\r\n");
        assertEquals(List.of(new StreamEvent(null, "a"), new StreamEvent(null, "b")), r.events);
    }

    @Test
    void eventLineFedSeparatelyFromItsDataLine() {
        Recorder r = new Recorder();
        r.feed("event: content_block_delta\n");
        assertTrue(r.events.isEmpty());
        r.feed(": keep-alive\n");
        r.feed("data: {\"x\":1}\n");
        assertTrue(r.events.isEmpty(), "no dispatch before the blank line");
        r.feed("\n");
        assertEquals(List.of(new StreamEvent("content_block_delta", "{\"x\":1}")), r.events);

        r.feed("event: message_stop");
        r.feed("\r");
        r.feed("\ndata: {}\r\n");
        r.feed("\r\n");
        assertEquals(new StreamEvent("message_stop", "{}"), r.events.get(1));
        assertEquals(2, r.events.size());
    }

    @Test
    void eventNameDoesNotLeakIntoTheNextEvent() {
        Recorder r = new Recorder().feed("event: first\ndata: 1\n\ndata: 2\n\nevent: dropped\n\ndata: 3\n\n");
        assertEquals(List.of(new StreamEvent("first", "1"), new StreamEvent(null, "2"), new StreamEvent(null, "3")),
                r.events);
    }

    @Test
    void fieldParsingFollowsTheSseRules() {
        Recorder r = new Recorder().feed("data:x\n\n" // no space after the colon
                + "data:  y\n\n" // only the first space is stripped
                + "data\n\n" // a field without colon has an empty value
                + "data: a:b: c\n\n" // only the first colon separates
                + "Data: case-sensitive\nDATA: too\n\n" // not the data field: nothing dispatched
                + "event:  spaced\ndata: z\n\n");
        assertEquals(List.of(new StreamEvent(null, "x"), new StreamEvent(null, " y"), new StreamEvent(null, ""),
                new StreamEvent(null, "a:b: c"), new StreamEvent(" spaced", "z")), r.events);
    }

    // ---- end() -----------------------------------------------------------------------------------------------------

    @Test
    void endDispatchesAnUnterminatedLastEvent() {
        Recorder r = new Recorder().feed("event: message_stop\ndata: {\"type\":\"message_stop\"}");
        assertTrue(r.events.isEmpty());
        r.parser.end();
        assertEquals(List.of(new StreamEvent("message_stop", "{\"type\":\"message_stop\"}")), r.events);

        // terminated line but no blank line
        r = new Recorder().feed("data: [DONE]\n");
        assertTrue(r.events.isEmpty());
        r.parser.end();
        assertEquals(List.of(new StreamEvent(null, "[DONE]")), r.events);

        // CR-terminated, LF never arrives
        r = new Recorder().feed("data: one\ndata: two\r");
        r.parser.end();
        assertEquals(List.of(new StreamEvent(null, "one\ntwo")), r.events);

        // several events, last one unterminated, fed in pieces
        r = new Recorder().feed("data: a\n\nda").feed("ta: b");
        r.parser.end();
        assertEquals(List.of(new StreamEvent(null, "a"), new StreamEvent(null, "b")), r.events);
    }

    @Test
    void endDispatchesNothingWithoutData() {
        for (String tail : List.of("", "event: message_stop\n", "event: message_stop", ": keep-alive", ": keep-alive\n",
                "id: 3\nretry: 10", "\n\n\n", "\r\n\r\n")) {
            Recorder r = new Recorder().feed(tail);
            r.parser.end();
            assertTrue(r.events.isEmpty(), () -> "tail " + tail.replace("\r", "<CR>").replace("\n", "<LF>"));
        }
    }

    @Test
    void endDispatchesAnUnterminatedEventAtEveryCutOfTheFixtures() {
        for (String name : SseFixtures.names()) {
            byte[] bytes = SseFixtures.bytes(name);
            List<StreamEvent> expected = SseFixtures.expected(name);
            // Drop the final blank line (and the line end before it): end() must still deliver the last event.
            String text = new String(bytes, StandardCharsets.UTF_8);
            String eol = text.endsWith("\r\n") ? "\r\n" : "\n";
            byte[] trimmed = utf8(text.substring(0, text.length() - 2 * eol.length()));
            assertEquals(expected, parseWhole(trimmed), name);
            Recorder r = new Recorder().feed(trimmed, 0, trimmed.length);
            assertEquals(expected.subList(0, expected.size() - 1), r.events, name + " before end()");
            assertFalse(r.parser.atEventBoundary());
            for (int cut = 0; cut <= trimmed.length; cut++) {
                assertEquals(expected, parseSplit(trimmed, cut), name + " cut at " + cut);
            }
        }
    }

    // ---- atEventBoundary() -----------------------------------------------------------------------------------------

    @Test
    void atEventBoundaryTracksPendingInput() {
        Recorder r = new Recorder();
        assertTrue(r.parser.atEventBoundary(), "fresh parser");
        r.feed("da");
        assertFalse(r.parser.atEventBoundary(), "partial line");
        r.feed("ta: x\n");
        assertFalse(r.parser.atEventBoundary(), "data pending, no blank line yet");
        r.feed("\n");
        assertTrue(r.parser.atEventBoundary(), "event dispatched");
        r.feed("event: e\n");
        assertFalse(r.parser.atEventBoundary(), "event name pending");
        r.feed("\n");
        assertTrue(r.parser.atEventBoundary(), "an event without data is dropped at the blank line");
        r.feed(": keep-al");
        assertFalse(r.parser.atEventBoundary(), "partial comment line");
        r.feed("ive\r");
        assertTrue(r.parser.atEventBoundary(), "complete comment line");
        r.feed("\n");
        assertTrue(r.parser.atEventBoundary(), "LF completing the CRLF");
        r.feed("data: y\r\r");
        assertTrue(r.parser.atEventBoundary(), "CR-terminated blank line");
        assertEquals(List.of(new StreamEvent(null, "x"), new StreamEvent(null, "y")), r.events);
    }

    /**
     * The router's use: when a stream breaks, it appends a blank line if the parser is not at an event boundary, then
     * an error event. At every cut of every fixture, a client reading the result must see all complete events
     * followed by exactly that error event.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void errorEventAppendedAtAnyCutIsReadIntact(String name) {
        for (StreamEvent error : List.of(ERROR, OPENAI_ERROR)) {
            errorEventAppendedAtAnyCutIsReadIntact(SseFixtures.bytes(name), error);
        }
    }

    private static void errorEventAppendedAtAnyCutIsReadIntact(byte[] bytes, StreamEvent error) {
        for (int cut = 0; cut <= bytes.length; cut++) {
            Recorder r = new Recorder().feed(bytes, 0, cut);
            boolean boundary = r.parser.atEventBoundary();
            List<StreamEvent> before = new ArrayList<>(r.events);

            if (boundary) {
                Recorder ended = new Recorder().feed(bytes, 0, cut);
                ended.parser.end();
                assertEquals(before, ended.events, "at a boundary end() dispatches nothing (cut " + cut + ")");
                // the same parser, continuing, reads the error event as the next one
                r.parser.feed(SseParser.encode(error));
                assertEquals(error, r.events.get(r.events.size() - 1));
                assertEquals(before.size() + 1, r.events.size());
            }

            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            wire.write(bytes, 0, cut);
            if (!boundary) {
                wire.writeBytes(utf8("\n\n"));
            }
            wire.writeBytes(SseParser.encode(error).getBytes());
            List<StreamEvent> client = parseWhole(wire.toByteArray());
            assertEquals(error, client.get(client.size() - 1), "cut " + cut);
            assertEquals(before, client.subList(0, before.size()), "cut " + cut);
            assertTrue(client.size() - before.size() <= 2, "at most the held-back event and the error, cut " + cut);
        }
    }

    // ---- encode() --------------------------------------------------------------------------------------------------

    @Test
    void encodeWritesTheWireFormat() {
        assertEquals("event: ping\ndata: {\"type\": \"ping\"}\n\n",
                SseParser.encode(new StreamEvent("ping", "{\"type\": \"ping\"}")).toString());
        assertEquals("data: [DONE]\n\n", SseParser.encode(new StreamEvent(null, "[DONE]")).toString());
        assertEquals("data: a\ndata: \ndata: b\n\n", SseParser.encode(new StreamEvent(null, "a\n\nb")).toString());
        assertEquals("data: \n\n", SseParser.encode(new StreamEvent(null, "")).toString());
        assertEquals(utf8("data: " + SseFixtures.HELLO + "\n\n").length,
                SseParser.encode(new StreamEvent(null, SseFixtures.HELLO)).length(), "UTF-8 encoded");
    }

    @Test
    void encodeRoundTripsTheFixtureEvents() {
        for (String name : SseFixtures.names()) {
            List<StreamEvent> expected = SseFixtures.expected(name);
            Buffer wire = Buffer.buffer();
            expected.forEach(e -> wire.appendBuffer(SseParser.encode(e)));
            assertEquals(expected, parseWhole(wire.getBytes()), name);
            Recorder r = new Recorder().feed(wire.getBytes(), 0, wire.length());
            assertTrue(r.parser.atEventBoundary(), "encoded events are complete");
            assertEquals(expected, r.events, name);
        }
    }

    @Test
    void encodeRoundTripsRandomEventsThroughRandomSplits() {
        Random random = new Random(0xE2C0DEL);
        int[] alphabet = "abcXYZ019 :{}\"\\,._-\t\néöü日本語🎉".codePoints().toArray();
        for (int i = 0; i < 1_000; i++) {
            List<StreamEvent> events = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int e = 0; e < count; e++) {
                String event = random.nextInt(3) == 0 ? null : randomText(random, alphabet, 12, false);
                events.add(new StreamEvent(event, randomText(random, alphabet, 40, true)));
            }
            Buffer wire = Buffer.buffer();
            events.forEach(e -> wire.appendBuffer(SseParser.encode(e)));
            byte[] bytes = wire.getBytes();
            int[] cuts = randomCuts(random, bytes.length);
            assertEquals(events, parseSplit(bytes, cuts), () -> "wire " + wire + " cuts " + Arrays.toString(cuts));
        }
    }

    private static String randomText(Random random, int[] alphabet, int maxLength, boolean newlines) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        while (sb.codePointCount(0, sb.length()) < length) {
            int cp = alphabet[random.nextInt(alphabet.length)];
            if (!newlines && cp == '\n') {
                continue;
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
