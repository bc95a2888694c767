package io.ironcage.runtime.agent;

/**
 * An agent changed status; fired as an asynchronous CDI event ({@code @ObservesAsync AgentEvent}).
 *
 * @param agentId the agent
 * @param from its status before ({@code null} for the first)
 * @param to its status now
 * @param detail why, e.g. the exit status
 */
public record AgentEvent(String agentId, AgentStatus from, AgentStatus to, String detail) {
}
