package io.ironcage.runtime.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run as an agent: any executable with its arguments (e.g. {@code python3 agent.py}, {@code node agent.mjs}).
 *
 * @param command the executable and its arguments
 * @param workingDirectory where it runs, or {@code null} for the application's working directory
 * @param environment extra environment variables (the router's URL and the agent's token are added by the runtime)
 */
public record AgentSpec(List<String> command, Path workingDirectory, Map<String, String> environment) {

    public AgentSpec {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("An agent needs a command");
        }
        command = List.copyOf(command);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /** Runs {@code command} in the application's working directory. */
    public static AgentSpec of(String... command) {
        return new AgentSpec(List.of(command), null, Map.of());
    }
}
