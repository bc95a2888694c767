package io.ironcage.runtime.internal.server;

import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.PolicyDecision;
import io.ironcage.runtime.spi.RouterRequest;

/**
 * Server mode: no call is served without a budget lease. Without one because the control server cannot be reached,
 * the call gets 503 {@code iron_cage_server_unavailable} (a transient condition: SDKs retry 5xx, and a 402 would tell
 * the agent its budget is spent, which nobody knows); when the server granted nothing, 402
 * {@code iron_cage_budget_exceeded}. With a lease, the budget policy enforces it like a local limit.
 */
public final class LeasePolicy implements Policy {

    static final String UNAVAILABLE = "iron_cage_server_unavailable";
    static final String EXCEEDED = "iron_cage_budget_exceeded";

    private final BudgetLease lease;
    private final String serverUrl;

    public LeasePolicy(BudgetLease lease, String serverUrl) {
        this.lease = lease;
        this.serverUrl = serverUrl;
    }

    /** Before the budget policy, so that no reservation is attempted without a lease. */
    @Override
    public int order() {
        return -100;
    }

    @Override
    public PolicyDecision onRequest(RouterRequest request) {
        return switch (lease.state()) {
            case ACTIVE -> PolicyDecision.proceed();
            case REFUSED -> PolicyDecision.reject(402, EXCEEDED, "The Iron Cage control server granted no budget "
                    + "to this agent (" + lease.problem() + ").");
            case CLOSED -> PolicyDecision.reject(503, UNAVAILABLE, "The router is shutting down; its budget lease "
                    + "was returned.");
            case UNAVAILABLE -> PolicyDecision.reject(503, UNAVAILABLE, "No budget lease: the Iron Cage control "
                    + "server (" + serverUrl + ") could not be reached; retry later.");
        };
    }
}
