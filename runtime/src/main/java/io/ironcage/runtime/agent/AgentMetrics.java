package io.ironcage.runtime.agent;

import java.time.Instant;

/**
 * What an agent did through the router.
 *
 * @param requests calls it made
 * @param errors calls that ended with an error status or no answer
 * @param inputTokens input tokens of its calls (cached ones included)
 * @param outputTokens output tokens of its calls
 * @param costMicros what its calls cost, in microdollars
 * @param piiDetections PII values found in its calls and their answers
 * @param lastActivity when its last call ended, or {@code null}
 */
public record AgentMetrics(long requests, long errors, long inputTokens, long outputTokens, long costMicros,
        long piiDetections, Instant lastActivity) {

    static final AgentMetrics NONE = new AgentMetrics(0, 0, 0, 0, 0, 0, null);
}
