package io.ironcage.runtime.analytics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.ironcage.runtime.CompletedCall;
import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.config.IronRuntimeConfig;
import io.ironcage.runtime.internal.analytics.AnalyticsSync;
import io.ironcage.runtime.internal.budget.SettledCall;
import io.ironcage.runtime.internal.ledger.LedgerJournal;
import io.ironcage.runtime.internal.server.ControlServerClient;
import io.ironcage.runtime.spi.CallOutcome;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Records an analytics event for every call the router finishes and for its start and stop. Exists only when
 * analytics is built in ({@code quarkus.iron.analytics.enabled}, the {@code analytics} and {@code full} profiles).
 * <p>
 * The most recent {@value #CAPACITY} events are kept in memory ({@link #events()}). In server mode
 * ({@code quarkus.iron.server-url}) every event also goes to the ledger's outbox first and from there, in batches, to
 * the control server, which marks it sent only once the server acknowledged it; the last ones are sent when the router
 * stops, and what the server did not take stays in the outbox for the next start.
 */
@ApplicationScoped
public class AnalyticsEventLog {

    static final int CAPACITY = 10_000;
    private static final Logger LOG = Logger.getLogger(AnalyticsEventLog.class);

    @Inject
    LlmRouter router;

    @Inject
    IronRuntimeConfig config;

    @Inject
    ControlServerClient controlServer;

    @Inject
    Vertx vertx;

    private final ArrayDeque<AnalyticsEvent> events = new ArrayDeque<>();
    /** The cost of each call being completed, from the budget (which settles before this policy sees the end). */
    private final Map<String, Long> costs = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong costMicros = new AtomicLong();
    private volatile LedgerJournal outbox;
    private volatile AnalyticsSync sync;

    @PostConstruct
    void listen() {
        router.observeSpend(this::spent);
        router.observeCalls(this::finished);
    }

    /** Once the router listens: its start is the first event; in server mode the outbox and its sync start. */
    void started(@Observes StartupEvent event) {
        if (!router.isRunning()) {
            return;
        }
        if (router.serverMode()) {
            outbox = router.ledgerJournal().orElse(null);
            if (outbox != null) {
                IronRuntimeConfig.AnalyticsConfig c = config.analytics();
                sync = new AnalyticsSync(vertx, outbox,
                        e -> controlServer.analyticsEvent(e).subscribeAsCompletionStage(), router.serverUrl(),
                        c.syncInterval(), c.batchSize(), c.concurrency());
                sync.start();
            } else {
                LOG.warn("Analytics events are not synced to the control server: the outbox is the ledger, and "
                        + "quarkus.iron.ledger.enabled=false");
            }
        }
        record(new AnalyticsEvent.RouterStarted(newId(), Instant.now(), router.port()));
        router.beforeStop(this::stopping);
    }

    /** The router stops: its stop is the last event, and the sync sends what it can before the ledger closes. */
    private void stopping() {
        record(new AnalyticsEvent.RouterStopped(newId(), Instant.now(), requests.get(), costMicros.get()));
        if (sync != null) {
            sync.stop(config.analytics().shutdownWait());
        }
    }

    private void spent(SettledCall call) {
        costs.put(call.request().id(), call.costMicros());
    }

    /** Every finished call, after the policies: its spend is settled. */
    private void finished(CompletedCall call) {
        CallOutcome outcome = call.outcome();
        Long cost = costs.remove(call.id());
        long micros = cost == null ? 0 : cost;
        requests.incrementAndGet();
        costMicros.addAndGet(micros);
        Instant now = Instant.now();
        if (outcome.succeeded()) {
            record(new AnalyticsEvent.RequestCompleted(newId(), now, call.agent(), call.id(), call.provider(),
                    call.model(), outcome.usage().totalInputTokens(), outcome.usage().outputTokens(), micros));
        } else {
            record(new AnalyticsEvent.RequestFailed(newId(), now, call.agent(), call.id(), call.provider(),
                    call.model(), outcome.status(), failure(outcome)));
        }
    }

    private static String failure(CallOutcome outcome) {
        if (outcome.error() != null) {
            return outcome.error();
        }
        return outcome.clientAborted() ? "The client went away before the answer was complete"
                : "HTTP " + outcome.status();
    }

    /** The recorded events, oldest first (the most recent {@value #CAPACITY}). */
    public synchronized List<AnalyticsEvent> events() {
        return new ArrayList<>(events);
    }

    /**
     * Events the control server took since start, and those it refused for good; both 0 when there is no server to
     * sync to.
     */
    public long sent() {
        return sync == null ? 0 : sync.sent();
    }

    public long refused() {
        return sync == null ? 0 : sync.refused();
    }

    private void record(AnalyticsEvent event) {
        synchronized (this) {
            if (events.size() == CAPACITY) {
                events.removeFirst();
            }
            events.addLast(event);
        }
        LedgerJournal o = outbox;
        if (o != null) {
            o.analytics(event.toJson().encode());
        }
    }

    /** A version 4 UUID from a thread-local generator: ids need to be unique, not secret, and this is per call. */
    private static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
