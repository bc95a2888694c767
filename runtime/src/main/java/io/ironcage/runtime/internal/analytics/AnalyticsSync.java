package io.ironcage.runtime.internal.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.ironcage.runtime.internal.ledger.LedgerJournal;
import io.ironcage.runtime.internal.ledger.OutboxSegment;
import io.ironcage.runtime.internal.server.ControlServerRefusal;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Sends the analytics outbox to the control server: every interval one round reads up to a batch of events the
 * server has not acknowledged, sends them (a bounded number at once) and records, per segment, which events were
 * acknowledged. An event is only marked sent once the server answered for it, so a server that is down
 * loses nothing: the next round (or the next process) sends it again. One round at a time, so nothing is sent twice
 * by this process; a process killed between the server's answer and the ledger's write sends those events again, and
 * the server takes an event once per id. A refusal for good (a 4xx, but 401/403: a token problem may be fixed) is
 * logged and not sent again.
 */
public final class AnalyticsSync {

    private static final Logger LOG = Logger.getLogger(AnalyticsSync.class);

    /** What happened to one event. */
    private enum Result {
        TAKEN, REFUSED, FAILED
    }

    private final Vertx vertx;
    private final LedgerJournal journal;
    private final Function<JsonObject, CompletionStage<?>> sender;
    private final int batchSize;
    private final int concurrency;
    private final long intervalMillis;
    private final String server;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private CompletableFuture<Boolean> round;
    private long timer = -1;
    private volatile boolean stopped;
    private volatile String lastError;
    /** Whether the current run of failures was logged. */
    private volatile boolean warned;

    /**
     * @param sender sends one event; fails with {@link ControlServerRefusal} when the server refuses it for good
     */
    public AnalyticsSync(Vertx vertx, LedgerJournal journal, Function<JsonObject, CompletionStage<?>> sender,
            String server, Duration interval, int batchSize, int concurrency) {
        this.vertx = vertx;
        this.journal = journal;
        this.sender = sender;
        this.server = server;
        this.intervalMillis = Math.max(1, interval.toMillis());
        this.batchSize = Math.max(1, batchSize);
        this.concurrency = Math.max(1, concurrency);
    }

    /** Starts the rounds; the first one at once (events a previous process left behind go first). */
    public synchronized void start() {
        schedule(0);
    }

    private synchronized void schedule(long delay) {
        if (!stopped) {
            timer = vertx.setTimer(Math.max(1, delay), id -> round().whenComplete((full, failure) ->
                    schedule(Boolean.TRUE.equals(full) ? 0 : intervalMillis)));
        }
    }

    /** Events the control server took, and those it refused for good (not sent again), since start. */
    public long sent() {
        return sent.get();
    }

    public long refused() {
        return refused.get();
    }

    /** The last failure to reach the server, or {@code null} once a round went through. */
    public String lastError() {
        return lastError;
    }

    /**
     * Runs one round, or joins the one running.
     *
     * @return whether the round found a full batch (more may be waiting)
     */
    public synchronized CompletableFuture<Boolean> round() {
        if (round == null || round.isDone()) {
            round = journal.pendingAnalytics(batchSize).thenCompose(this::send).whenComplete((full, failure) -> {
                if (failure != null) {
                    failed(failure);
                }
            });
        }
        return round;
    }

    private CompletableFuture<Boolean> send(List<OutboxSegment> segments) {
        List<Pending> pending = new ArrayList<>();
        for (OutboxSegment s : segments) {
            for (int i = s.acked().nextClearBit(0); i < s.events().size(); i = s.acked().nextClearBit(i + 1)) {
                pending.add(new Pending(s, i));
            }
        }
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        return Multi.createFrom().iterable(pending)
                .onItem().transformToUni(this::sendOne).merge(concurrency)
                .collect().asList()
                .map(done -> {
                    acknowledge(segments, pending);
                    return pending.size() >= batchSize && pending.stream().noneMatch(p -> p.result == Result.FAILED);
                })
                .subscribeAsCompletionStage();
    }

    /** One event in flight, and how it went. */
    private static final class Pending {
        final OutboxSegment segment;
        final int index;
        volatile Result result;

        Pending(OutboxSegment segment, int index) {
            this.segment = segment;
            this.index = index;
        }
    }

    private Uni<Pending> sendOne(Pending p) {
        JsonObject event;
        try {
            event = new JsonObject(p.segment.events().get(p.index));
        } catch (RuntimeException unreadable) {
            LOG.errorf("Analytics: an event in the outbox is not JSON (%s); dropped", unreadable.getMessage());
            p.result = Result.REFUSED;
            return Uni.createFrom().item(p);
        }
        return Uni.createFrom().completionStage(() -> sender.apply(event)).map(ok -> {
            p.result = Result.TAKEN;
            return p;
        }).onFailure().recoverWithItem(t -> {
            if (t instanceof ControlServerRefusal refusal && refusal.status() != 401 && refusal.status() != 403) {
                LOG.warnf("Analytics: the control server refused the %s event %s for good: %s",
                        event.getString("event_type"), event.getString("event_id"), refusal.getMessage());
                p.result = Result.REFUSED;
            } else {
                p.result = Result.FAILED;
                lastError = String.valueOf(t);
            }
            return p;
        });
    }

    /** Per segment: the events the server answered for (taken or refused) are marked sent. */
    private void acknowledge(List<OutboxSegment> segments, List<Pending> pending) {
        boolean allAnswered = true;
        for (OutboxSegment s : segments) {
            BitSet acked = (BitSet) s.acked().clone();
            for (Pending p : pending) {
                if (p.segment == s && p.result != Result.FAILED) {
                    acked.set(p.index);
                }
            }
            if (acked.cardinality() > s.acked().cardinality()) {
                journal.analyticsAcked(s.id(), acked);
            }
        }
        for (Pending p : pending) {
            if (p.result == Result.TAKEN) {
                sent.incrementAndGet();
            } else if (p.result == Result.REFUSED) {
                refused.incrementAndGet();
            } else {
                allAnswered = false;
            }
        }
        if (allAnswered) {
            recovered();
        } else {
            failed(null);
        }
    }

    private void failed(Throwable t) {
        if (t != null) {
            lastError = String.valueOf(t);
        }
        if (!warned) {
            warned = true;
            LOG.warnf("Analytics sync to %s failed (%s); the events stay in the outbox and are sent when it answers",
                    server, lastError);
        }
    }

    private void recovered() {
        if (warned) {
            LOG.infof("Analytics sync to %s works again", server);
            warned = false;
        }
        lastError = null;
    }

    /**
     * Stops the rounds, after one last attempt (bounded by {@code wait}) to send everything queued until now, the
     * router's stop included. Blocks: call from the stopping thread, not an event loop.
     */
    public void stop(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        CompletableFuture<Boolean> running;
        synchronized (this) {
            stopped = true;
            vertx.cancelTimer(timer);
            running = round;
        }
        try {
            if (running != null) {
                running.exceptionally(t -> false).get(remaining(deadline), TimeUnit.NANOSECONDS);
            }
            journal.written().get(remaining(deadline), TimeUnit.NANOSECONDS);
            while (round().get(remaining(deadline), TimeUnit.NANOSECONDS) && lastError == null) {
                // a full batch: there may be more
            }
            if (lastError != null) {
                LOG.warnf("Analytics: not every event reached %s before the stop (%s); the rest stays in the outbox "
                        + "for the next start", server, lastError);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Analytics: not every event reached %s before the stop (%s); the rest stays in the outbox for "
                    + "the next start", server, lastError != null ? lastError : e.toString());
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
