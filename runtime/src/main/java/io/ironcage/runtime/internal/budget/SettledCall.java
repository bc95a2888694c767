package io.ironcage.runtime.internal.budget;

import io.ironcage.runtime.spi.RouterRequest;
import io.ironcage.runtime.spi.Usage;

/**
 * A priced call that spent something, as the budget settled it.
 *
 * @param request the call
 * @param heldMicros what its reservation held (0 without a limit)
 * @param costMicros what it cost
 * @param usage the usage it was priced from (reported, or metered when the stream ended early)
 */
public record SettledCall(RouterRequest request, long heldMicros, long costMicros, Usage usage) {

    /** Input and output tokens together (the control server's usage report counts them so). */
    public long tokens() {
        return usage.totalInputTokens() + usage.outputTokens();
    }
}
