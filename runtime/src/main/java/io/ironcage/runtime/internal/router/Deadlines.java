package io.ironcage.runtime.internal.router;

/**
 * The things of one event loop that end at a deadline unless they leave the list first (bodies still arriving, client
 * connections with no call in progress), swept a few times a second by a periodic timer of that loop: whatever is
 * past its deadline is taken off and {@linkplain Deadline#expire expired}. An intrusive list, so that being on it
 * costs two pointer updates, not a timer. Event-loop thread only.
 */
final class Deadlines<T extends Deadlines.Deadline<T>> {

    /** Something on a {@link Deadlines} list: at most one list, once. */
    abstract static class Deadline<T extends Deadline<T>> {
        long deadlineNanos;
        T previous;
        T next;

        /** Its deadline passed while it was listed; it is off the list already. */
        abstract void expire();
    }

    private T first;
    /** The periodic timer that sweeps; -1 once stopped. */
    volatile long sweeper = -1;

    /** Lists {@code item}, which must not be listed, until {@code deadlineNanos}. */
    void add(T item, long deadlineNanos) {
        item.deadlineNanos = deadlineNanos;
        item.next = first;
        if (first != null) {
            first.previous = item;
        }
        first = item;
    }

    /** Takes {@code item} off the list; nothing happens when it is not listed. */
    void remove(T item) {
        if (item.previous != null) {
            item.previous.next = item.next;
        } else if (first == item) {
            first = item.next;
        } else {
            return;
        }
        if (item.next != null) {
            item.next.previous = item.previous;
        }
        item.previous = null;
        item.next = null;
    }

    /** Takes every item whose deadline has passed at {@code nowNanos} off the list and expires it. */
    void sweep(long nowNanos) {
        T item = first;
        while (item != null) {
            T next = item.next;
            if (nowNanos - item.deadlineNanos >= 0) {
                remove(item);
                item.expire();
            }
            item = next;
        }
    }
}
