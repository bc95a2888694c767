package io.ironcage.runtime.internal.budget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Budgets of single agents, on top of the router's: a call of an agent with a budget must fit in both. The owner is
 * told when an agent's budget refuses a call (it may stop the agent).
 */
public final class AgentBudgets {

    private final Map<String, BudgetLedger> ledgers = new ConcurrentHashMap<>();
    private volatile Consumer<String> onExhausted = agent -> {
    };

    /** Gives {@code agent} a budget of {@code limitMicros}. */
    public void set(String agent, long limitMicros) {
        set(agent, limitMicros, 0);
    }

    /** Gives {@code agent} a budget of {@code limitMicros} of which {@code spentMicros} are spent already. */
    public void set(String agent, long limitMicros, long spentMicros) {
        BudgetLedger ledger = new BudgetLedger(limitMicros);
        ledger.addSpent(spentMicros);
        ledgers.put(agent, ledger);
    }

    public void remove(String agent) {
        ledgers.remove(agent);
    }

    /** The agent's ledger, or {@code null} when it has no budget of its own. */
    public BudgetLedger of(String agent) {
        return agent == null ? null : ledgers.get(agent);
    }

    /** Whether any agent has a budget (then streams are metered). */
    public boolean any() {
        return !ledgers.isEmpty();
    }

    /** Told the agent whose budget refused a call. Must not block. */
    public void onExhausted(Consumer<String> listener) {
        this.onExhausted = listener;
    }

    void exhausted(String agent) {
        onExhausted.accept(agent);
    }
}
