package io.ironcage.runtime.agent;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What to run as an agent: any executable with its arguments (e.g. {@code python3 agent.py}, {@code node agent.mjs}).
 *
 * @param command the executable and its arguments
 * @param workingDirectory where it runs, or {@code null} for the application's working directory
 * @param environment extra environment variables (the router's URL and the agent's token are added by the runtime)
 * @param budgetUsd the agent's own spending limit (on top of the router's), or {@code null} for none: a call that
 *        does not fit gets 402, and a stream is cut when it reaches it
 * @param stopWhenExhausted whether the agent is stopped (status {@code BUDGET_EXHAUSTED}) once its budget refused a
 *        call
 * @param name the agent's id, kept across restarts: an agent started again under the same name goes on with the
 *        metrics and the spend (against its budget) the ledger kept for it; {@code null} for a new id
 *        ({@code agent_<n>}). Letters, digits, {@code _ . -}, at most 100.
 */
public record AgentSpec(List<String> command, Path workingDirectory, Map<String, String> environment,
        BigDecimal budgetUsd, boolean stopWhenExhausted, String name) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** Without a budget of its own. */
    public AgentSpec(List<String> command, Path workingDirectory, Map<String, String> environment) {
        this(command, workingDirectory, environment, null, false, null);
    }

    /** Under a new id. */
    public AgentSpec(List<String> command, Path workingDirectory, Map<String, String> environment,
            BigDecimal budgetUsd, boolean stopWhenExhausted) {
        this(command, workingDirectory, environment, budgetUsd, stopWhenExhausted, null);
    }

    public AgentSpec {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("An agent needs a command");
        }
        command = List.copyOf(command);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        if (budgetUsd != null && budgetUsd.signum() < 0) {
            throw new IllegalArgumentException("A budget cannot be negative: " + budgetUsd);
        }
        if (name != null && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("An agent's name is letters, digits, '_', '.', '-' (at most 100): "
                    + name);
        }
    }

    /** This spec under a name kept across restarts. */
    public AgentSpec named(String agentName) {
        return new AgentSpec(command, workingDirectory, environment, budgetUsd, stopWhenExhausted, agentName);
    }

    /** Runs {@code command} in the application's working directory. */
    public static AgentSpec of(String... command) {
        return new AgentSpec(List.of(command), null, Map.of());
    }
}
