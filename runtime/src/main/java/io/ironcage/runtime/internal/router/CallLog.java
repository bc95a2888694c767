package io.ironcage.runtime.internal.router;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.ironcage.runtime.CompletedCall;

/**
 * Where finished calls go: the most recent ones are kept (bounded), and the runtime's own components that follow
 * every call (agents, the live feed, analytics) are told of each, after the policies have seen it.
 */
public final class CallLog {

    private static final Logger LOG = Logger.getLogger(CallLog.class);

    private final int capacity;
    private final ArrayDeque<CompletedCall> calls;
    private final List<Consumer<CompletedCall>> observers = new CopyOnWriteArrayList<>();

    public CallLog(int capacity) {
        this.capacity = capacity;
        this.calls = new ArrayDeque<>(capacity);
    }

    /** {@code observer} is told of every call from now on, on the call's event loop: it must not block. */
    public void observe(Consumer<CompletedCall> observer) {
        observers.add(observer);
    }

    public void add(CompletedCall call) {
        synchronized (this) {
            if (calls.size() == capacity) {
                calls.removeFirst();
            }
            calls.addLast(call);
        }
        for (Consumer<CompletedCall> observer : observers) {
            try {
                observer.accept(call);
            } catch (RuntimeException e) {
                LOG.errorf(e, "An observer of finished calls failed for call %s", call.id());
            }
        }
    }

    /** Oldest first. */
    public synchronized List<CompletedCall> snapshot() {
        return new ArrayList<>(calls);
    }
}
