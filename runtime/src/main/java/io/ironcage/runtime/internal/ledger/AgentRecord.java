package io.ironcage.runtime.internal.ledger;

/**
 * An agent's totals as the ledger keeps them, so that they survive a restart.
 *
 * @param id the agent's id
 * @param requests calls it made
 * @param errors calls that failed
 * @param inputTokens input tokens of its calls
 * @param outputTokens output tokens of its calls
 * @param costMicros what its calls cost (also what its own budget has spent)
 * @param piiDetections PII values found in its calls
 * @param lastActivityMillis when its last call ended (epoch millis), 0 if never
 * @param budgetMicros its own budget, {@code -1} for none
 * @param status its last status
 */
public record AgentRecord(String id, long requests, long errors, long inputTokens, long outputTokens, long costMicros,
        long piiDetections, long lastActivityMillis, long budgetMicros, String status) {
}
