package io.ironcage.runtime.internal.budget;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.ironcage.runtime.BudgetAlert;
import io.ironcage.runtime.BudgetStatus;
import io.ironcage.runtime.internal.cost.CostCalculator;
import io.ironcage.runtime.internal.cost.ModelPrice;
import io.ironcage.runtime.internal.cost.PriceTable;
import io.ironcage.runtime.internal.cost.TokenEstimator;
import io.ironcage.runtime.spi.CallOutcome;
import io.ironcage.runtime.spi.ChunkDecision;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.PolicyDecision;
import io.ironcage.runtime.spi.RouterRequest;
import io.ironcage.runtime.spi.StreamEvent;
import io.ironcage.runtime.spi.Usage;
import io.vertx.core.json.JsonObject;

/**
 * The built-in budget policy (direct mode). Every call is priced from its usage when it ends. With a limit set, a
 * call first reserves its worst case (estimated input plus its maximum output) — or, when that does not fit, what is
 * left as long as that pays for the input and a minimal answer — and settles the real cost when it ends; concurrent
 * calls can never reserve past the limit together. Streams are metered as they pass and cut off, with an in-stream
 * error of the client's dialect, when they reach what they hold. A stream the client leaves is charged for what was
 * generated. Models without a price are refused while a limit is set (fail closed).
 */
public final class BudgetPolicy implements Policy {

    private static final Logger LOG = Logger.getLogger(BudgetPolicy.class);
    static final String EXCEEDED = "iron_cage_budget_exceeded";
    static final String INSUFFICIENT = "iron_cage_insufficient_budget";
    static final String UNPRICED = "iron_cage_unpriced_model";

    private final BudgetLedger ledger;
    private final PriceTable prices;
    private final long minOutputTokens;
    private final List<Double> thresholds;
    private final Consumer<BudgetAlert> alerts;
    private final Map<String, CallBudget> calls = new ConcurrentHashMap<>();
    private final Set<String> unpricedSeen = ConcurrentHashMap.newKeySet();
    private final SpendListener spendListener;
    private final AgentBudgets agentBudgets;

    /**
     * Told every priced call that spent something (the ledger keeps it; server mode reports it to the control server).
     * Runs on the event loop: must not block.
     */
    @FunctionalInterface
    public interface SpendListener {
        void settled(SettledCall call);
    }

    /** What one call holds and has streamed so far. */
    private static final class CallBudget {
        final ModelPrice price;
        /** Held in the router's budget and, when there is one, in the agent's (the same amount in both). */
        final long held;
        final long estimatedInputTokens;
        /** The agent's own budget, or {@code null}. */
        final BudgetLedger agentLedger;
        final OutputMeter meter = new OutputMeter();

        CallBudget(ModelPrice price, long held, long estimatedInputTokens, BudgetLedger agentLedger) {
            this.price = price;
            this.held = held;
            this.estimatedInputTokens = estimatedInputTokens;
            this.agentLedger = agentLedger;
        }

        /** Settles in both budgets; returns the router's just after. */
        BudgetStatus settle(BudgetLedger ledger, long actual) {
            if (agentLedger != null) {
                agentLedger.settle(held, actual);
            }
            return ledger.settle(held, actual);
        }
    }

    public BudgetPolicy(BudgetLedger ledger, PriceTable prices, long minOutputTokens, List<Double> thresholds,
            Consumer<BudgetAlert> alerts) {
        this(ledger, prices, minOutputTokens, thresholds, alerts, null, new AgentBudgets());
    }

    /** @param spendListener told every settled cost, or {@code null} */
    public BudgetPolicy(BudgetLedger ledger, PriceTable prices, long minOutputTokens, List<Double> thresholds,
            Consumer<BudgetAlert> alerts, SpendListener spendListener, AgentBudgets agentBudgets) {
        this.spendListener = spendListener;
        this.agentBudgets = agentBudgets;
        this.ledger = ledger;
        this.prices = prices;
        this.minOutputTokens = minOutputTokens;
        this.thresholds = List.copyOf(thresholds);
        this.alerts = alerts;
    }

    /** Runs first: a call the budget refuses costs nothing else. */
    @Override
    public int order() {
        return 0;
    }

    @Override
    public PolicyDecision onRequest(RouterRequest request) {
        CallBudget previous = calls.remove(request.id());
        if (previous != null) { // the call goes on with a fallback model: its reservation is made anew
            previous.settle(ledger, 0);
        }
        if (request.model() == null) {
            return PolicyDecision.proceed();
        }
        Optional<ModelPrice> price = prices.find(request.model());
        BudgetLedger agentLedger = agentBudgets.of(request.agent());
        boolean limited = ledger.limited() || agentLedger != null && agentLedger.limited();
        if (price.isEmpty()) {
            return unpriced(request.model(), limited);
        }
        if (!limited) {
            calls.put(request.id(), new CallBudget(price.get(), 0, 0, agentLedger));
            return PolicyDecision.proceed();
        }
        JsonObject body;
        try {
            body = request.body().toJsonObject();
        } catch (RuntimeException e) {
            return PolicyDecision.proceed(); // not a JSON call body: nothing to estimate, priced from usage
        }
        long input = TokenEstimator.estimateInputTokens(body);
        long maxOutput = TokenEstimator.maxOutputTokens(body, price.get());
        long wanted = CostCalculator.worstCaseMicros(price.get(), input, maxOutput);
        long needed = CostCalculator.worstCaseMicros(price.get(), input, Math.min(maxOutput, minOutputTokens));
        BudgetLedger.Reservation r = ledger.reserve(needed, wanted);
        if (!r.granted()) {
            return refusal(r, needed, "");
        }
        long held = r.held();
        if (agentLedger != null) {
            BudgetLedger.Reservation a = agentLedger.reserve(needed, held);
            if (!a.granted()) {
                ledger.settle(held, 0);
                agentBudgets.exhausted(request.agent());
                return refusal(a, needed, "Agent " + request.agent() + ": ");
            }
            ledger.settle(held - a.held(), 0); // the router's budget holds no more than the agent's
            held = a.held();
        }
        calls.put(request.id(), new CallBudget(price.get(), held, input, agentLedger));
        return PolicyDecision.proceed();
    }

    /** Streams are metered only while a limit is set (the router's or an agent's). */
    @Override
    public boolean inspectsStream() {
        return ledger.limited() || agentBudgets.any();
    }

    @Override
    public ChunkDecision onChunk(RouterRequest request, StreamEvent event) {
        CallBudget call = calls.get(request.id());
        if (call == null || call.held == 0) {
            return ChunkDecision.pass();
        }
        long chars = OutputMeter.charsOf(request.dialect(), event);
        if (chars == 0) {
            return ChunkDecision.pass();
        }
        long cost = CostCalculator.worstCaseMicros(call.price, call.estimatedInputTokens, call.meter.tokensWith(chars));
        if (cost > call.held) {
            return ChunkDecision.cut(EXCEEDED, "Iron Cage budget reached mid-stream: this call held " + usd(call.held)
                    + " of the budget and its output has used it; the stream was ended. " + describe(ledger.status()));
        }
        call.meter.add(chars);
        return ChunkDecision.pass();
    }

    @Override
    public void onComplete(RouterRequest request, CallOutcome outcome) {
        CallBudget call = calls.remove(request.id());
        if (call == null) {
            return;
        }
        Usage priced = pricedUsage(call, outcome);
        long actual = priced == null ? 0 : CostCalculator.costMicros(call.price, priced);
        BudgetStatus after = call.settle(ledger, actual);
        alertOnCrossings(after.spentMicros() - actual, after);
        if (spendListener != null && priced != null && (actual > 0 || priced.outputTokens() > 0)) {
            spendListener.settled(new SettledCall(request, call.held, actual, priced));
        }
    }

    /** The reported usage when there is one; what was metered when the stream ended early; else none. */
    private static Usage pricedUsage(CallBudget call, CallOutcome outcome) {
        Usage usage = outcome.usage();
        if (outcome.usageReported() && usage.outputTokens() > 0) {
            return usage;
        }
        if (call.meter.tokens() > 0) {
            return usage.totalInputTokens() > 0
                    ? new Usage(usage.inputTokens(), call.meter.tokens(), usage.cacheReadTokens(), usage.cacheWriteTokens())
                    : new Usage(call.estimatedInputTokens, call.meter.tokens(), 0, 0);
        }
        return outcome.usageReported() ? usage : null;
    }

    private void alertOnCrossings(long spentBefore, BudgetStatus after) {
        if (!after.limited() || after.limitMicros() == 0) {
            return;
        }
        for (double t : thresholds) {
            long mark = (long) Math.ceil(t * after.limitMicros());
            if (spentBefore < mark && after.spentMicros() >= mark) {
                LOG.warnf("Iron Cage budget at %.0f%%: %s", t * 100, describe(after));
                alerts.accept(new BudgetAlert(t, after));
            }
        }
    }

    private PolicyDecision unpriced(String model, boolean limited) {
        String hint = "Add it to a price file named by quarkus.iron.pricing.file.";
        if (limited) {
            return PolicyDecision.reject(402, UNPRICED, "The model '" + model
                    + "' has no price, so a budgeted call to it cannot be metered and is refused. " + hint);
        }
        if (unpricedSeen.add(model)) {
            LOG.infof("Model '%s' has no price: its calls go through unpriced. %s", model, hint);
        }
        return PolicyDecision.proceed();
    }

    /** @param whose {@code ""} for the router's budget, else which agent's */
    private static PolicyDecision refusal(BudgetLedger.Reservation r, long needed, String whose) {
        BudgetStatus s = r.before();
        if (r.refusal() == BudgetLedger.Refusal.EXCEEDED) {
            return PolicyDecision.reject(402, EXCEEDED, whose + "Iron Cage budget limit exceeded. " + describe(s)
                    + ". Raise the limit (quarkus.iron.budget.limit-usd or LlmRouter.setBudget).");
        }
        return PolicyDecision.reject(402, INSUFFICIENT, whose + "Iron Cage insufficient budget for this request: it needs at "
                + "least " + usd(needed) + " (its input and a minimal answer) and " + usd(
                        s.limitMicros() - s.spentMicros() - s.reservedMicros())
                + " is available. " + describe(s) + ". Shorten the request or wait for calls in flight to finish.");
    }

    private static String describe(BudgetStatus s) {
        return "Spent: " + usd(s.spentMicros()) + ", Reserved: " + usd(s.reservedMicros()) + ", Limit: "
                + usd(s.limitMicros());
    }

    private static String usd(long micros) {
        return String.format(Locale.ROOT, "$%.6f", micros / 1e6);
    }
}
