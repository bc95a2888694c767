package io.ironcage.runtime.internal.ledger;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One {@code iron_spend} row: the settled calls of a write for one provider and model, summed. */
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

    /** The entries' buckets, in the order their provider and model first appear. */
    static Collection<SpendBucket> of(List<SpendEntry> entries) {
        Map<List<String>, SpendBucket> buckets = new LinkedHashMap<>();
        for (SpendEntry e : entries) {
            String provider = String.valueOf(e.provider());
            String model = String.valueOf(e.model());
            buckets.computeIfAbsent(List.of(provider, model), k -> new SpendBucket(provider, model)).add(e);
        }
        return buckets.values();
    }

    /** {@code buckets} with those of the same provider and model summed into one (a write has one row for each). */
    static Collection<SpendBucket> merged(List<SpendBucket> buckets) {
        Map<List<String>, SpendBucket> merged = new LinkedHashMap<>();
        for (SpendBucket b : buckets) {
            merged.computeIfAbsent(List.of(b.provider, b.model), k -> new SpendBucket(b.provider, b.model)).add(b);
        }
        return merged.values();
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

    private void add(SpendBucket b) {
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
