package io.ironcage.runtime.internal.router;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.ironcage.runtime.CompletedCall;

/** The most recent finished calls, bounded. */
public final class CallLog {

    private final int capacity;
    private final ArrayDeque<CompletedCall> calls;

    public CallLog(int capacity) {
        this.capacity = capacity;
        this.calls = new ArrayDeque<>(capacity);
    }

    public synchronized void add(CompletedCall call) {
        if (calls.size() == capacity) {
            calls.removeFirst();
        }
        calls.addLast(call);
    }

    /** Oldest first. */
    public synchronized List<CompletedCall> snapshot() {
        return new ArrayList<>(calls);
    }
}
