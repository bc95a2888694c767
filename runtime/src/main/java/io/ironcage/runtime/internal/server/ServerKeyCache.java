package io.ironcage.runtime.internal.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * The provider key of server mode: one entry (one key per router, as in the reference), fetched from the control
 * server and then served from memory. Only a miss or a refresh touches the server, and concurrent misses share one
 * fetch. The key is refreshed in the background at 80% of its TTL, so calls normally never wait; while the server
 * cannot be reached an expired key keeps serving for the stale grace (and is retried in the background). A key the
 * server refuses (4xx) is dropped at once.
 */
public final class ServerKeyCache {

    private static final Logger LOG = Logger.getLogger(ServerKeyCache.class);

    /** A provider key and where it was fetched, in clock millis. */
    public record ProviderKey(String provider, String key, String baseUrl, long fetchedAtMillis) {

        /** Never the key. */
        @Override
        public String toString() {
            return "ProviderKey[provider=" + provider + ", baseUrl=" + baseUrl + "]";
        }
    }

    /** Runs a task after a delay (Vert.x timers in the router, a fake in tests). */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(long delayMillis, Runnable task);
    }

    private final Supplier<CompletionStage<ProviderKey>> fetcher;
    private final long ttlMillis;
    private final long graceMillis;
    private final LongSupplier clock;
    private final Scheduler scheduler;
    private volatile ProviderKey current;
    private CompletableFuture<ProviderKey> inFlight;
    private volatile boolean closed;

    /**
     * @param fetcher fetches a key from the server; the fetch time it sets is ignored
     * @param clock millis
     */
    public ServerKeyCache(Supplier<CompletionStage<ProviderKey>> fetcher, long ttlMillis, long graceMillis,
            LongSupplier clock, Scheduler scheduler) {
        this.fetcher = fetcher;
        this.ttlMillis = ttlMillis;
        this.graceMillis = graceMillis;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** The key: at once from memory when it is fresh or stale within the grace, else after a fetch. */
    public CompletionStage<ProviderKey> get() {
        ProviderKey k = current;
        if (k != null) {
            long age = clock.getAsLong() - k.fetchedAtMillis();
            if (age < ttlMillis) {
                return CompletableFuture.completedFuture(k);
            }
            if (age < ttlMillis + graceMillis) {
                refresh(); // normally already running: the background refresh failed so far
                return CompletableFuture.completedFuture(k);
            }
        }
        return refresh();
    }

    /** The last key fetched, without checking its age ({@code null} before the first fetch). */
    public ProviderKey current() {
        return current;
    }

    /** Fetches now unless a fetch is already running; the returned stage completes with the new key. */
    public synchronized CompletableFuture<ProviderKey> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        CompletableFuture<ProviderKey> f = new CompletableFuture<>();
        inFlight = f;
        CompletionStage<ProviderKey> fetch;
        try {
            fetch = fetcher.get();
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        fetch.whenComplete((k, e) -> done(f, k, e));
        return f;
    }

    private void done(CompletableFuture<ProviderKey> f, ProviderKey k, Throwable e) {
        synchronized (this) {
            inFlight = null;
        }
        if (e == null && (k == null || k.key() == null || k.key().isBlank() || k.provider() == null)) {
            e = new ControlServerRefusal(200, "The control server sent no provider key");
        }
        if (e == null) {
            ProviderKey fresh = new ProviderKey(k.provider(), k.key(), k.baseUrl(), clock.getAsLong());
            current = fresh;
            schedule(Math.max(1, ttlMillis * 4 / 5));
            f.complete(fresh);
            return;
        }
        Throwable cause = unwrap(e);
        if (cause instanceof ControlServerRefusal) {
            LOG.warnf("Key fetch refused by the control server: %s; the cached key is dropped", cause.getMessage());
            current = null;
        } else {
            ProviderKey stale = current;
            if (stale != null && clock.getAsLong() - stale.fetchedAtMillis() < ttlMillis + graceMillis) {
                LOG.warnf("Key fetch failed (%s); the cached key keeps serving until its grace ends", cause.toString());
                schedule(Math.max(100, Math.min(5000, graceMillis / 4)));
            } else {
                LOG.warnf("Key fetch failed: %s", cause.toString());
            }
        }
        f.completeExceptionally(cause);
    }

    private void schedule(long delay) {
        if (!closed && ttlMillis > 0) {
            scheduler.schedule(delay, () -> {
                if (!closed) {
                    refresh();
                }
            });
        }
    }

    /** Stops background refreshes. */
    public void close() {
        closed = true;
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
