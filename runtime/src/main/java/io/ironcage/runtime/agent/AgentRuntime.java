package io.ironcage.runtime.agent;

import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

import io.ironcage.runtime.CompletedCall;
import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.PiiDetection;
import io.ironcage.runtime.internal.agent.AgentProcess;
import io.ironcage.runtime.internal.agent.AgentTotals;
import io.ironcage.runtime.internal.budget.SettledCall;
import io.ironcage.runtime.internal.ledger.LedgerJournal;
import io.ironcage.runtime.spi.CallOutcome;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Starts agents as processes that reach the router with no code change, watches them and stops them. Each agent gets
 * its own IC token, so its calls, spend and metrics are its own. All agents are stopped when the application stops.
 */
@ApplicationScoped
public class AgentRuntime {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern GENERATED_ID = Pattern.compile("agent_(\\d{1,9})");

    @Inject
    LlmRouter router;

    @Inject
    Event<AgentEvent> events;

    private final Map<String, AgentProcess> agents = new ConcurrentHashMap<>();
    /** Every agent known: those started here and, from the ledger, those of earlier runs. */
    private final Map<String, AgentTotals> totals = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private LedgerJournal journal;

    @PostConstruct
    void listen() {
        router.observeSpend(this::spent);
        router.observeCalls(this::finished);
        router.agentBudgets().onExhausted(this::exhausted);
        journal = router.ledgerJournal().orElse(null);
        if (journal != null) {
            journal.storedAgents().forEach(r -> totals.put(r.id(), AgentTotals.of(r)));
            totals.keySet().forEach(this::continueSequence);
        }
    }

    /** New ids go on after the highest {@code agent_<n>} the ledger knows. */
    private void continueSequence(String id) {
        Matcher m = GENERATED_ID.matcher(id);
        if (m.matches()) {
            sequence.accumulateAndGet(Integer.parseInt(m.group(1)), Math::max);
        }
    }

    /**
     * Starts an agent. Its environment gets, besides {@code spec}'s: {@code OPENAI_BASE_URL} / {@code OPENAI_API_KEY}
     * and {@code ANTHROPIC_BASE_URL} / {@code ANTHROPIC_API_KEY} pointing the official SDKs at the router with the
     * agent's token, {@code IC_TOKEN} and {@code IRON_ROUTER_URL}. An agent started under a {@link AgentSpec#name()}
     * goes on with the metrics and budget spend the ledger kept for that name.
     *
     * @throws IllegalStateException when an agent of that name is still running
     */
    public synchronized AgentHandle startAgent(AgentSpec spec) {
        String id = spec.name() != null ? spec.name() : "agent_" + sequence.incrementAndGet();
        AgentProcess running = agents.get(id);
        if (running != null && !running.status().ended()) {
            throw new IllegalStateException("The agent " + id + " is running already");
        }
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String token = "ic_" + id + "_" + HexFormat.of().formatHex(secret);
        AgentTotals t = totals.computeIfAbsent(id, AgentTotals::new);
        t.status(AgentStatus.STARTING.name());
        router.agentBudgets().remove(id);
        if (spec.budgetUsd() != null) {
            long limit = spec.budgetUsd().movePointRight(6).setScale(0, RoundingMode.DOWN).longValueExact();
            t.budget(limit);
            router.agentBudgets().set(id, limit, t.costMicros());
        } else {
            t.budget(-1);
        }
        persist(t);
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

    /** What the agent did through the router so far (in earlier runs too, when the ledger kept it). */
    public AgentMetrics metrics(String id) {
        AgentTotals t = totals.get(id);
        return t == null ? AgentMetrics.NONE : t.metrics();
    }

    /** Queues the agent's totals for the ledger, unless a write that will carry them is queued already. */
    private void persist(AgentTotals t) {
        if (journal != null && t.claimWrite()) {
            journal.agentChanged(t.id(), t::record);
        }
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
        if (to.ended()) {
            router.revokeAgent(agent.token()); // a token outlives nothing it was made for
        }
        AgentTotals t = totals.get(agent.id());
        if (t != null) {
            t.status(to.name());
            persist(t);
        }
        events.fireAsync(new AgentEvent(agent.id(), from, to, detail));
    }

    /** Counts every finished call of an agent. */
    private void finished(CompletedCall call) {
        AgentTotals t = totals.get(call.agent());
        if (t != null) {
            CallOutcome outcome = call.outcome();
            t.call(outcome.status() >= 400 || outcome.error() != null, outcome.usage().totalInputTokens(),
                    outcome.usage().outputTokens());
            persist(t);
        }
    }

    private void spent(SettledCall call) {
        AgentTotals t = totals.get(call.request().agent());
        if (t != null) {
            t.spent(call.costMicros());
            persist(t);
        }
    }

    void onPii(@ObservesAsync PiiDetection detection) {
        AgentTotals t = totals.get(detection.agent());
        if (t != null) {
            t.piiDetected();
            persist(t);
        }
    }

    /** No agent outlives the application. */
    void onShutdown(@Observes ShutdownEvent event) {
        agents.values().parallelStream().forEach(a -> a.stop(STOP_GRACE));
    }
}
