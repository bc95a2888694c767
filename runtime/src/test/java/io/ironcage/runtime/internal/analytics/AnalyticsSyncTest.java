package io.ironcage.runtime.internal.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ironcage.runtime.internal.ledger.LedgerJournal;
import io.ironcage.runtime.internal.server.ControlServerRefusal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The sync against a real outbox (H2 file) and a control server that takes, fails or refuses events as told: every
 * event arrives, none twice, whatever the server does meanwhile.
 */
class AnalyticsSyncTest {

    private Vertx vertx;
    private Path dir;
    private String url;
    private LedgerJournal journal;
    private final FakeServer server = new FakeServer();

    /** Takes events while up, answering after a little while; counts what it took per event id. */
    private final class FakeServer {
        final Map<String, AtomicInteger> taken = new ConcurrentHashMap<>();
        final List<String> refusedIds = new CopyOnWriteArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile Predicate<JsonObject> down = e -> false;
        volatile Predicate<JsonObject> refuses = e -> false;

        CompletionStage<?> send(JsonObject event) {
            CompletableFuture<Object> answer = new CompletableFuture<>();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            vertx.setTimer(2, t -> {
                inFlight.decrementAndGet();
                if (down.test(event)) {
                    answer.completeExceptionally(new java.net.ConnectException("Connection refused"));
                } else if (refuses.test(event)) {
                    refusedIds.add(event.getString("event_id"));
                    answer.completeExceptionally(new ControlServerRefusal(400, "400: VALIDATION_ERROR"));
                } else {
                    taken.computeIfAbsent(event.getString("event_id"), id -> new AtomicInteger()).incrementAndGet();
                    answer.complete("accepted");
                }
            });
            return answer;
        }

        Set<String> takenTwice() {
            return taken.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        dir = Files.createTempDirectory("iron-analytics-test");
        url = "jdbc:h2:file:" + dir.resolve("ledger") + ";WRITE_DELAY=0";
        journal = open();
    }

    private LedgerJournal open() throws Exception {
        return LedgerJournal.open(url, null, null, "default", -1, Duration.ofSeconds(5), Duration.ofMillis(5), null)
                .journal();
    }

    @AfterEach
    void tearDown() throws Exception {
        journal.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }

    private AnalyticsSync sync(int batchSize, int concurrency) {
        return new AnalyticsSync(vertx, journal, server::send, "http://control.test", Duration.ofMillis(50), batchSize,
                concurrency);
    }

    private List<String> record(int from, int count) {
        List<String> ids = IntStream.range(from, from + count).mapToObj(i -> "evt-" + i).toList();
        ids.forEach(id -> journal.analytics(new JsonObject().put("event_id", id).put("event_type",
                "llm_request_completed").encode()));
        return ids;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 20 s: " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void everyEventIsSentOnceInBatchesWithBoundedConcurrency() throws Exception {
        List<String> ids = record(0, 1200);
        AnalyticsSync sync = sync(100, 4);
        sync.start();
        await(() -> server.taken.size() == 1200, "all 1200 taken");
        Thread.sleep(200); // a few more rounds: nothing is sent again
        assertEquals(Set.copyOf(ids), server.taken.keySet());
        assertEquals(Set.of(), server.takenTwice());
        assertTrue(server.maxInFlight.get() <= 4, "at most 4 at once: " + server.maxInFlight.get());
        assertEquals(1200, sync.sent());
        assertEquals(List.of(), journal.pendingAnalytics(10_000).get(10, TimeUnit.SECONDS));
        sync.stop(Duration.ofSeconds(5));
    }

    @Test
    void eventsMadeWhileTheServerIsDownAreSentWhenItReturnsAndNoneTwice() throws Exception {
        server.down = e -> true;
        AnalyticsSync sync = sync(50, 8);
        sync.start();
        List<String> ids = record(0, 120);
        await(() -> sync.lastError() != null, "the failure seen");
        Thread.sleep(300); // several failed rounds
        assertEquals(Set.of(), server.taken.keySet());
        assertEquals(120, journal.pendingAnalytics(10_000).get(10, TimeUnit.SECONDS).stream()
                .mapToInt(s -> s.unacked()).sum(), "all kept");

        server.down = e -> false;
        await(() -> server.taken.size() == 120, "all taken once the server is back");
        assertEquals(Set.copyOf(ids), server.taken.keySet());
        assertEquals(Set.of(), server.takenTwice());
        await(() -> sync.lastError() == null, "recovered");
        sync.stop(Duration.ofSeconds(5));
    }

    @Test
    void aServerFailingHalfWayLosesNothingAndSendsAgainOnlyWhatFailed() throws Exception {
        List<String> ids = record(0, 40);
        // the server fails every event after the 10th of the segment once, then works
        AtomicInteger failures = new AtomicInteger();
        server.down = e -> Integer.parseInt(e.getString("event_id").substring(4)) == 10 && failures.getAndIncrement() == 0;
        AnalyticsSync sync = sync(100, 4);
        sync.start();
        await(() -> server.taken.size() == 40, "all taken");
        Thread.sleep(200);
        assertEquals(Set.copyOf(ids), server.taken.keySet());
        assertEquals(Set.of(), server.takenTwice(), "the events around the failed one were marked sent");
        assertEquals(2, failures.get(), "the failed one was sent again, once");
        sync.stop(Duration.ofSeconds(5));
    }

    @Test
    void anEventRefusedForGoodIsNotSentAgainAndDoesNotHoldUpTheOthers() throws Exception {
        record(0, 10);
        server.refuses = e -> e.getString("event_id").equals("evt-3");
        AnalyticsSync sync = sync(100, 2);
        sync.start();
        await(() -> server.taken.size() == 9, "the other nine taken");
        Thread.sleep(200);
        assertEquals(List.of("evt-3"), server.refusedIds);
        assertEquals(1, sync.refused());
        assertEquals(List.of(), journal.pendingAnalytics(10_000).get(10, TimeUnit.SECONDS));
        sync.stop(Duration.ofSeconds(5));
    }

    @Test
    void stopSendsWhatWasRecordedUntilThenAndTheRestWaitsForTheNextProcess() throws Exception {
        AnalyticsSync sync = new AnalyticsSync(vertx, journal, server::send, "http://control.test",
                Duration.ofHours(1), 100, 8);
        sync.start();
        await(() -> sync.sent() == 0 && sync.lastError() == null, "first round done");
        Thread.sleep(50);
        List<String> ids = record(0, 250); // the next round is an hour away
        sync.stop(Duration.ofSeconds(10));
        assertEquals(Set.copyOf(ids), server.taken.keySet(), "the stop sent everything");

        record(250, 5);
        server.down = e -> true;
        AnalyticsSync second = sync(100, 8);
        second.start();
        await(() -> second.lastError() != null, "the server is down");
        second.stop(Duration.ofMillis(500));
        assertNotNull(second.lastError());
        journal.close();
        journal = open(); // the next process
        server.down = e -> false;
        AnalyticsSync third = sync(100, 8);
        third.start();
        await(() -> server.taken.size() == 255, "the next process sent what was left");
        assertNull(third.lastError());
        assertEquals(Set.of(), server.takenTwice());
        third.stop(Duration.ofSeconds(5));
    }
}
