package io.ironcage.runtime.internal.ledger;

import java.util.Collection;

/** One {@code iron_spend} row: the settled calls of a write for one provider and model, summed ({@link SpendTally}). */
final class SpendBucket {

    final String provider;
    final String model;
    long firstSettledAt = Long.MAX_VALUE;
    long lastSettledAt = Long.MIN_VALUE;
    long calls;
    long heldMicros;
    long costMicros;
    long inputTokens;
    long outputTokens;
    long cacheReadTokens;
    long cacheWriteTokens;

    SpendBucket(String provider, String model) {
        this.provider = provider;
        this.model = model;
    }

    /** The calls in {@code buckets}. */
    static long calls(Collection<SpendBucket> buckets) {
        return buckets.stream().mapToLong(b -> b.calls).sum();
    }

    /** What the calls in {@code buckets} cost. */
    static long costMicros(Collection<SpendBucket> buckets) {
        return buckets.stream().mapToLong(b -> b.costMicros).sum();
    }

    void add(SpendEntry e) {
        firstSettledAt = Math.min(firstSettledAt, e.settledAtMillis());
        lastSettledAt = Math.max(lastSettledAt, e.settledAtMillis());
        calls++;
        heldMicros += e.heldMicros();
        costMicros += e.costMicros();
        inputTokens += e.inputTokens();
        outputTokens += e.outputTokens();
        cacheReadTokens += e.cacheReadTokens();
        cacheWriteTokens += e.cacheWriteTokens();
    }

    void add(SpendBucket b) {
        firstSettledAt = Math.min(firstSettledAt, b.firstSettledAt);
        lastSettledAt = Math.max(lastSettledAt, b.lastSettledAt);
        calls += b.calls;
        heldMicros += b.heldMicros;
        costMicros += b.costMicros;
        inputTokens += b.inputTokens;
        outputTokens += b.outputTokens;
        cacheReadTokens += b.cacheReadTokens;
        cacheWriteTokens += b.cacheWriteTokens;
    }
}
