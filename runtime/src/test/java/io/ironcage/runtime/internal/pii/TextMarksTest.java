package io.ironcage.runtime.internal.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The shared marks of a text answer as the plain searches they stand for, in whatever order they are asked. */
class TextMarksTest {

    private static final String TEXT = "Call +1 (555) 123-4567 at 10:30, v2.4.1 or 192.168.0.1: see a@b.co. 42 ok 0.5";
    private static final TextMarks.Word[] WORDS = { new TextMarks.Word(":"), new TextMarks.Word("."),
        new TextMarks.Word("@"), new TextMarks.Word("sk-"), new TextMarks.Word(" ") };

    @Test
    void rememberedSearchesFindWhatASearchFinds() {
        Random random = new Random(7);
        TextMarks marks = new TextMarks(TEXT);
        for (int i = 0; i < 5000; i++) {
            TextMarks.Word word = WORDS[random.nextInt(WORDS.length)];
            // mostly forwards, as scans ask, sometimes back
            int from = random.nextInt(4) == 0 ? random.nextInt(TEXT.length() + 2) : (i * 7) % (TEXT.length() + 2);
            int expected = TEXT.indexOf(word.text, from);
            assertEquals(expected < 0 ? TEXT.length() : expected, marks.indexOf(word, from),
                    word.text + " from " + from);
        }
    }

    @Test
    void numberMarksAreNumberStartsAndPhoneSigns() {
        TextMarks marks = new TextMarks(TEXT);
        StringBuilder found = new StringBuilder();
        for (int at = marks.nextNumber(0, (t, i) -> true); at < TEXT.length();
                at = marks.nextNumber(at + 1, (t, i) -> true)) {
            found.append(TEXT.charAt(at));
        }
        // the first character of: +, 1, (, 555, 123, 4567, 10, 30, 2, 4, 1, 192, 168, 0, 1, 42, 0, 5
        assertEquals("+1(514132411101405", found.toString());
        assertEquals(TEXT.indexOf("42"), marks.nextNumber(TEXT.indexOf("b.co"), (t, i) -> t.charAt(i) == '4'));
        assertEquals(TEXT.length() - 1, marks.nextNumber(TEXT.length() - 1, (t, i) -> true)); // the 5 of 0.5
        assertEquals(TEXT.length(), marks.nextNumber(TEXT.length(), (t, i) -> true));
    }
}
