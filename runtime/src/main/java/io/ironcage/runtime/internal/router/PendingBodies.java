package io.ironcage.runtime.internal.router;

import java.util.function.Consumer;

/**
 * The requests of one event loop whose bodies are still arriving, swept a few times a second: a request past its
 * deadline is ended (by the router: {@link BodyRead#expire}). A list the requests link themselves into and out of,
 * so that a call pays two pointer updates for the limit, not a timer; the sweep walks only requests still being
 * read, which are few (most bodies arrive with their headers). Event-loop thread only.
 */
final class PendingBodies {

    private BodyRead first;
    /** The periodic timer that sweeps; -1 once stopped. */
    volatile long sweeper = -1;

    void add(BodyRead read) {
        read.next = first;
        if (first != null) {
            first.previous = read;
        }
        first = read;
    }

    void remove(BodyRead read) {
        if (read.previous != null) {
            read.previous.next = read.next;
        } else if (first == read) {
            first = read.next;
        } else {
            return; // not (or no longer) listed
        }
        if (read.next != null) {
            read.next.previous = read.previous;
        }
        read.previous = null;
        read.next = null;
    }

    /** Takes every request whose deadline has passed at {@code nowNanos} off the list, handing it to {@code expire}. */
    void sweep(long nowNanos, Consumer<BodyRead> expire) {
        BodyRead read = first;
        while (read != null) {
            BodyRead next = read.next;
            if (nowNanos - read.deadlineNanos >= 0) {
                remove(read);
                expire.accept(read);
            }
            read = next;
        }
    }
}
