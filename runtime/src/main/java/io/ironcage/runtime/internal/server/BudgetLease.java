package io.ironcage.runtime.internal.server;

import java.time.Duration;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.ironcage.runtime.BudgetStatus;
import io.ironcage.runtime.internal.budget.BudgetLedger;
import io.ironcage.runtime.internal.server.ControlServerJson.HandshakeResponse;
import io.ironcage.runtime.internal.server.ControlServerJson.ReportRequest;

/**
 * Protocol 005 on the router's side: the budget tranche leased from the control server is the local limit of the
 * {@link BudgetLedger} (whose reservations stay local). Flow:
 * <ul>
 * <li>handshake at start ({@code requested_budget} = the configured tranche, provider = the key's provider);</li>
 * <li>one usage report per finished call; reports that cannot be delivered are queued (their sum is
 * {@link #unreportedMicros()}) and sent when the server answers again;</li>
 * <li>when what is left of the tranche falls below {@code refresh-below}, a new lease is taken by a new handshake and
 * the old one is returned with its spend (the reference's {@code /budget/refresh} needs a dashboard user JWT an agent
 * does not have, and forfeits the old lease's remainder);</li>
 * <li>on {@link #close()}, the lease is returned with its spend.</li>
 * </ul>
 * Server down: an active lease keeps serving (the money was granted) and reports queue up; without a lease (the
 * handshake could not reach the server) the state is {@link State#UNAVAILABLE} and calls get 503, while the handshake
 * is retried in the background. A handshake the server refuses (no budget left) leaves {@link State#REFUSED}: 402.
 */
public final class BudgetLease {

    private static final Logger LOG = Logger.getLogger(BudgetLease.class);

    public enum State {
        /** No lease yet: the control server could not be reached. Calls get 503. */
        UNAVAILABLE,
        /** The control server granted nothing. Calls get 402. */
        REFUSED,
        /** A lease is held. */
        ACTIVE,
        /** Returned at shutdown. */
        CLOSED
    }

    /** Talks to the server (the fault-tolerant client in the router, a fake in tests). */
    public interface Server {
        CompletionStage<HandshakeResponse> handshake(String provider, long requestedMicros);

        CompletionStage<?> report(ReportRequest report);

        CompletionStage<Long> returnLease(String leaseId, long spentMicros);
    }

    /** Keeps the reports not delivered yet where a restart finds them (the durable ledger). Must not block. */
    public interface ReportJournal {
        ReportJournal NONE = new ReportJournal() {
            @Override
            public void queued(ReportRequest report) {
            }

            @Override
            public void taken(ReportRequest report) {
            }
        };

        void queued(ReportRequest report);

        /** Delivered, or refused for good, or covered by the return of its lease. */
        void taken(ReportRequest report);
    }

    private final Server server;
    private final BudgetLedger ledger;
    private volatile ReportJournal journal = ReportJournal.NONE;
    private final long trancheMicros;
    private final double refreshBelow;
    private final java.util.function.Supplier<String> provider;
    private final ConcurrentLinkedQueue<ReportRequest> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong unreported = new AtomicLong();

    private volatile State state = State.UNAVAILABLE;
    private volatile String refusal;
    private String leaseId;
    private long granted;
    /** Spend attributed to the current lease. */
    private long leaseSpent;
    /** Spend attributed to earlier leases (returned). */
    private long priorSpent;
    private boolean handshaking;
    private boolean sending;

    /** @param provider the provider named in the handshake (the key's provider) */
    public BudgetLease(Server server, BudgetLedger ledger, long trancheMicros, double refreshBelow,
            java.util.function.Supplier<String> provider) {
        this.server = server;
        this.ledger = ledger;
        this.trancheMicros = trancheMicros;
        this.refreshBelow = refreshBelow;
        this.provider = provider;
        ledger.setLimit(0);
    }

    /**
     * Keeps undelivered reports in {@code journal}, and queues those a previous process left undelivered; they are
     * sent (under the lease they were made with) as soon as the server answers.
     */
    public void keepReportsIn(ReportJournal journal, java.util.List<ReportRequest> leftOver) {
        this.journal = journal;
        for (ReportRequest r : leftOver) {
            pending.add(r);
            unreported.addAndGet(r.costMicrodollars());
        }
        if (!leftOver.isEmpty()) {
            LOG.infof("%d usage reports (%d µ$) from before the restart are sent to the control server",
                    leftOver.size(), leftOver.stream().mapToLong(ReportRequest::costMicrodollars).sum());
        }
    }

    /** Takes a lease (or a new one, returning the current one); completes when it is done or has failed. */
    public CompletionStage<Void> handshake() {
        synchronized (this) {
            if (handshaking || state == State.CLOSED) {
                return CompletableFuture.completedFuture(null);
            }
            handshaking = true;
        }
        String p = provider.get();
        CompletionStage<HandshakeResponse> call;
        try {
            call = server.handshake(p == null ? "openai" : p, trancheMicros);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((r, e) -> {
            onHandshake(r, e == null ? null : ServerKeyCache.unwrap(e));
            return null;
        });
    }

    private void onHandshake(HandshakeResponse r, Throwable e) {
        String oldLease = null;
        long oldSpent = 0;
        synchronized (this) {
            handshaking = false;
            if (state == State.CLOSED) {
                if (e == null && r != null && r.leaseId() != null) {
                    oldLease = r.leaseId(); // taken while closing: give it straight back
                }
            } else if (e == null && r != null && r.leaseId() != null && r.budgetGranted() > 0) {
                oldLease = leaseId;
                oldSpent = leaseSpent;
                priorSpent += leaseSpent;
                leaseSpent = 0;
                leaseId = r.leaseId();
                granted = r.budgetGranted();
                state = State.ACTIVE;
                refusal = null;
                ledger.setLimit(priorSpent + granted);
                LOG.infof("Budget lease %s: %d µ$ granted", leaseId, granted);
            } else if (state != State.ACTIVE) {
                if (e instanceof ControlServerRefusal || e == null) {
                    state = State.REFUSED;
                    refusal = e == null ? "no budget granted" : e.getMessage();
                    LOG.warnf("Budget handshake refused: %s", refusal);
                } else {
                    state = State.UNAVAILABLE;
                    refusal = e.toString();
                    LOG.warnf("Budget handshake failed, no lease (calls get 503 until it succeeds): %s", e);
                }
            } else {
                LOG.warnf("Budget lease refresh failed; the current lease keeps serving: %s", e);
            }
        }
        if (oldLease != null) {
            returnLease(oldLease, oldSpent);
        }
    }

    /** Records a finished call's cost against the current lease and reports it. Never blocks. */
    public void onSpend(String requestId, String model, String providerId, long tokens, long micros) {
        if (micros <= 0 && tokens <= 0) {
            return;
        }
        synchronized (this) {
            if (leaseId == null) {
                return;
            }
            leaseSpent += micros;
            ReportRequest report = new ReportRequest(leaseId, requestId, Math.max(1, tokens), Math.max(0, micros),
                    model == null ? "unknown" : model, providerId == null ? "unknown" : providerId);
            pending.add(report);
            unreported.addAndGet(report.costMicrodollars());
            journal.queued(report);
        }
        flush();
        maybeRefresh();
    }

    /** Sends queued reports one after the other; stops at the first the server could not take. */
    public void flush() {
        ReportRequest head;
        synchronized (this) {
            head = pending.peek();
            if (sending || head == null) {
                return;
            }
            sending = true;
        }
        CompletionStage<?> call;
        try {
            call = server.report(head);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((r, e) -> {
            Throwable cause = e == null ? null : ServerKeyCache.unwrap(e);
            boolean next = cause == null || cause instanceof ControlServerRefusal;
            if (next) {
                if (pending.remove(head)) {
                    unreported.addAndGet(-head.costMicrodollars());
                    journal.taken(head);
                }
                if (cause != null) {
                    LOG.warnf("Usage report %s refused by the control server, dropped: %s", head.requestId(),
                            cause.getMessage());
                }
            } else {
                LOG.debugf("Usage report deferred, control server unavailable: %s", cause);
            }
            synchronized (this) {
                sending = false;
            }
            if (next) {
                flush();
            }
        });
    }

    /** Background tick: retries a failed handshake and undelivered reports. */
    public void tick() {
        State s = state;
        if (s == State.UNAVAILABLE || s == State.REFUSED) {
            handshake();
        }
        flush();
        maybeRefresh();
    }

    private void maybeRefresh() {
        if (state != State.ACTIVE) {
            return;
        }
        BudgetStatus st = ledger.status();
        long left = st.limitMicros() - st.spentMicros() - st.reservedMicros();
        long threshold;
        synchronized (this) {
            threshold = (long) (granted * refreshBelow);
        }
        if (left < threshold) {
            handshake();
        }
    }

    private void returnLease(String id, long spent) {
        CompletionStage<Long> call;
        try {
            call = server.returnLease(id, spent);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((returned, e) -> {
            if (e == null) {
                dropReportsOf(id); // the return carries the lease's whole spend
                LOG.infof("Budget lease %s returned (spent %d µ$, %s µ$ refunded)", id, spent, returned);
            } else {
                LOG.warnf("Budget lease %s could not be returned: %s", id, ServerKeyCache.unwrap(e).toString());
            }
        });
    }

    private void dropReportsOf(String id) {
        for (Iterator<ReportRequest> it = pending.iterator(); it.hasNext();) {
            ReportRequest r = it.next();
            if (r.leaseId().equals(id) && pending.remove(r)) {
                unreported.addAndGet(-r.costMicrodollars());
                journal.taken(r);
            }
        }
    }

    /**
     * Returns the lease with its spend and stops serving (limit = spent). Waits at most {@code wait} for the server
     * (pass zero on an event loop).
     */
    public void close(Duration wait) {
        String id;
        long spent;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            id = leaseId;
            spent = leaseSpent;
            leaseId = null;
            ledger.setLimit(ledger.status().spentMicros());
        }
        if (id == null) {
            return;
        }
        CompletableFuture<Long> done;
        try {
            done = server.returnLease(id, spent).toCompletableFuture();
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        if (wait.isZero()) {
            done.whenComplete((r, e) -> logReturn(id, spent, r, e));
            return;
        }
        try {
            Long returned = done.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            logReturn(id, spent, returned, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            logReturn(id, spent, null, e);
        }
    }

    private void logReturn(String id, long spent, Long returned, Throwable e) {
        if (e == null) {
            dropReportsOf(id);
            LOG.infof("Budget lease %s returned at shutdown (spent %d µ$, %s µ$ refunded)", id, spent, returned);
        } else {
            LOG.warnf("Budget lease %s could not be returned at shutdown (%d µ$ spent, %d µ$ never reported): %s", id,
                    spent, unreported.get(), ServerKeyCache.unwrap(e).toString());
        }
    }

    public State state() {
        return state;
    }

    /** Why there is no lease (for error messages), or {@code null}. */
    public String problem() {
        return refusal;
    }

    public synchronized String leaseId() {
        return leaseId;
    }

    /** Spend the server has not acknowledged yet, in microdollars. */
    public long unreportedMicros() {
        return unreported.get();
    }

    /** A request id for reports of calls without one. */
    static String newRequestId() {
        return "req_" + UUID.randomUUID();
    }
}
