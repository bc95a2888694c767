package io.ironcage.runtime.agent;

/** Where an agent is in its life: starting → running → stopping → stopped, or failed, or budget exhausted. */
public enum AgentStatus {
    /** Its process is being started. */
    STARTING,
    /** Its process runs. */
    RUNNING,
    /** It was asked to stop (SIGTERM) and has not exited yet. */
    STOPPING,
    /** It exited with status 0, or after it was asked to stop. */
    STOPPED,
    /** It could not be started, or exited on its own with a non-zero status. */
    FAILED,
    /** Its budget refused a call and it was stopped for it ({@code AgentSpec.stopWhenExhausted}). */
    BUDGET_EXHAUSTED;

    /** Whether the agent's process is gone for good (stopped, failed or stopped for its budget). */
    public boolean ended() {
        return this == STOPPED || this == FAILED || this == BUDGET_EXHAUSTED;
    }
}
