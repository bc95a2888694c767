package io.ironcage.runtime.internal.ledger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.ironcage.runtime.LedgerStatus;

/**
 * Writes the ledger off the event loop: callers queue settled calls and limit changes (never blocking), one writer
 * thread takes whatever has queued up and writes it in one transaction (group commit: the more load, the bigger
 * the batches). A failed write is kept and retried with backoff until the database answers again; nothing queued is
 * dropped while the process lives. When idle, the writer re-reads the scope's totals so that spend written by other
 * instances sharing the database reaches this one's budget.
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

    /** What the queue carries: a settled call, or a limit set at run time. */
    private record Op(SpendEntry entry, long limitMicros) {
    }

    private final LedgerStore store;
    private final String description;
    private final long syncIntervalMillis;
    private final TotalsListener listener;
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread writer;
    private final List<Op> batch = new ArrayList<>();
    /** Wakes the writer when closing; not a change. */
    private static final Op WAKE = new Op(null, 0);

    private volatile boolean closing;
    private volatile boolean abandoned;
    /** The writer's view of the stored total and limit, to tell what other instances changed. */
    private long seenSpent;
    private long seenLimit;
    private volatile LedgerStore.Totals lastTotals;
    private volatile String lastError;
    private long backoffMillis;

    private LedgerJournal(LedgerStore store, String description, LedgerStore.Totals opened, long syncIntervalMillis,
            TotalsListener listener) {
        this.store = store;
        this.description = description;
        this.lastTotals = opened;
        this.seenSpent = opened.spentMicros();
        this.seenLimit = opened.limitMicros();
        this.syncIntervalMillis = syncIntervalMillis;
        this.listener = listener;
        this.writer = new Thread(this::run, "iron-ledger-writer");
        writer.setDaemon(true);
    }

    /**
     * Opens the store (blocking: call at startup, not on an event loop), reads the scope's row and starts the writer.
     *
     * @param configuredLimit the configured limit ({@code -1} none); see {@link LedgerStore#open(long)}
     * @param listener told what other instances spent, or {@code null} to not follow the shared totals
     */
    public static Opened open(String url, String user, String password, String scope, long configuredLimit,
            Duration syncInterval, TotalsListener listener) throws SQLException {
        LedgerStore store = new LedgerStore(url, user, password, scope);
        LedgerStore.Totals totals;
        try {
            totals = store.open(configuredLimit);
        } catch (SQLException e) {
            store.close();
            throw e;
        }
        LedgerJournal journal = new LedgerJournal(store, url, totals, syncInterval.toMillis(), listener);
        journal.writer.start();
        return new Opened(journal, totals.spentMicros(), totals.limitMicros());
    }

    /** An open journal and what the database held: the spend to start from and the limit in effect. */
    public record Opened(LedgerJournal journal, long spentMicros, long limitMicros) {
    }

    /** Queues a settled call. Never blocks. */
    public void record(SpendEntry entry) {
        enqueue(new Op(entry, 0));
    }

    /** Queues a limit set at run time ({@code -1} = none). Never blocks. */
    public void setLimit(long limitMicros) {
        enqueue(new Op(null, limitMicros));
    }

    private void enqueue(Op op) {
        if (closing) {
            LOG.warnf("Ledger closed: %s not persisted", op.entry() != null ? "spend of call " + op.entry().callId()
                    : "limit change");
            return;
        }
        pending.incrementAndGet();
        queue.add(op);
    }

    public LedgerStatus status() {
        LedgerStore.Totals t = lastTotals;
        return new LedgerStatus(description, t.spentMicros(), t.calls(), pending.get(), lastError);
    }

    private void run() {
        while (!abandoned) {
            try {
                if (batch.isEmpty()) {
                    Op first = queue.poll(syncIntervalMillis, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing) {
                            break;
                        }
                        syncTotals(store.totals());
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    batch.removeIf(op -> op == WAKE);
                    if (batch.isEmpty()) {
                        if (closing && queue.isEmpty()) {
                            break;
                        }
                        continue;
                    }
                }
                writeBatch();
                recovered();
            } catch (SQLException | RuntimeException e) {
                failed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        store.close();
    }

    /** Writes the batch in order (runs of settled calls together), then tells the listener what others did. */
    private void writeBatch() throws SQLException {
        long own = 0;
        LedgerStore.Totals after = null;
        while (!batch.isEmpty()) {
            int run = 0;
            while (run < batch.size() && batch.get(run).entry() != null) {
                run++;
            }
            if (run > 0) {
                List<Op> ops = batch.subList(0, run);
                List<SpendEntry> entries = ops.stream().map(Op::entry).toList();
                after = store.append(entries);
                long cost = entries.stream().mapToLong(SpendEntry::costMicros).sum();
                own += cost;
                seenSpent += cost; // before the listener learns of it, so a failure further on cannot count it twice
                ops.clear();
                pending.addAndGet(-run);
            } else {
                long limit = batch.get(0).limitMicros();
                store.setLimit(limit);
                seenLimit = limit;
                LedgerStore.Totals t = after != null ? after : lastTotals;
                after = new LedgerStore.Totals(t.spentMicros(), t.calls(), limit, t.configuredLimitMicros());
                batch.remove(0);
                pending.decrementAndGet();
            }
            lastTotals = after;
        }
        LOG.tracef("Ledger: %d µ$ written", own);
        syncTotals(after);
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

    private void failed(Exception e) {
        String message = e.toString();
        if (lastError == null) {
            LOG.warnf("Ledger write failed (%s); %d changes kept in memory and retried until %s answers", message,
                    pending.get(), description);
        }
        lastError = message;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis == 0 ? 250 : backoffMillis * 2);
        try {
            Thread.sleep(closing ? Math.min(backoffMillis, 100) : backoffMillis); // close() bounds the retries
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
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
        queue.add(WAKE);
        try {
            writer.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            abandoned = true;
            long lost = batch.stream().mapToLong(o -> o.entry() == null ? 0 : o.entry().costMicros()).sum()
                    + queue.stream().mapToLong(o -> o.entry() == null ? 0 : o.entry().costMicros()).sum();
            LOG.errorf("Ledger: %d changes (%d µ$ of spend) could not be written to %s before shutdown: %s",
                    pending.get(), lost, description, lastError);
        }
    }
}
