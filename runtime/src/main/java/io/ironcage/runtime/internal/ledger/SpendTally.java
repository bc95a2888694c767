package io.ironcage.runtime.internal.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls one thread settled since the ledger's writer last took them, summed per provider and model. Calls are
 * settled on the event loops, each into its own tally (a lock nobody else wants but the writer, a few times a second;
 * no allocation once a model has its bucket): handing every call over to the writer through a shared queue cost the
 * writer about 1 µs per call, as much again as the rest of the ledger's work.
 */
final class SpendTally {

    private Map<String, Map<String, SpendBucket>> buckets = new HashMap<>();
    private long calls;
    private long costMicros;

    synchronized void add(SpendEntry e) {
        String provider = String.valueOf(e.provider());
        String model = String.valueOf(e.model());
        Map<String, SpendBucket> models = buckets.get(provider);
        if (models == null) {
            models = new HashMap<>();
            buckets.put(provider, models);
        }
        SpendBucket bucket = models.get(model);
        if (bucket == null) {
            bucket = new SpendBucket(provider, model);
            models.put(model, bucket);
        }
        bucket.add(e);
        calls++;
        costMicros += e.costMicros();
    }

    /**
     * Adds this tally's buckets to {@code into} and starts afresh; its calls move to {@code pending} first, so that
     * a reader of the tally and then of {@code pending} never misses them.
     */
    synchronized void takeInto(List<SpendBucket> into, AtomicInteger pending) {
        if (calls == 0) {
            return;
        }
        pending.addAndGet((int) calls);
        buckets.values().forEach(models -> into.addAll(models.values()));
        buckets = new HashMap<>();
        calls = 0;
        costMicros = 0;
    }

    /** Calls settled and not yet taken. */
    synchronized long calls() {
        return calls;
    }

    /** Their cost. */
    synchronized long costMicros() {
        return costMicros;
    }

    /** Every tally's buckets, emptied; their calls are added to {@code pending}. */
    static List<SpendBucket> takeAll(List<SpendTally> tallies, AtomicInteger pending) {
        List<SpendBucket> taken = new ArrayList<>();
        tallies.forEach(t -> t.takeInto(taken, pending));
        return taken;
    }
}
