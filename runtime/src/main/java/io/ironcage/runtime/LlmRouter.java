package io.ironcage.runtime;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import jakarta.enterprise.event.Event;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.ironcage.runtime.config.IronRuntimeConfig;
import io.ironcage.runtime.internal.budget.AgentBudgets;
import io.ironcage.runtime.internal.budget.BudgetLedger;
import io.ironcage.runtime.internal.budget.BudgetPolicy;
import io.ironcage.runtime.internal.cost.PriceTable;
import io.ironcage.runtime.internal.devmode.RetainedListener;
import io.ironcage.runtime.internal.ledger.BudgetPersistence;
import io.ironcage.runtime.internal.ledger.LedgerJournal;
import io.ironcage.runtime.internal.pii.BuiltInDetectors;
import io.ironcage.runtime.internal.pii.PiiPolicy;
import io.ironcage.runtime.internal.pii.PiiScanner;
import io.ironcage.runtime.internal.pii.RegexDetector;
import io.ironcage.runtime.internal.provider.MockKeys;
import io.ironcage.runtime.internal.provider.Provider;
import io.ironcage.runtime.internal.metrics.AgentIds;
import io.ironcage.runtime.internal.metrics.RouterMetrics;
import io.ironcage.runtime.internal.provider.ProviderRegistry;
import io.ironcage.runtime.internal.reliability.Reliability;
import io.ironcage.runtime.internal.router.CallLog;
import io.ironcage.runtime.internal.router.RouterContext;
import io.ironcage.runtime.internal.router.RouterServer;
import io.ironcage.runtime.internal.router.TokenAuthenticator;
import io.ironcage.runtime.internal.server.BudgetLease;
import io.ironcage.runtime.internal.server.ControlServerClient;
import io.ironcage.runtime.internal.server.ControlServerJson.HandshakeResponse;
import io.ironcage.runtime.internal.server.ControlServerJson.ReportRequest;
import io.ironcage.runtime.internal.server.LeasePolicy;
import io.ironcage.runtime.internal.server.ServerKeyCache;
import io.ironcage.runtime.mock.MockProvider;
import io.ironcage.runtime.spi.PiiDetector;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.ProviderAdapter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The governed LLM router: a local HTTP endpoint that agents call with their IC token in place of a provider key.
 * It starts with the application; point an OpenAI SDK at {@link #baseUrl()} and an Anthropic SDK at the same URL
 * without {@code /v1}, both with {@link #apiKey()}.
 */
@Singleton
public class LlmRouter {

    private static final Logger LOG = Logger.getLogger(LlmRouter.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
    private static final int RECENT_CALLS = 1000;

    @Inject
    Vertx vertx;

    @Inject
    IronRuntimeConfig config;

    @Inject
    @All
    List<ProviderAdapter> pluginAdapters;

    @Inject
    @All
    List<Policy> policies;

    @Inject
    Event<BudgetAlert> alerts;

    @Inject
    Event<ReliabilityEvent> reliabilityEvents;

    @Inject
    MeterRegistry meterRegistry;

    @Inject
    Event<PiiDetection> piiEvents;

    @Inject
    @All
    List<PiiDetector> piiDetectors;

    @Inject
    ControlServerClient controlServer;

    private final CallLog callLog = new CallLog(RECENT_CALLS);
    private final List<BudgetPolicy.SpendListener> spendObservers = new CopyOnWriteArrayList<>();
    private final AgentBudgets agentBudgets = new AgentBudgets();
    private final List<Runnable> stopHooks = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private String token;
    private String host;
    private RouterServer server;
    private ProviderRegistry providers;
    private MockProvider mock;
    private BudgetLedger ledger;
    private BudgetPersistence persistence;
    private TokenAuthenticator authenticator;
    private String serverUrl;
    private ServerKeyCache serverKeys;
    private BudgetLease lease;
    private long leaseTimer = -1;

    /** Starts the listener (and the built-in mock when it is enabled). Called once at application start. */
    public synchronized void start() {
        start(System::getenv);
    }

    synchronized void start(Function<String, String> env) {
        if (running) {
            return;
        }
        token = config.token().orElseGet(() -> env.apply("IC_TOKEN"));
        host = config.router().host();
        boolean devMode = LaunchMode.current() == LaunchMode.DEVELOPMENT;
        boolean mockEnabled = config.mock().enabled().orElse(devMode);
        if (mockEnabled) {
            mock = await(new MockProvider(vertx, MockKeys.OPENAI, MockKeys.ANTHROPIC).start(0));
        }
        serverUrl = config.serverUrl().filter(u -> !u.isBlank())
                .orElseGet(() -> Optional.ofNullable(env.apply("IC_SERVER")).filter(u -> !u.isBlank()).orElse(null));
        serverKeys = serverUrl == null ? null : startServerKeys();
        providers = new ProviderRegistry(vertx, config, pluginAdapters, mock == null ? null : mock.baseUrl(), env,
                serverKeys);
        BudgetPolicy.SpendListener spendListener = null;
        List<Policy> builtIn;
        if (serverUrl == null) {
            long configuredLimit = config.budget().limitUsd().map(LlmRouter::toMicros).orElse(-1L);
            ledger = new BudgetLedger(configuredLimit);
            persistence = BudgetPersistence.open(config.ledger(), ledger, configuredLimit);
            spendListener = persistence;
            builtIn = List.of();
        } else {
            if (config.budget().limitUsd().isPresent()) {
                LOG.warn("quarkus.iron.budget.limit-usd is ignored in server mode: the limit is the leased budget");
            }
            ledger = new BudgetLedger(0);
            // the control server holds the budget: the ledger only records what was spent
            persistence = BudgetPersistence.open(config.ledger(), null, -1);
            lease = startLease();
            BudgetLease l = lease;
            BudgetPersistence p = persistence;
            spendListener = c -> {
                p.settled(c);
                l.onSpend(c.request().id(), c.request().model(), c.request().provider(), c.tokens(), c.costMicros());
            };
            builtIn = List.of(new LeasePolicy(lease, serverUrl));
        }
        BudgetPolicy.SpendListener recorded = spendListener;
        BudgetPolicy budget = new BudgetPolicy(ledger, PriceTable.load(config.pricing().file()),
                config.budget().minOutputTokens(), config.budget().alertThresholds(), alerts::fireAsync, c -> {
                    recorded.settled(c);
                    spendObservers.forEach(o -> o.settled(c));
                }, agentBudgets);
        RouterMetrics metrics = new RouterMetrics(meterRegistry);
        List<Policy> ordered = Stream.<List<? extends Policy>> of(List.of(budget), builtIn, piiGuard(metrics), policies)
                .flatMap(List::stream).map(Policy.class::cast)
                .sorted(Comparator.comparingInt(Policy::order)).toList();
        authenticator = new TokenAuthenticator(token, AgentIds.of(token));
        RouterContext ctx = new RouterContext(vertx, providers, ordered, authenticator,
                config.router().maxBodySize().asLongValue(), config.router().clientBodyTimeout().toMillis(),
                config.router().clientIdleTimeout().toMillis(), config.router().firstByteTimeout().toMillis(),
                config.router().idleTimeout().toMillis(), config.router().totalTimeout().toMillis(),
                config.translation().defaultMaxTokens(), callLog, new Reliability(config.reliability(), e -> {
                    metrics.reliability(e);
                    reliabilityEvents.fireAsync(e);
                }), metrics);
        server = devMode ? RetainedListener.take(host, config.router().port()) : null;
        if (server != null) {
            server.switchTo(ctx);
        } else {
            server = new RouterServer(ctx);
            // Dev mode: one listener, kept across reloads (see RouterServer.listen).
            int listeners = devMode ? 1 : config.router().ioThreads().orElse(Runtime.getRuntime().availableProcessors());
            await(server.listen(host, config.router().port(), listeners));
        }
        running = true;
        logStartup(ordered);
    }

    /** The PII guard, unless it is off both ways: built-in detectors (those configured), custom patterns, plugins. */
    private List<Policy> piiGuard(RouterMetrics metrics) {
        IronRuntimeConfig.PiiConfig pii = config.pii();
        if (pii.requestMode() == IronRuntimeConfig.PiiMode.OFF && pii.responseMode() == IronRuntimeConfig.PiiMode.OFF) {
            return List.of();
        }
        List<PiiDetector> detectors = new java.util.ArrayList<>(BuiltInDetectors.all());
        pii.custom().forEach((kind, p) -> detectors.add(new RegexDetector(kind, p.regex(), p.maxLength())));
        detectors.addAll(piiDetectors);
        pii.kinds().ifPresent(kinds -> detectors.removeIf(d -> kinds.stream().noneMatch(k -> k.equalsIgnoreCase(d.kind()))));
        return List.of(new PiiPolicy(new PiiScanner(detectors), pii.requestMode(), pii.responseMode(), d -> {
            metrics.pii(d.agent(), d.kind(), d.direction());
            piiEvents.fireAsync(d);
        }));
    }

    /** Server mode: the key cache, primed with a first fetch (bounded wait; a failure only logs). */
    private ServerKeyCache startServerKeys() {
        controlServer.configure(serverUrl, token);
        ServerKeyCache keys = new ServerKeyCache(
                () -> controlServer.providerKey()
                        .map(r -> new ServerKeyCache.ProviderKey(r.provider(), r.providerKey(), r.baseUrl(), 0))
                        .subscribeAsCompletionStage(),
                config.keyCacheTtl().toMillis(), config.keyStaleGrace().toMillis(), System::currentTimeMillis,
                (delay, task) -> vertx.setTimer(delay, id -> task.run()));
        awaitQuietly(keys.refresh(), "first provider key fetch");
        return keys;
    }

    /** Server mode: the Protocol 005 handshake (bounded wait) and the background retry tick. */
    private BudgetLease startLease() {
        BudgetLease.Server server = new BudgetLease.Server() {
            @Override
            public CompletionStage<HandshakeResponse> handshake(String provider, long micros) {
                return controlServer.handshake(provider, micros).subscribeAsCompletionStage();
            }

            @Override
            public CompletionStage<?> report(ReportRequest report) {
                return controlServer.report(report).subscribeAsCompletionStage();
            }

            @Override
            public CompletionStage<Long> returnLease(String leaseId, long spentMicros) {
                return controlServer.returnLease(leaseId, spentMicros).map(r -> r.returned())
                        .subscribeAsCompletionStage();
            }
        };
        BudgetLease l = new BudgetLease(server, ledger, toMicros(config.lease().trancheUsd()),
                config.lease().refreshBelow(), () -> {
                    ServerKeyCache.ProviderKey k = serverKeys.current();
                    return k == null ? null : k.provider();
                });
        l.keepReportsIn(persistence.reportJournal(), persistence.leftOverReports());
        awaitQuietly(l.handshake(), "budget handshake");
        leaseTimer = vertx.setPeriodic(config.lease().retryInterval().toMillis(), id -> l.tick());
        return l;
    }

    /** Startup only (main thread): waits a bounded time for a control-server call; failure is logged, not fatal. */
    private void awaitQuietly(CompletionStage<?> stage, String what) {
        if (Context.isOnEventLoopThread()) {
            return;
        }
        try {
            Uni.createFrom().completionStage(stage).await().atMost(config.lease().startupWait());
        } catch (RuntimeException e) {
            LOG.warnf("Server mode: %s failed at startup (%s); the router starts anyway and retries", what,
                    e.getCause() != null ? e.getCause() : e);
        }
    }

    /**
     * For the runtime's own components (agents, the live feed, analytics): told of every finished call, after the
     * policies (its spend is settled by then). Must not block.
     */
    public void observeCalls(Consumer<CompletedCall> observer) {
        callLog.observe(observer);
    }

    /** For the runtime's own components (the agent runtime): told the cost of every priced call. Must not block. */
    public void observeSpend(BudgetPolicy.SpendListener observer) {
        spendObservers.add(observer);
    }

    /**
     * For the runtime's own components (agents, analytics): the durable ledger's writer, empty when the ledger is
     * disabled ({@code quarkus.iron.ledger.enabled=false}) or the router is not running.
     */
    public Optional<LedgerJournal> ledgerJournal() {
        return persistence == null ? Optional.empty() : persistence.journal();
    }

    /** For the runtime's own components (the agent runtime): the budgets of single agents. */
    public AgentBudgets agentBudgets() {
        return agentBudgets;
    }

    /**
     * Accepts {@code token} from now on as the IC token of {@code agentId} (an agent this application started): its
     * calls are tied to that agent.
     */
    public void admitAgent(String agentId, String token) {
        ensureRunning();
        authenticator.admit(token, agentId);
    }

    /** Refuses an agent's token from now on (its calls in flight finish). */
    public void revokeAgent(String token) {
        if (authenticator != null) {
            authenticator.revoke(token);
        }
    }

    /** The Iron Cage control server's URL in server mode, else {@code null}. */
    public String serverUrl() {
        return serverUrl;
    }

    /**
     * For the runtime's own components (analytics): runs {@code hook} when the router stops, after its listener
     * closed and before the ledger closes (so what the hook records is still written). Blocking is allowed.
     */
    public void beforeStop(Runnable hook) {
        stopHooks.add(hook);
    }

    /** Whether keys and budget come from the Iron Cage control server ({@code quarkus.iron.server-url}). */
    public boolean serverMode() {
        return serverUrl != null;
    }

    /**
     * Server mode: spend (microdollars) the control server has not acknowledged yet, because it could not be reached;
     * it is reported when the server answers again. Always 0 in direct mode.
     */
    public long unreportedSpendMicros() {
        return lease == null ? 0 : lease.unreportedMicros();
    }

    /** {@code http://host:port/v1}: the base URL for OpenAI SDKs ({@code OPENAI_BASE_URL}). */
    public String baseUrl() {
        return rootUrl() + "/v1";
    }

    /** {@code http://host:port}: the base URL for Anthropic SDKs ({@code ANTHROPIC_BASE_URL}). */
    public String rootUrl() {
        ensureRunning();
        return "http://" + host + ":" + server.actualPort();
    }

    public int port() {
        ensureRunning();
        return server.actualPort();
    }

    /** The IC token agents present (not a provider key). */
    public String apiKey() {
        ensureRunning();
        return token;
    }

    /**
     * The provider detected from the configured key ({@code sk-ant-…} → anthropic, other {@code sk-…} → openai) when
     * exactly one provider has a key, else the default provider, else {@code "unknown"}.
     */
    public String provider() {
        ensureRunning();
        Provider p = providers.keyProvider();
        return p != null ? p.id() : config.defaultProvider().orElse("unknown");
    }

    /** Ids of all providers the router can reach. */
    public List<String> providerIds() {
        ensureRunning();
        return providers.all().stream().map(Provider::id).toList();
    }

    public boolean isRunning() {
        return running;
    }

    /** The built-in mock provider, when it runs. */
    public Optional<MockProvider> mockProvider() {
        return Optional.ofNullable(mock);
    }

    /** The most recent finished calls (up to 1000), oldest first. */
    public List<CompletedCall> recentCalls() {
        return callLog.snapshot();
    }

    /**
     * Sets (or, with a negative value, removes) the spending limit in USD; takes effect for the next calls. Not
     * available in server mode, where the limit is the budget leased from the control server.
     */
    public void setBudget(double usd) {
        ensureRunning();
        if (lease != null) {
            throw new IllegalStateException("In server mode the budget is leased from the control server");
        }
        long limit = usd < 0 ? -1 : toMicros(BigDecimal.valueOf(usd));
        ledger.setLimit(limit);
        persistence.limitChanged(limit);
    }

    /** Spent, reserved and limit, in microdollars. */
    public BudgetStatus budgetStatus() {
        ensureRunning();
        return ledger.status();
    }

    /**
     * The durable ledger: where spend is kept, the total it holds and how many changes are not written yet. Spend
     * survives restarts and crashes once written (normally within milliseconds of a call's end).
     */
    public LedgerStatus ledgerStatus() {
        ensureRunning();
        return persistence.status();
    }

    /** Total settled spend in USD. */
    public double totalSpent() {
        return budgetStatus().spentUsd();
    }

    /** Stops the listener, closes upstream connections and the mock. Idempotent. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            server.switchTo(null); // keep the listener for the restarted application
            RetainedListener.keep(server, host, config.router().port());
        } else {
            await(server.close());
        }
        runStopHooks();
        if (lease != null) {
            vertx.cancelTimer(leaseTimer);
            // return the unused part of the lease; never block an event loop for it
            lease.close(Context.isOnEventLoopThread() ? Duration.ZERO : Duration.ofSeconds(5));
        }
        if (serverKeys != null) {
            serverKeys.close();
        }
        persistence.close(); // after the listener closed: calls that ended meanwhile are written too
        providers.close();
        if (mock != null) {
            await(mock.stop());
            mock = null;
        }
        LOG.info("Iron Runtime router stopped");
    }

    private void runStopHooks() {
        for (Runnable hook : stopHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("A stop hook of the router failed", e);
            }
        }
        stopHooks.clear(); // a restarted router (dev mode) gets the new application's hooks
    }

    private void ensureRunning() {
        if (!running) {
            throw new IllegalStateException("Router is stopped");
        }
    }

    private void logStartup(List<Policy> ordered) {
        StringBuilder sb = new StringBuilder("Iron Runtime router listening on ").append(baseUrl())
                .append(" (providers:");
        providers.all().forEach(p -> sb.append(' ').append(p.id()).append(mock != null
                && p.baseUrl().toString().equals(mock.baseUrl()) ? "=mock" : p.apiKey() == null ? "=no-key" : ""));
        sb.append("; policies: ").append(ordered.stream().map(p -> p.getClass().getSimpleName()).toList()).append(')');
        LOG.info(sb);
        if (token == null || token.isEmpty()) {
            LOG.warn("No IC token is configured (quarkus.iron.token or IC_TOKEN): every call will be refused with 401");
        }
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            // Dev mode only: the IC token is an agent credential, never a provider key, and this line is for copying.
            LOG.infof("Try it: curl -s %s/chat/completions -H 'Authorization: Bearer %s' "
                    + "-H 'content-type: application/json' -d '{\"model\":\"gpt-4o-mini\",\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"Hello\"}]}'", baseUrl(), token);
        }
    }

    private static long toMicros(BigDecimal usd) {
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("A budget cannot be negative: " + usd);
        }
        return usd.movePointRight(6).setScale(0, RoundingMode.DOWN).longValueExact();
    }

    private static <T> T await(Future<T> future) {
        return Uni.createFrom().completionStage(future.toCompletionStage()).await().atMost(STARTUP_WAIT);
    }
}
