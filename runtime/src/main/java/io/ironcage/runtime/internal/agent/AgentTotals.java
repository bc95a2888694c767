package io.ironcage.runtime.internal.agent;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.ironcage.runtime.agent.AgentMetrics;
import io.ironcage.runtime.internal.ledger.AgentRecord;

/**
 * An agent's running totals, updated from the event loop without locks, and what the ledger keeps of them. They
 * start from what the ledger held, so an agent started again under its name goes on where it was.
 */
public final class AgentTotals {

    private final String id;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong inputTokens = new AtomicLong();
    private final AtomicLong outputTokens = new AtomicLong();
    private final AtomicLong costMicros = new AtomicLong();
    private final AtomicLong pii = new AtomicLong();
    private final AtomicLong lastActivityMillis = new AtomicLong();
    private volatile long budgetMicros = -1;
    private volatile String status = "STARTING";
    /** Whether a write of these totals is queued (one queued write covers every change made until it runs). */
    private final AtomicBoolean queued = new AtomicBoolean();

    public AgentTotals(String id) {
        this.id = id;
    }

    /** Totals resumed from the ledger. */
    public static AgentTotals of(AgentRecord r) {
        AgentTotals t = new AgentTotals(r.id());
        t.requests.set(r.requests());
        t.errors.set(r.errors());
        t.inputTokens.set(r.inputTokens());
        t.outputTokens.set(r.outputTokens());
        t.costMicros.set(r.costMicros());
        t.pii.set(r.piiDetections());
        t.lastActivityMillis.set(r.lastActivityMillis());
        t.budgetMicros = r.budgetMicros();
        t.status = r.status();
        return t;
    }

    public String id() {
        return id;
    }

    public void call(boolean failed, long input, long output) {
        requests.incrementAndGet();
        if (failed) {
            errors.incrementAndGet();
        }
        inputTokens.addAndGet(input);
        outputTokens.addAndGet(output);
        lastActivityMillis.set(System.currentTimeMillis());
    }

    public void spent(long micros) {
        costMicros.addAndGet(micros);
    }

    public void piiDetected() {
        pii.incrementAndGet();
    }

    public void budget(long micros) {
        budgetMicros = micros;
    }

    public void status(String to) {
        status = to;
    }

    public long costMicros() {
        return costMicros.get();
    }

    public AgentMetrics metrics() {
        long last = lastActivityMillis.get();
        return new AgentMetrics(requests.get(), errors.get(), inputTokens.get(), outputTokens.get(), costMicros.get(),
                pii.get(), last == 0 ? null : Instant.ofEpochMilli(last));
    }

    /**
     * Claims the right to queue a write; {@code false} when one is queued already (it will carry this change).
     */
    public boolean claimWrite() {
        return queued.compareAndSet(false, true);
    }

    /** What the ledger keeps; called by the queued write when it runs (later changes queue another). */
    public AgentRecord record() {
        queued.set(false);
        long last = lastActivityMillis.get();
        return new AgentRecord(id, requests.get(), errors.get(), inputTokens.get(), outputTokens.get(),
                costMicros.get(), pii.get(), last, budgetMicros, status);
    }
}
