package io.ironcage.runtime.internal.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settled calls summed per provider and model. Calls are settled on the event loops, each into its own tally (a lock
 * nobody else wants but the writer, a few times a second; no allocation once a model has its bucket): handing every
 * call over to the writer through a shared queue cost the writer about 1 µs per call, as much again as the rest of
 * the ledger's work. The writer merges what it takes from all of them in a tally of its own.
 */
final class SpendTally {

    private Map<String, Map<String, SpendBucket>> buckets = new HashMap<>();

    synchronized void add(SpendEntry e) {
        bucket(String.valueOf(e.provider()), String.valueOf(e.model())).add(e);
    }

    synchronized void add(SpendBucket b) {
        bucket(b.provider, b.model).add(b);
    }

    /** Looked up without lambdas: this runs for every call, on its event loop. */
    private SpendBucket bucket(String provider, String model) {
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
        return bucket;
    }

    /** The buckets, one per provider and model; the tally starts afresh. */
    synchronized List<SpendBucket> take() {
        List<SpendBucket> taken = new ArrayList<>();
        buckets.values().forEach(models -> taken.addAll(models.values()));
        buckets = new HashMap<>();
        return taken;
    }

    /** Calls settled and not yet taken. */
    synchronized long calls() {
        return SpendBucket.calls(all());
    }

    /** Their cost. */
    synchronized long costMicros() {
        return SpendBucket.costMicros(all());
    }

    private List<SpendBucket> all() {
        return buckets.values().stream().flatMap(models -> models.values().stream()).toList();
    }

    /**
     * Every tally's buckets, merged per provider and model, the tallies emptied. Each tally's calls move to
     * {@code pending} before they leave it, so that a reader of the tallies and then of {@code pending} never misses
     * them.
     */
    static List<SpendBucket> takeAll(List<SpendTally> tallies, AtomicInteger pending) {
        SpendTally merged = new SpendTally();
        for (SpendTally t : tallies) {
            synchronized (t) {
                pending.addAndGet((int) t.calls());
                t.take().forEach(merged::add);
            }
        }
        return merged.take();
    }
}
