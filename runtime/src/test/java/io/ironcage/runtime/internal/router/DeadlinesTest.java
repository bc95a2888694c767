package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A list of deadlines: a sweep expires exactly the items past theirs, whatever their order, each once. */
class DeadlinesTest {

    private final List<String> expired = new ArrayList<>();

    private final class Item extends Deadlines.Deadline<Item> {
        private final String name;

        Item(String name) {
            this.name = name;
        }

        @Override
        void expire() {
            expired.add(name);
        }
    }

    @Test
    void sweepExpiresOnlyItemsPastTheirDeadlineAndRemovedOnesNever() {
        Deadlines<Item> list = new Deadlines<>();
        Item a = new Item("a");
        Item b = new Item("b");
        Item c = new Item("c");
        Item d = new Item("d");
        list.add(a, millis(100));
        list.add(b, millis(150));
        list.add(c, millis(110));
        list.add(d, millis(300));
        list.remove(c); // e.g. its body arrived

        list.sweep(millis(99));
        assertEquals(List.of(), expired);
        list.sweep(millis(120));
        assertEquals(List.of("a"), expired);
        list.remove(a); // already gone: nothing changes
        list.sweep(millis(299));
        assertEquals(List.of("a", "b"), expired);
        list.sweep(millis(10_000));
        assertEquals(List.of("a", "b", "d"), expired);
        list.sweep(millis(20_000));
        assertEquals(List.of("a", "b", "d"), expired, "each at most once");
    }

    @Test
    void anItemTakenOffCanBeListedAgainWithANewDeadline() {
        Deadlines<Item> list = new Deadlines<>();
        Item a = new Item("a");
        Item b = new Item("b");
        list.add(a, millis(100));
        list.add(b, millis(100));
        list.remove(a); // a call started on an idle connection
        list.add(a, millis(500)); // and was answered: idle again, from now

        list.sweep(millis(200));
        assertEquals(List.of("b"), expired);
        list.sweep(millis(500));
        assertEquals(List.of("b", "a"), expired);
    }

    private static long millis(long ms) {
        return ms * 1_000_000;
    }
}
