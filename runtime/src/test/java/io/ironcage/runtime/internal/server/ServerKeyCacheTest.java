package io.ironcage.runtime.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.internal.server.ServerKeyCache.ProviderKey;

class ServerKeyCacheTest {

    static final long TTL = 300_000;
    static final long GRACE = 60_000;

    final AtomicLong now = new AtomicLong(1_000_000);
    final List<CompletableFuture<ProviderKey>> fetches = new ArrayList<>();
    final List<Long> scheduled = new ArrayList<>();
    final List<Runnable> tasks = new ArrayList<>();
    final ServerKeyCache cache = new ServerKeyCache(this::fetch, TTL, GRACE, now::get, (d, t) -> {
        scheduled.add(d);
        tasks.add(t);
    });

    private CompletionStage<ProviderKey> fetch() {
        CompletableFuture<ProviderKey> f = new CompletableFuture<>();
        fetches.add(f);
        return f;
    }

    private static ProviderKey key(String k) {
        return new ProviderKey("openai", k, null, 0);
    }

    private ProviderKey get() throws Exception {
        return cache.get().toCompletableFuture().get();
    }

    @Test
    void aMissFetchesOnceForConcurrentCallersAndAHitDoesNotFetch() throws Exception {
        CompletableFuture<ProviderKey> a = cache.get().toCompletableFuture();
        CompletableFuture<ProviderKey> b = cache.get().toCompletableFuture();
        assertEquals(1, fetches.size(), "single flight");
        fetches.get(0).complete(key("sk-1"));
        assertEquals("sk-1", a.get().key());
        assertEquals("sk-1", b.get().key());
        now.addAndGet(TTL - 1);
        assertEquals("sk-1", get().key());
        assertEquals(1, fetches.size(), "served from memory within the TTL");
        assertEquals(List.of(TTL * 4 / 5), scheduled, "a background refresh before expiry");
    }

    @Test
    void theBackgroundRefreshReplacesTheKeyBeforeItExpires() throws Exception {
        cache.refresh();
        fetches.get(0).complete(key("sk-1"));
        now.addAndGet(TTL * 4 / 5);
        tasks.get(0).run();
        assertEquals(2, fetches.size());
        fetches.get(1).complete(key("sk-2"));
        now.addAndGet(TTL / 2);
        assertEquals("sk-2", get().key());
        assertEquals(2, fetches.size());
    }

    @Test
    void aStaleKeyServesForTheGraceWhileTheServerIsUnreachableThenCallsFail() throws Exception {
        cache.refresh();
        fetches.get(0).complete(key("sk-1"));
        now.addAndGet(TTL + 1);
        assertEquals("sk-1", get().key(), "stale but within the grace: served at once");
        assertEquals(2, fetches.size(), "and a refresh started");
        fetches.get(1).completeExceptionally(new java.net.ConnectException("refused"));
        assertTrue(scheduled.get(scheduled.size() - 1) <= 5000, "retried soon in the background");
        now.addAndGet(GRACE - 2);
        assertEquals("sk-1", get().key());
        now.addAndGet(2);
        CompletableFuture<ProviderKey> late = cache.get().toCompletableFuture();
        fetches.get(fetches.size() - 1).completeExceptionally(new java.net.ConnectException("refused"));
        ExecutionException e = assertThrows(ExecutionException.class, late::get);
        assertInstanceOf(java.net.ConnectException.class, e.getCause());
    }

    @Test
    void aKeyTheServerRefusesIsDroppedAtOnce() throws Exception {
        cache.refresh();
        fetches.get(0).complete(key("sk-1"));
        ProviderKey first = cache.current();
        now.addAndGet(TTL * 4 / 5);
        tasks.get(0).run();
        fetches.get(1).completeExceptionally(new ControlServerRefusal(403, "403: Provider key is disabled"));
        assertNull(cache.current());
        CompletableFuture<ProviderKey> next = cache.get().toCompletableFuture();
        assertEquals(3, fetches.size(), "no stale key after a refusal: the next call fetches");
        fetches.get(2).complete(key("sk-3"));
        assertEquals("sk-3", next.get().key());
        assertSame(first.provider(), next.get().provider());
    }

    @Test
    void closingStopsBackgroundRefreshes() {
        cache.refresh();
        fetches.get(0).complete(key("sk-1"));
        cache.close();
        tasks.get(0).run();
        assertEquals(1, fetches.size());
    }
}
