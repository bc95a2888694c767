package io.ironcage.runtime.internal.ledger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.ironcage.runtime.LedgerStatus;
import io.ironcage.runtime.internal.server.ControlServerJson.ReportRequest;

/**
 * Writes the ledger off the event loop: callers add settled calls to their thread's tally and queue limit changes and
 * the rest (lock-free), never blocking; one scheduled writer thread writes whatever has come together every flush
 * interval, in one transaction (group commit: a commit costs far more than a row, so under load the batches grow, not
 * the commits; and callers never wake the writer, which would cost a thread switch per call). A failed write is kept
 * and retried with backoff until the database answers again; nothing is dropped while the process lives. When idle,
 * the writer re-reads the scope's totals so that spend written by other instances sharing the database reaches this
 * one's budget.
 */
public final class LedgerJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LedgerJournal.class);
    private static final int MAX_BATCH = 1000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    /** Told, on the writer thread, what the database holds after each write or re-read. */
    public interface TotalsListener {
        /**
         * @param othersSpentMicros spend other instances added since the last call
         * @param limitChanged whether another instance changed the stored limit
         * @param limitMicros the scope's limit as stored
         */
        void onTotals(long othersSpentMicros, boolean limitChanged, long limitMicros);
    }

    /** What the queue carries. */
    private sealed interface Op permits Settled, Limit, Report, Reported, AgentChanged, Analytics, AnalyticsAcked,
            PendingRead, Barrier {
    }

    /** The calls settled since the last write, summed per provider and model (one row each). */
    private record Settled(List<SpendBucket> buckets) implements Op {

        int calls() {
            return (int) SpendBucket.calls(buckets);
        }

        long costMicros() {
            return SpendBucket.costMicros(buckets);
        }
    }

    /** A limit set at run time. */
    private record Limit(long micros) implements Op {
    }

    /** Server mode: a usage report the control server has not taken yet. */
    private record Report(ReportRequest report) implements Op {
    }

    /** Server mode: ... and now it has (or refused it for good). */
    private record Reported(String requestId) implements Op {
    }

    /** An agent's totals changed: what they are is read when they are written. */
    private record AgentChanged(String id, Supplier<AgentRecord> current) implements Op {
    }

    /** An analytics event (its JSON) for the outbox. */
    private record Analytics(String json) implements Op {
    }

    /** The control server acknowledged these events (by index) of a segment of the outbox. */
    private record AnalyticsAcked(String segmentId, BitSet acked) implements Op {
    }

    /** Reads the outbox once everything queued before it (acknowledgements included) is written. */
    private record PendingRead(int maxEvents, CompletableFuture<List<OutboxSegment>> result) implements Op {
    }

    /** Completed once everything queued before it is written. */
    private record Barrier(CompletableFuture<Void> written) implements Op {
    }

    private final LedgerStore store;
    private final String description;
    private final long syncIntervalMillis;
    private final long flushIntervalMillis;
    private final TotalsListener listener;
    private final ConcurrentLinkedQueue<Op> queue = new ConcurrentLinkedQueue<>();
    /** Ops queued or in the batch (a settled call counts as one) and not written yet. */
    private final AtomicInteger pending = new AtomicInteger();
    /**
     * Each settling thread's calls since the last write (see {@link SpendTally}). Calls are settled on the event loops
     * that ran them, a fixed set of threads, so this list stays as short as that set.
     */
    private final List<SpendTally> tallies = new CopyOnWriteArrayList<>();
    private final ThreadLocal<SpendTally> tally = ThreadLocal.withInitial(() -> {
        SpendTally t = new SpendTally();
        tallies.add(t);
        return t;
    });
    /** The writer: one thread, woken by its own schedule only. */
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "iron-ledger-writer");
        t.setDaemon(true);
        return t;
    });
    /** Counted down once everything queued before close() has been written and the store closed. */
    private final CountDownLatch done = new CountDownLatch(1);
    private long nextSync;
    private final List<Op> batch = new ArrayList<>();
    /** The id of the run of settled calls or analytics events at the head of the batch, while it is not written. */
    private String runId;
    private final List<AgentRecord> storedAgents;
    private volatile boolean closing;
    private volatile boolean abandoned;
    /** The writer's view of the stored total and limit, to tell what other instances changed. */
    private long seenSpent;
    private long seenLimit;
    private volatile LedgerStore.Totals lastTotals;
    private volatile String lastError;
    private long backoffMillis;

    private LedgerJournal(LedgerStore store, String description, LedgerStore.Totals opened, long syncIntervalMillis,
            long flushIntervalMillis, TotalsListener listener, List<AgentRecord> storedAgents) {
        this.storedAgents = storedAgents;
        this.flushIntervalMillis = Math.max(1, flushIntervalMillis);
        this.store = store;
        this.description = description;
        this.lastTotals = opened;
        this.seenSpent = opened.spentMicros();
        this.seenLimit = opened.limitMicros();
        this.syncIntervalMillis = syncIntervalMillis;
        this.listener = listener;
        this.nextSync = System.currentTimeMillis() + syncIntervalMillis;
    }

    /**
     * Opens the store (blocking: call at startup, not on an event loop), reads the scope's row and starts the writer.
     *
     * @param configuredLimit the configured limit ({@code -1} none); see {@link LedgerStore#open(long)}
     * @param listener told what other instances spent, or {@code null} to not follow the shared totals
     */
    public static Opened open(String url, String user, String password, String scope, long configuredLimit,
            Duration syncInterval, Duration flushInterval, TotalsListener listener) throws SQLException {
        LedgerStore store = new LedgerStore(url, user, password, scope);
        LedgerStore.Totals totals;
        try {
            totals = store.open(configuredLimit);
        } catch (SQLException e) {
            store.close();
            throw e;
        }
        List<ReportRequest> unreported;
        List<AgentRecord> agents;
        try {
            unreported = store.unreported();
            agents = List.copyOf(store.agents());
        } catch (SQLException e) {
            store.close();
            throw e;
        }
        LedgerJournal journal = new LedgerJournal(store, url, totals, syncInterval.toMillis(), flushInterval.toMillis(),
                listener, agents);
        journal.writer.schedule(journal::tick, journal.flushIntervalMillis, TimeUnit.MILLISECONDS);
        return new Opened(journal, totals.spentMicros(), totals.limitMicros(), unreported);
    }

    /**
     * An open journal and what the database held: the spend to start from, the limit in effect and the usage reports
     * the control server had not taken when the last process ended.
     */
    public record Opened(LedgerJournal journal, long spentMicros, long limitMicros, List<ReportRequest> unreported) {
    }

    /** Adds a settled call to the next write. Never blocks (but for the writer taking this thread's calls). */
    public void record(SpendEntry entry) {
        if (!refusedWhenClosing(entry)) {
            tally.get().add(entry);
        }
    }

    /** Queues a limit set at run time ({@code -1} = none). Never blocks. */
    public void setLimit(long limitMicros) {
        enqueue(new Limit(limitMicros));
    }

    /** Server mode: keeps a usage report until {@link #reported} (so a restart can still deliver it). */
    public void reportQueued(ReportRequest report) {
        enqueue(new Report(report));
    }

    /** Server mode: the control server took the report (or refused it for good). */
    public void reported(String requestId) {
        enqueue(new Reported(requestId));
    }

    /** The agents' totals as the ledger held them at startup. */
    public List<AgentRecord> storedAgents() {
        return storedAgents;
    }

    /**
     * Queues an agent's totals for writing; {@code current} is asked for them when they are written, so one write
     * covers all the changes queued meanwhile (callers queue once per round, see {@link AgentRecord}). Never blocks.
     */
    public void agentChanged(String id, Supplier<AgentRecord> current) {
        enqueue(new AgentChanged(id, current));
    }

    /** Queues an analytics event (its JSON, one line) for the outbox. Never blocks. */
    public void analytics(String json) {
        enqueue(new Analytics(json));
    }

    /**
     * Queues which events of a segment the control server has acknowledged (those it did before included). Never
     * blocks.
     */
    public void analyticsAcked(String segmentId, BitSet acked) {
        enqueue(new AnalyticsAcked(segmentId, (BitSet) acked.clone()));
    }

    /**
     * The outbox's oldest segments with events the control server has not acknowledged, read once everything queued
     * before this call (events, acknowledgements) is written.
     */
    public CompletableFuture<List<OutboxSegment>> pendingAnalytics(int maxEvents) {
        CompletableFuture<List<OutboxSegment>> result = new CompletableFuture<>();
        if (closing) {
            result.completeExceptionally(new IllegalStateException("The ledger is closed"));
        } else {
            enqueue(new PendingRead(maxEvents, result));
        }
        return result;
    }

    /** Completes once everything queued before this call is written (it waits while the database is down). */
    public CompletableFuture<Void> written() {
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (closing) {
            written.completeExceptionally(new IllegalStateException("The ledger is closed"));
        } else {
            enqueue(new Barrier(written));
        }
        return written;
    }

    private void enqueue(Op op) {
        if (!refusedWhenClosing(op)) {
            pending.incrementAndGet();
            queue.add(op);
        }
    }

    /** Once the journal closes, what comes is logged as not persisted instead of kept. */
    private boolean refusedWhenClosing(Object change) {
        boolean closed = closing;
        if (closed) {
            LOG.warnf("Ledger closed: %s not persisted", change);
        }
        return closed;
    }

    public LedgerStatus status() {
        // the tallies first: a call taken from its tally in between is counted twice rather than not at all
        long tallied = tallies.stream().mapToLong(SpendTally::calls).sum();
        int pendingWrites = (int) (pending.get() + tallied);
        LedgerStore.Totals t = lastTotals; // after the count: nothing pending means these include every write
        return new LedgerStatus(description, t.spentMicros(), t.calls(), pendingWrites, lastError);
    }

    /**
     * One round of the writer: writes what has queued up (or, when idle, re-reads the totals), then plans the next
     * round: at once when a full batch may have more behind it, after the backoff when the database failed, else
     * after the flush interval. No thread waits in between.
     */
    private void tick() {
        long delay = flushIntervalMillis;
        try {
            boolean full = false;
            if (batch.isEmpty()) {
                full = drain();
                takeSpend(); // after the drain: a barrier drained is written after every call settled before it
            }
            if (!batch.isEmpty()) {
                writeBatch();
                recovered();
                delay = full || closing ? 0 : delay;
            } else if (closing) {
                finish();
                return;
            } else if (System.currentTimeMillis() >= nextSync) {
                syncTotals(store.totals());
                recovered();
                nextSync = System.currentTimeMillis() + syncIntervalMillis;
            }
        } catch (SQLException | RuntimeException e) {
            delay = failed(e);
        }
        if (abandoned) {
            store.close();
            return;
        }
        try {
            writer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            store.close();
        }
    }

    private void finish() {
        store.close();
        done.countDown();
    }

    /** Moves queued ops into the batch; true when it is full (more may be queued behind). */
    private boolean drain() {
        Op op;
        while (batch.size() < MAX_BATCH && (op = queue.poll()) != null) {
            batch.add(op);
        }
        return batch.size() == MAX_BATCH;
    }

    /** Puts the calls settled since the last write at the head of the batch, all in one write. */
    private void takeSpend() {
        List<SpendBucket> taken = SpendTally.takeAll(tallies, pending);
        if (!taken.isEmpty()) {
            batch.add(0, new Settled(taken));
        }
    }

    /** Writes the batch in order (runs of the same kind together), then tells the listener what others did. */
    private void writeBatch() throws SQLException {
        LedgerStore.Totals after = null;
        while (!batch.isEmpty()) {
            Op head = batch.get(0);
            List<Op> run = batch.subList(0, runLength(head));
            if (head instanceof Settled settled) {
                after = store.append(runId(), settled.buckets());
                // before the listener learns of it, so a failure further on cannot count it twice
                seenSpent += settled.costMicros();
            } else if (head instanceof Limit limit) {
                store.setLimit(limit.micros());
                seenLimit = limit.micros();
                LedgerStore.Totals t = after != null ? after : lastTotals;
                after = new LedgerStore.Totals(t.spentMicros(), t.calls(), limit.micros(), t.configuredLimitMicros());
            } else if (head instanceof AgentChanged) {
                writeAgents(run);
            } else if (head instanceof Analytics) {
                store.appendAnalytics(runId(), run.stream().map(op -> ((Analytics) op).json()).toList());
            } else if (head instanceof AnalyticsAcked) {
                Map<String, BitSet> acked = new HashMap<>();
                run.forEach(op -> acked.merge(((AnalyticsAcked) op).segmentId(), ((AnalyticsAcked) op).acked(),
                        (a, b) -> {
                            BitSet both = (BitSet) a.clone();
                            both.or(b);
                            return both;
                        }));
                store.analyticsAcked(acked);
            } else if (head instanceof PendingRead read) {
                read.result().complete(store.pendingAnalytics(read.maxEvents()));
            } else if (head instanceof Barrier barrier) {
                barrier.written().complete(null);
            } else {
                writeReports(run);
            }
            runId = null;
            int written = head instanceof Settled settled ? settled.calls() : run.size();
            run.clear();
            if (after != null) {
                lastTotals = after; // before the count drops: who sees nothing pending sees the totals written
            }
            pending.addAndGet(-written);
        }
        syncTotals(after);
    }

    /** The id of the run at the head of the batch: kept until it is written, so a retry writes the same run. */
    private String runId() {
        if (runId == null) {
            runId = UUID.randomUUID().toString();
        }
        return runId;
    }

    /** Each agent once, with its totals as they are now. */
    private void writeAgents(List<Op> run) throws SQLException {
        Map<String, Supplier<AgentRecord>> latest = new LinkedHashMap<>();
        run.forEach(op -> latest.put(((AgentChanged) op).id(), ((AgentChanged) op).current()));
        store.saveAgents(latest.values().stream().map(Supplier::get).toList());
    }

    /** How many ops from the head of the batch are written together: those of the same kind; a limit or read alone. */
    private int runLength(Op head) {
        if (head instanceof Settled || head instanceof Limit || head instanceof Barrier
                || head instanceof PendingRead) {
            return 1;
        }
        int n = 1;
        while (n < batch.size() && kind(batch.get(n)) == kind(head)) {
            n++;
        }
        return n;
    }

    /** A report queued and taken within one batch is never written at all. */
    private void writeReports(List<Op> run) throws SQLException {
        Set<String> taken = new HashSet<>();
        run.forEach(op -> {
            if (op instanceof Reported r) {
                taken.add(r.requestId());
            }
        });
        List<ReportRequest> kept = new ArrayList<>();
        run.forEach(op -> {
            if (op instanceof Report r && !taken.remove(r.report().requestId())) {
                kept.add(r.report());
            }
        });
        if (!kept.isEmpty() || !taken.isEmpty()) {
            store.reports(kept, taken);
        }
    }

    /** Report changes are one kind (written together); every other op class is its own. */
    private static Class<?> kind(Op op) {
        return op instanceof Reported ? Report.class : op.getClass();
    }

    /**
     * Tells the listener what other instances did: the stored total grew by more than this instance wrote, or the
     * stored limit is not the one this instance last saw.
     */
    private void syncTotals(LedgerStore.Totals t) {
        if (t == null) {
            return;
        }
        lastTotals = t;
        long others = t.spentMicros() - seenSpent;
        boolean limitChanged = t.limitMicros() != seenLimit;
        seenSpent = t.spentMicros();
        seenLimit = t.limitMicros();
        if (listener != null && (others != 0 || limitChanged)) {
            listener.onTotals(others, limitChanged, t.limitMicros());
        }
    }

    /** Records a failed write; returns how long to wait before the next try. */
    private long failed(Exception e) {
        String message = e.toString();
        if (lastError == null) {
            LOG.warnf("Ledger write failed (%s); %d changes kept in memory and retried until %s answers", message,
                    pending.get(), description);
        }
        lastError = message;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis == 0 ? 250 : backoffMillis * 2);
        return closing ? Math.min(backoffMillis, 100) : backoffMillis; // close() bounds the retries
    }

    private void recovered() {
        if (lastError != null) {
            LOG.infof("Ledger writes to %s work again", description);
            lastError = null;
        }
        backoffMillis = 0;
    }

    /**
     * Writes what is queued (waiting at most {@code wait}) and closes the store. What could not be written in that
     * time is logged with its amount.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    public void close(Duration wait) {
        closing = true;
        boolean written = false;
        try {
            written = done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdown();
        if (!written) {
            abandoned = true;
            long lost = batch.stream().mapToLong(o -> o instanceof Settled s ? s.costMicros() : 0).sum()
                    + tallies.stream().mapToLong(SpendTally::costMicros).sum();
            LOG.errorf("Ledger: %d changes (%d µ$ of spend) could not be written to %s before shutdown: %s",
                    pending.get(), lost, description, lastError);
        }
    }
}
