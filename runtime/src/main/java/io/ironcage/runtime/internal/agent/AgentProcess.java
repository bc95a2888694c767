package io.ironcage.runtime.internal.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.ironcage.runtime.agent.AgentHandle;
import io.ironcage.runtime.agent.AgentSpec;
import io.ironcage.runtime.agent.AgentStatus;

/**
 * One agent's process: started with the router's URL and the agent's token in its environment, its output kept (the
 * last lines) and logged, its exit watched, stopped with SIGTERM and, after a grace period, killed together with
 * every process it started (no orphans).
 */
public final class AgentProcess implements AgentHandle {

    private static final Logger LOG = Logger.getLogger(AgentProcess.class);
    private static final int OUTPUT_LINES = 500;

    /** Told every status change (from, to, detail). */
    @FunctionalInterface
    public interface Transitions {
        void changed(AgentProcess agent, AgentStatus from, AgentStatus to, String detail);
    }

    private final String id;
    private final String token;
    private final AgentSpec spec;
    private final Transitions transitions;
    private final Deque<String> output = new ArrayDeque<>();
    private volatile AgentStatus status;
    private volatile Process process;
    /** Done once the exit has been handled (its final status set). */
    private volatile CompletableFuture<Void> exitHandled;
    /** The status it ends in once stopped on purpose. */
    private volatile AgentStatus stoppedAs = AgentStatus.STOPPED;

    public AgentProcess(String id, String token, AgentSpec spec, Transitions transitions) {
        this.id = id;
        this.token = token;
        this.spec = spec;
        this.transitions = transitions;
    }

    /** Starts the process with {@code environment} added to the application's own. */
    public void start(Map<String, String> environment) {
        move(AgentStatus.STARTING, "command " + spec.command().get(0));
        ProcessBuilder builder = new ProcessBuilder(spec.command()).redirectErrorStream(true);
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        builder.environment().putAll(spec.environment());
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            move(AgentStatus.FAILED, "could not start: " + e.getMessage());
            return;
        }
        move(AgentStatus.RUNNING, "pid " + process.pid());
        Thread reader = new Thread(this::readOutput, "iron-agent-" + id);
        reader.setDaemon(true);
        reader.start();
        exitHandled = process.onExit().thenAccept(this::exited);
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                LOG.infof("[%s] %s", id, line);
                synchronized (output) {
                    if (output.size() == OUTPUT_LINES) {
                        output.removeFirst();
                    }
                    output.addLast(line);
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    private void exited(Process p) {
        int code = p.exitValue();
        if (status == AgentStatus.STOPPING) {
            move(stoppedAs, "exit status " + code);
        } else if (code == 0) {
            move(AgentStatus.STOPPED, "exit status " + code);
        } else {
            move(AgentStatus.FAILED, "exit status " + code);
        }
    }

    /**
     * Asks the agent to stop (SIGTERM to it and what it started), kills what is left after {@code grace}, and waits
     * for it to be gone.
     */
    public void stop(Duration grace) {
        stop(grace, AgentStatus.STOPPED, "stop requested");
    }

    /** {@link #stop(Duration)}, ending in {@code finalStatus} (e.g. {@code BUDGET_EXHAUSTED}). */
    public void stop(Duration grace, AgentStatus finalStatus, String why) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        stoppedAs = finalStatus;
        move(AgentStatus.STOPPING, why);
        List<ProcessHandle> family = new ArrayList<>(p.descendants().toList());
        p.destroy();
        family.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("Agent %s did not stop within %d ms: killed", id, grace.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        family.addAll(p.descendants().toList());
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (p.isAlive()) {
            p.destroyForcibly();
        }
        // the exit's handling, not only the exit: the process may be gone before its final status is set
        CompletableFuture<Void> handled = exitHandled;
        (handled != null ? handled : p.onExit()).join(); // null only while start() is still between two lines
    }

    private synchronized void move(AgentStatus to, String detail) {
        AgentStatus from = status;
        if (from == to || from == AgentStatus.STOPPED || from == AgentStatus.FAILED
                || from == AgentStatus.BUDGET_EXHAUSTED) {
            return; // final states stay final
        }
        status = to;
        LOG.infof("Agent %s: %s -> %s (%s)", id, from, to, detail);
        transitions.changed(this, from, to, detail);
    }

    public AgentSpec spec() {
        return spec;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public AgentStatus status() {
        return status;
    }

    @Override
    public OptionalInt exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? OptionalInt.empty() : OptionalInt.of(p.exitValue());
    }

    @Override
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }
}
