package io.ironcage.runtime.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ironcage.runtime.internal.server.ControlServerJson.ReportRequest;

/** The journal against a real embedded H2 file: what is written, what a restart reads back, sharing, failures. */
class LedgerJournalTest {

    private static final Duration SYNC = Duration.ofMillis(50);
    private Path dir;
    private String url;
    private final List<LedgerJournal> open = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("iron-ledger-test");
        url = "jdbc:h2:file:" + dir.resolve("ledger") + ";WRITE_DELAY=0";
    }

    @AfterEach
    void tearDown() throws Exception {
        open.forEach(LedgerJournal::close);
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }

    private LedgerJournal.Opened openJournal(String scope, long configuredLimit, LedgerJournal.TotalsListener l)
            throws SQLException {
        LedgerJournal.Opened o = LedgerJournal.open(url, null, null, scope, configuredLimit, SYNC, Duration.ofMillis(5), l);
        open.add(o.journal());
        return o;
    }

    private static SpendEntry entry(String id, long cost) {
        return new SpendEntry(id, System.currentTimeMillis(), "openai", "gpt-4o-mini", cost * 2, cost, 100, 20, 0, 0);
    }

    /** What a tally makes of {@code entries}: one bucket per provider and model. */
    private static List<SpendBucket> buckets(List<SpendEntry> entries) {
        SpendTally tally = new SpendTally();
        entries.forEach(tally::add);
        return tally.take();
    }

    private static void awaitWritten(LedgerJournal journal) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (journal.status().pendingWrites() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, journal.status().pendingWrites(), "written within 10 s");
    }

    @Test
    void aNewLedgerStartsEmptyWithTheConfiguredLimit() throws Exception {
        LedgerJournal.Opened o = openJournal("default", 5_000_000, null);
        assertEquals(0, o.spentMicros());
        assertEquals(5_000_000, o.limitMicros());
        assertEquals(url, o.journal().status().store());
    }

    @Test
    void spendAndEntriesSurviveAReopen() throws Exception {
        LedgerJournal.Opened first = openJournal("default", -1, null);
        for (int i = 0; i < 250; i++) {
            first.journal().record(entry("call_" + i, 1_000 + i));
        }
        awaitWritten(first.journal());
        long expected = 250 * 1_000 + 249 * 250 / 2;
        assertEquals(expected, first.journal().status().persistedSpentMicros());
        assertEquals(250, first.journal().status().persistedCalls());
        first.journal().close();

        LedgerJournal.Opened second = openJournal("default", -1, null);
        assertEquals(expected, second.spentMicros());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT SUM(calls), SUM(cost_micros), SUM(held_micros), "
                        + "SUM(input_tokens), COUNT(*) FROM iron_spend WHERE scope = 'default'")) {
            assertTrue(rs.next());
            assertEquals(250, rs.getLong(1));
            assertEquals(expected, rs.getLong(2));
            assertEquals(2 * expected, rs.getLong(3));
            assertEquals(25_000, rs.getLong(4));
            assertTrue(rs.getLong(5) < 250, "summed per write, not one row per call: " + rs.getLong(5));
        }
    }

    @Test
    void spendIsSummedPerProviderAndModel() throws Exception {
        LedgerJournal.Opened o = openJournal("default", -1, null);
        String[][] routes = { { "openai", "gpt-4o-mini" }, { "anthropic", "claude-haiku-4-5" },
                { "openai", "gpt-4o" }, { "groq", null } };
        for (int i = 0; i < 40; i++) {
            String[] r = routes[i % routes.length];
            o.journal().record(new SpendEntry("call_" + i, 1_000 + i, r[0], r[1], 2 * i, i, 10, 3, 1, 2));
        }
        awaitWritten(o.journal());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT provider, model, SUM(calls), SUM(cost_micros), SUM(held_micros), "
                        + "SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), "
                        + "MIN(first_settled_at), MAX(last_settled_at) FROM iron_spend GROUP BY provider, model "
                        + "ORDER BY provider, model")) {
            // call i goes to routes[i % 4]: route k's calls cost k, k+4, ..., k+36 and settled at 1000 + that
            String[] order = { "anthropic/claude-haiku-4-5", "groq/null", "openai/gpt-4o", "openai/gpt-4o-mini" };
            int[] routeOf = { 1, 3, 2, 0 };
            for (int row = 0; row < order.length; row++) {
                assertTrue(rs.next(), "a row for " + order[row]);
                long k = routeOf[row];
                long cost = 10 * k + 4 * 45;
                assertEquals(order[row], rs.getString(1) + "/" + rs.getString(2));
                assertEquals(10, rs.getLong(3), "calls");
                assertEquals(cost, rs.getLong(4), "cost");
                assertEquals(2 * cost, rs.getLong(5), "held");
                assertEquals(100, rs.getLong(6), "input tokens");
                assertEquals(30, rs.getLong(7), "output tokens");
                assertEquals(10, rs.getLong(8), "cache read tokens");
                assertEquals(20, rs.getLong(9), "cache write tokens");
                assertEquals(1_000 + k, rs.getLong(10), "first settled");
                assertEquals(1_036 + k, rs.getLong(11), "last settled");
            }
        }
    }

    @Test
    void everyCallSettledSinceTheLastWriteOnAnyThreadIsWrittenInOneTransaction() throws Exception {
        // the first write comes a second after opening: by then all 4 x 1250 calls have been settled
        LedgerJournal.Opened o = LedgerJournal.open(url, null, null, "default", -1, SYNC, Duration.ofSeconds(1), null);
        open.add(o.journal());
        Thread[] loops = new Thread[4];
        for (int t = 0; t < loops.length; t++) {
            int first = t * 1_250;
            loops[t] = new Thread(() -> {
                for (int i = first; i < first + 1_250; i++) {
                    o.journal().record(entry("call_" + i, 3));
                }
            });
            loops[t].start();
        }
        for (Thread t : loops) {
            t.join();
        }
        assertEquals(5_000, o.journal().status().pendingWrites(), "settled, not written yet");
        awaitWritten(o.journal());
        assertEquals(15_000, o.journal().status().persistedSpentMicros());
        assertEquals(5_000, o.journal().status().persistedCalls());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT batch_id), SUM(calls), "
                        + "SUM(cost_micros), SUM(input_tokens) FROM iron_spend")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getLong(1), "one row: the threads' calls for the model summed");
            assertEquals(1, rs.getLong(2), "one write (one commit), not one per thousand calls");
            assertEquals(5_000, rs.getLong(3));
            assertEquals(15_000, rs.getLong(4));
            assertEquals(500_000, rs.getLong(5));
        }
    }

    @Test
    void closeWritesWhatIsStillQueued() throws Exception {
        LedgerJournal.Opened first = openJournal("default", -1, null);
        for (int i = 0; i < 5_000; i++) {
            first.journal().record(entry("call_" + i, 3));
        }
        first.journal().close(); // no waiting for the writer before
        assertEquals(15_000, openJournal("default", -1, null).spentMicros());
    }

    @Test
    void aLimitSetAtRunTimeSurvivesUntilTheConfigurationChanges() throws Exception {
        LedgerJournal.Opened first = openJournal("default", 1_000_000, null);
        first.journal().setLimit(7_000_000);
        first.journal().close();
        assertEquals(7_000_000, openJournal("default", 1_000_000, null).limitMicros(), "same config: run-time limit");
        open.forEach(LedgerJournal::close);
        assertEquals(2_000_000, openJournal("default", 2_000_000, null).limitMicros(), "changed config wins");
        open.forEach(LedgerJournal::close);
        assertEquals(-1, openJournal("default", -1, null).limitMicros(), "limit removed from the config");
    }

    @Test
    void scopesAreSeparateBudgets() throws Exception {
        LedgerJournal.Opened a = openJournal("team-a", -1, null);
        LedgerJournal.Opened b = openJournal("team-b", -1, null);
        a.journal().record(entry("call_a", 500));
        b.journal().record(entry("call_b", 70));
        awaitWritten(a.journal());
        awaitWritten(b.journal());
        assertEquals(500, a.journal().status().persistedSpentMicros());
        assertEquals(70, b.journal().status().persistedSpentMicros());
    }

    @Test
    void instancesSharingAScopeLearnWhatTheOthersSpentAndTheLimitTheySet() throws Exception {
        AtomicInteger othersSeenByB = new AtomicInteger();
        long[] limitSeenByB = { Long.MIN_VALUE };
        CountDownLatch limitArrived = new CountDownLatch(1);
        LedgerJournal.Opened a = openJournal("shared", -1, (others, changed, limit) -> {
        });
        LedgerJournal.Opened b = openJournal("shared", -1, (others, changed, limit) -> {
            othersSeenByB.addAndGet((int) others);
            if (changed) {
                limitSeenByB[0] = limit;
                limitArrived.countDown();
            }
        });
        b.journal().record(entry("call_b1", 40)); // its own spend is never reported back to it as others'
        awaitWritten(b.journal());
        a.journal().record(entry("call_a1", 1_000));
        a.journal().record(entry("call_a2", 234));
        a.journal().setLimit(9_000_000);
        awaitWritten(a.journal());
        assertTrue(limitArrived.await(5, TimeUnit.SECONDS), "B re-reads the totals while idle");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (othersSeenByB.get() < 1_234 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1_234, othersSeenByB.get());
        assertEquals(9_000_000, limitSeenByB[0]);
        assertEquals(1_274, b.journal().status().persistedSpentMicros());
    }

    @Test
    void aBatchWrittenAgainAfterALostAcknowledgementCountsOnce() throws Exception {
        try (LedgerStore store = new LedgerStore(url, null, null, "default")) {
            store.open(-1);
            List<SpendEntry> entries = List.of(entry("call_1", 100), entry("call_2", 5), new SpendEntry("call_3",
                    1, "anthropic", "claude-haiku-4-5", 0, 7, 1, 1, 0, 0));
            assertEquals(112, store.append("batch-1", buckets(entries)).spentMicros());
            assertEquals(112, store.append("batch-1", buckets(entries)).spentMicros(), "the same batch again");
            assertEquals(3, store.totals().calls());
            assertEquals(117, store.append("batch-2", buckets(entries.subList(1, 2))).spentMicros());
        }
    }

    @Test
    void aFailingDatabaseKeepsTheSpendQueuedAndWritesItWhenItWorksAgain() throws Exception {
        LedgerJournal.Opened o = openJournal("default", -1, null);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            // Every write fails while the database refuses any spend (reconnecting does not help)...
            s.execute("ALTER TABLE iron_budget ADD CONSTRAINT no_spend CHECK (spent_micros < 1)");
            o.journal().record(entry("call_1", 11));
            o.journal().record(entry("call_2", 22));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (o.journal().status().lastError() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertNotNull(o.journal().status().lastError(), "the failure is visible");
            assertEquals(2, o.journal().status().pendingWrites(), "nothing dropped");
            Thread.sleep(300); // at least one retry fails too
            assertEquals(2, o.journal().status().pendingWrites());
            // ...and succeed once it takes spend again.
            s.execute("ALTER TABLE iron_budget DROP CONSTRAINT no_spend");
        }
        awaitWritten(o.journal());
        assertNull(o.journal().status().lastError());
        assertEquals(33, o.journal().status().persistedSpentMicros());
    }

    @Test
    void usageReportsNotTakenByTheControlServerAreThereAfterARestart() throws Exception {
        LedgerJournal.Opened o = openJournal("default", -1, null);
        for (int i = 1; i <= 4; i++) {
            o.journal().reportQueued(new ReportRequest("lease_1", "call_" + i, 10 * i, 100 * i, "gpt-4o-mini",
                    "openai"));
        }
        o.journal().reported("call_2");
        awaitWritten(o.journal());
        o.journal().reported("call_4"); // in a later batch than its queueing
        o.journal().close();

        List<ReportRequest> left = openJournal("default", -1, null).unreported();
        assertEquals(List.of("call_1", "call_3"), left.stream().map(ReportRequest::requestId).sorted().toList());
        ReportRequest first = left.stream().filter(r -> r.requestId().equals("call_1")).findFirst().orElseThrow();
        assertEquals(new ReportRequest("lease_1", "call_1", 10, 100, "gpt-4o-mini", "openai"), first);
        assertEquals(List.of(), openJournal("other-scope", -1, null).unreported(), "per scope");
    }

    @Test
    void agentTotalsAreWrittenAsTheyAreWhenWrittenAndReadBackAfterARestart() throws Exception {
        LedgerJournal.Opened o = openJournal("default", -1, null);
        assertEquals(List.of(), o.journal().storedAgents());
        AtomicInteger reads = new AtomicInteger();
        AgentRecord[] current = { new AgentRecord("agent_1", 1, 0, 10, 5, 40, 0, 1000, -1, "RUNNING") };
        o.journal().agentChanged("agent_1", () -> {
            reads.incrementAndGet();
            return current[0];
        });
        current[0] = new AgentRecord("agent_1", 2, 1, 20, 9, 70, 1, 2000, 500, "STOPPED"); // changed before the write
        o.journal().agentChanged("night-crawler", () -> new AgentRecord("night-crawler", 7, 0, 1, 1, 3, 0, 5, 900,
                "BUDGET_EXHAUSTED"));
        o.journal().written().get(10, TimeUnit.SECONDS);
        assertEquals(1, reads.get(), "one read per write");
        o.journal().agentChanged("agent_1", () -> current[0]); // the same totals again change nothing
        o.journal().close();

        List<AgentRecord> stored = openJournal("default", -1, null).journal().storedAgents();
        assertEquals(List.of(current[0], new AgentRecord("night-crawler", 7, 0, 1, 1, 3, 0, 5, 900, "BUDGET_EXHAUSTED")),
                stored);
        assertEquals(List.of(), openJournal("other-scope", -1, null).journal().storedAgents(), "per scope");
    }

    @Test
    void analyticsEventsStayInTheOutboxUntilAcknowledgedAcrossRestarts() throws Exception {
        LedgerJournal.Opened o = openJournal("default", -1, null);
        for (int i = 1; i <= 3; i++) {
            o.journal().analytics("{\"n\":" + i + "}");
        }
        o.journal().written().get(10, TimeUnit.SECONDS);
        o.journal().analytics("{\"n\":4}");
        List<OutboxSegment> pending = o.journal().pendingAnalytics(100).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"),
                pending.stream().flatMap(seg -> seg.events().stream()).toList(), "in order, the last one too");
        assertEquals(2, pending.size(), "one segment per write");
        OutboxSegment first = pending.get(0);
        o.journal().analyticsAcked(first.id(), BitSet.valueOf(new long[] { 0b011 }));
        o.journal().analyticsAcked(first.id(), BitSet.valueOf(new long[] { 0b001 })); // one that came late: no loss
        assertEquals(List.of("{\"n\":3}", "{\"n\":4}"), unacked(o.journal().pendingAnalytics(100).get(10,
                TimeUnit.SECONDS)), "the read comes after the acknowledgement queued before it");
        o.journal().close();

        LedgerJournal reopened = openJournal("default", -1, null).journal();
        List<OutboxSegment> left = reopened.pendingAnalytics(100).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("{\"n\":3}", "{\"n\":4}"), unacked(left));
        left.forEach(seg -> {
            BitSet all = new BitSet();
            all.set(0, seg.events().size());
            reopened.analyticsAcked(seg.id(), all);
        });
        assertEquals(List.of(), reopened.pendingAnalytics(100).get(10, TimeUnit.SECONDS));
        assertEquals(0L, count("SELECT COUNT(*) FROM iron_analytics_outbox", reopened),
                "segments acknowledged whole leave the outbox");
    }

    @Test
    void aReadOfTheOutboxStopsOnceItHasABatch() throws Exception {
        LedgerJournal journal = openJournal("default", -1, null).journal();
        for (int segment = 0; segment < 3; segment++) {
            for (int i = 0; i < 4; i++) {
                journal.analytics("{}");
            }
            journal.written().get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, journal.pendingAnalytics(5).get(10, TimeUnit.SECONDS).size());
        assertEquals(3, journal.pendingAnalytics(100).get(10, TimeUnit.SECONDS).size());
    }

    private static List<String> unacked(List<OutboxSegment> segments) {
        return segments.stream().flatMap(seg -> IntStream.range(0, seg.events().size())
                .filter(i -> !seg.acked().get(i)).mapToObj(seg.events()::get)).toList();
    }

    private long count(String sql, LedgerJournal closeFirst) throws Exception {
        closeFirst.close();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
