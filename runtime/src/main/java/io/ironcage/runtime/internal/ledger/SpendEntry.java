package io.ironcage.runtime.internal.ledger;

/**
 * One settled call, as the ledger keeps it: what it held while in flight and what it cost.
 *
 * @param callId the call's id ({@code x-iron-request-id})
 * @param settledAtMillis when it was settled (epoch milliseconds)
 * @param provider the provider's id
 * @param model the requested model
 * @param heldMicros what its reservation held (0 without a limit)
 * @param costMicros what it cost
 */
public record SpendEntry(String callId, long settledAtMillis, String provider, String model, long heldMicros,
        long costMicros, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
}
