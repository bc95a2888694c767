package io.ironcage.runtime.internal.live;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

import io.ironcage.runtime.BudgetAlert;
import io.ironcage.runtime.BudgetStatus;
import io.ironcage.runtime.CompletedCall;
import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.PiiDetection;
import io.ironcage.runtime.ReliabilityEvent;
import io.ironcage.runtime.agent.AgentEvent;
import io.ironcage.runtime.agent.AgentRuntime;
import io.ironcage.runtime.internal.budget.SettledCall;
import io.ironcage.runtime.spi.CallOutcome;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The live state behind {@code /iron/ws}: a snapshot for each new connection, then every event as JSON. A connection
 * that does not keep up is never waited for (see {@link FeedSubscriber}: at most {@link #MAX_PENDING} unsent).
 */
@ApplicationScoped
public class LiveFeed {

    static final int MAX_PENDING = 256;
    /** Finished calls a snapshot carries. */
    private static final int RECENT = 50;

    @Inject
    LlmRouter router;

    @Inject
    AgentRuntime agents;

    private final Map<String, FeedSubscriber> subscribers = new ConcurrentHashMap<>();

    @PostConstruct
    void listen() {
        router.observeSpend(this::spent);
        router.observeCalls(this::finished);
    }

    void join(WebSocketConnection connection) {
        FeedSubscriber s = new FeedSubscriber(connection, MAX_PENDING);
        subscribers.put(connection.id(), s);
        s.offer(snapshot());
    }

    void leave(WebSocketConnection connection) {
        subscribers.remove(connection.id());
    }

    /** Where things stand: router, providers, budget, agents, the last finished calls. */
    JsonObject snapshot() {
        JsonArray agentList = new JsonArray();
        agents.agents().forEach(a -> agentList.add(new JsonObject().put("id", a.id()).put("status", a.status().name())
                .put("metrics", JsonObject.mapFrom(agents.metrics(a.id())))));
        List<CompletedCall> calls = router.recentCalls();
        JsonArray recent = new JsonArray();
        calls.subList(Math.max(0, calls.size() - RECENT), calls.size())
                .forEach(c -> recent.add(call(c)));
        return message("snapshot").put("routerUrl", router.baseUrl()).put("providers", new JsonArray(router.providerIds()))
                .put("budget", budget(router.budgetStatus())).put("agents", agentList).put("recent", recent);
    }

    /** A finished call as the feed describes it ({@code request_completed} or {@code request_failed}). */
    private static JsonObject call(CompletedCall c) {
        CallOutcome outcome = c.outcome();
        boolean failed = outcome.status() >= 400 || outcome.error() != null;
        return message(failed ? "request_failed" : "request_completed").put("id", c.id()).put("agent", c.agent())
                .put("provider", c.provider()).put("model", c.model()).put("status", outcome.status())
                .put("inputTokens", outcome.usage().totalInputTokens()).put("outputTokens", outcome.usage().outputTokens())
                .put("latencyMs", outcome.durationMillis()).put("overheadMs", outcome.overheadMillis())
                .put("error", outcome.error());
    }

    private void finished(CompletedCall call) {
        if (!subscribers.isEmpty()) {
            broadcast(call(call));
        }
    }

    private void spent(SettledCall call) {
        if (!subscribers.isEmpty()) {
            broadcast(message("spend").put("id", call.request().id()).put("agent", call.request().agent())
                    .put("costMicros", call.costMicros()).put("budget", budget(router.budgetStatus())));
        }
    }

    void onAgent(@ObservesAsync AgentEvent e) {
        broadcast(message("agent_status").put("agent", e.agentId()).put("from", e.from() == null ? null
                : e.from().name()).put("to", e.to().name()).put("detail", e.detail()));
    }

    void onAlert(@ObservesAsync BudgetAlert alert) {
        broadcast(message("budget_alert").put("threshold", alert.threshold()).put("budget", budget(alert.status())));
    }

    void onPii(@ObservesAsync PiiDetection d) {
        broadcast(message("pii_detected").put("kind", d.kind()).put("direction", d.direction())
                .put("action", d.action()).put("agent", d.agent()).put("id", d.callId()));
    }

    void onReliability(@ObservesAsync ReliabilityEvent e) {
        broadcast(message("reliability").put("kind", e.kind().name()).put("provider", e.provider())
                .put("model", e.model()).put("id", e.callId()).put("detail", e.detail()));
    }

    private static JsonObject budget(BudgetStatus s) {
        return new JsonObject().put("spentMicros", s.spentMicros()).put("reservedMicros", s.reservedMicros())
                .put("limitMicros", s.limitMicros());
    }

    private static JsonObject message(String type) {
        return new JsonObject().put("type", type).put("at", System.currentTimeMillis());
    }

    private void broadcast(JsonObject message) {
        subscribers.values().forEach(s -> s.offer(message.copy()));
    }
}
