package io.ironcage.runtime.internal.budget;

import io.ironcage.runtime.BudgetStatus;

/**
 * Spend, reservations and limit, in integer microdollars. Reserving checks and holds in one step under a lock, so
 * concurrent calls can never together reserve past the limit.
 */
public final class BudgetLedger {

    /** Why a reservation was refused. */
    public enum Refusal {
        /** Spent and reserved already reach the limit. */
        EXCEEDED,
        /** What is left does not cover the smallest amount the call needs. */
        INSUFFICIENT
    }

    private volatile long limit;
    private long spent;
    private long reserved;

    /** @param limitMicros the limit, or {@code -1} for none */
    public BudgetLedger(long limitMicros) {
        this.limit = limitMicros;
    }

    /** The outcome of {@link #reserve}: an amount held, or why nothing was. */
    public record Reservation(long held, Refusal refusal, BudgetStatus before) {

        public boolean granted() {
            return refusal == null;
        }
    }

    /**
     * Holds up to {@code wanted} (at least {@code needed}) for a call: the whole worst case when it fits, else what is
     * left, so that a call may start and be cut off mid-stream when it reaches what it holds.
     */
    public synchronized Reservation reserve(long needed, long wanted) {
        BudgetStatus before = status();
        if (limit < 0) {
            reserved += wanted;
            return new Reservation(wanted, null, before);
        }
        long available = limit - spent - reserved;
        if (available <= 0) {
            return new Reservation(0, Refusal.EXCEEDED, before);
        }
        if (available < needed) {
            return new Reservation(0, Refusal.INSUFFICIENT, before);
        }
        long held = Math.min(wanted, available);
        reserved += held;
        return new Reservation(held, null, before);
    }

    /** Replaces a held amount by the actual cost. Returns the status just after. */
    public synchronized BudgetStatus settle(long held, long actual) {
        reserved -= held;
        spent += actual;
        return status();
    }

    /**
     * Adds spend this router did not settle itself: what the durable ledger held at startup, or what other instances
     * sharing it spent since.
     */
    public synchronized void addSpent(long micros) {
        spent += micros;
    }

    public synchronized void setLimit(long limitMicros) {
        this.limit = limitMicros;
    }

    /** Whether a limit is set: a plain read, for the checks every call makes. */
    public boolean limited() {
        return limit >= 0;
    }

    public synchronized BudgetStatus status() {
        return new BudgetStatus(spent, reserved, limit);
    }
}
