package io.ironcage.runtime.agent;

import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.PiiDetection;
import io.ironcage.runtime.internal.agent.AgentProcess;
import io.ironcage.runtime.internal.budget.SettledCall;
import io.ironcage.runtime.spi.CallOutcome;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.RouterRequest;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Starts agents as processes that reach the router with no code change, watches them and stops them. Each agent gets
 * its own IC token, so its calls, spend and metrics are its own. All agents are stopped when the application stops.
 * (Application scoped: the router, which it needs, also runs it as its last policy, to count each agent's calls.)
 */
@ApplicationScoped
public class AgentRuntime implements Policy {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    LlmRouter router;

    @Inject
    Event<AgentEvent> events;

    private final Map<String, AgentProcess> agents = new ConcurrentHashMap<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();

    /** An agent's running totals. */
    private static final class Counters {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong inputTokens = new AtomicLong();
        final AtomicLong outputTokens = new AtomicLong();
        final AtomicLong costMicros = new AtomicLong();
        final AtomicLong pii = new AtomicLong();
        final AtomicReference<Instant> lastActivity = new AtomicReference<>();

        AgentMetrics snapshot() {
            return new AgentMetrics(requests.get(), errors.get(), inputTokens.get(), outputTokens.get(),
                    costMicros.get(), pii.get(), lastActivity.get());
        }
    }

    @PostConstruct
    void listen() {
        router.observeSpend(this::spent);
        router.agentBudgets().onExhausted(this::exhausted);
    }

    /**
     * Starts an agent. Its environment gets, besides {@code spec}'s: {@code OPENAI_BASE_URL} / {@code OPENAI_API_KEY}
     * and {@code ANTHROPIC_BASE_URL} / {@code ANTHROPIC_API_KEY} pointing the official SDKs at the router with the
     * agent's token, {@code IC_TOKEN} and {@code IRON_ROUTER_URL}.
     */
    public AgentHandle startAgent(AgentSpec spec) {
        String id = "agent_" + sequence.incrementAndGet();
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String token = "ic_" + id + "_" + HexFormat.of().formatHex(secret);
        counters.put(id, new Counters());
        if (spec.budgetUsd() != null) {
            router.agentBudgets().set(id, spec.budgetUsd().movePointRight(6).setScale(0, RoundingMode.DOWN)
                    .longValueExact());
        }
        router.admitAgent(id, token);
        AgentProcess agent = new AgentProcess(id, token, spec, this::changed);
        agents.put(id, agent);
        agent.start(Map.of("OPENAI_BASE_URL", router.baseUrl(), "OPENAI_API_KEY", token,
                "ANTHROPIC_BASE_URL", router.rootUrl(), "ANTHROPIC_API_KEY", token, "IC_TOKEN", token,
                "IRON_ROUTER_URL", router.rootUrl()));
        return agent;
    }

    /** Stops an agent: SIGTERM to it and what it started, a kill after a grace period; returns once it is gone. */
    public void stopAgent(String id) {
        AgentProcess agent = agents.get(id);
        if (agent == null) {
            throw new IllegalArgumentException("No agent " + id);
        }
        agent.stop(STOP_GRACE);
    }

    public List<AgentHandle> agents() {
        return List.copyOf(agents.values());
    }

    /** What the agent did through the router so far. */
    public AgentMetrics metrics(String id) {
        Counters c = counters.get(id);
        return c == null ? AgentMetrics.NONE : c.snapshot();
    }

    /** An agent's budget refused a call: stop it when its spec says so (off the event loop: stopping waits). */
    private void exhausted(String id) {
        AgentProcess agent = agents.get(id);
        if (agent != null && agent.spec().stopWhenExhausted() && agent.status() == AgentStatus.RUNNING) {
            CompletableFuture.runAsync(() -> agent.stop(STOP_GRACE, AgentStatus.BUDGET_EXHAUSTED,
                    "its budget of $" + agent.spec().budgetUsd() + " is spent"));
        }
    }

    private void changed(AgentProcess agent, AgentStatus from, AgentStatus to, String detail) {
        if (to == AgentStatus.STOPPED || to == AgentStatus.FAILED || to == AgentStatus.BUDGET_EXHAUSTED) {
            router.revokeAgent(agent.token()); // a token outlives nothing it was made for
        }
        events.fireAsync(new AgentEvent(agent.id(), from, to, detail));
    }

    /** Runs last among the policies: counts every finished call of an agent. */
    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void onComplete(RouterRequest request, CallOutcome outcome) {
        Counters c = counters.get(request.agent());
        if (c == null) {
            return;
        }
        c.requests.incrementAndGet();
        if (outcome.status() >= 400 || outcome.error() != null) {
            c.errors.incrementAndGet();
        }
        c.inputTokens.addAndGet(outcome.usage().totalInputTokens());
        c.outputTokens.addAndGet(outcome.usage().outputTokens());
        c.lastActivity.set(Instant.now());
    }

    private void spent(SettledCall call) {
        Counters c = counters.get(call.request().agent());
        if (c != null) {
            c.costMicros.addAndGet(call.costMicros());
        }
    }

    void onPii(@ObservesAsync PiiDetection detection) {
        Counters c = counters.get(detection.agent());
        if (c != null) {
            c.pii.incrementAndGet();
        }
    }

    /** No agent outlives the application. */
    void onShutdown(@Observes ShutdownEvent event) {
        agents.values().parallelStream().forEach(a -> a.stop(STOP_GRACE));
    }
}
