package io.ironcage.it.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ironcage.it.agent.Processes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The packaged app stopped as an orchestrator stops it (SIGTERM): no agent, and nothing an agent started, is left. */
class AgentShutdownIT {

    @Test
    void stoppingTheApplicationLeavesNoOrphanProcess() throws Exception {
        String script = Path.of("src", "test", "resources", "agents", "sleepy_agent.py").toAbsolutePath().toString();
        long agentPid;
        long childPid;
        try (AppProcess app = AppProcess.start("agents", Map.of("quarkus.iron.ledger.path",
                Path.of("target", "ledger-it", "agents-" + System.nanoTime(), "ledger").toString()))) {
            assertEquals(200, app.postJson("/agents", "{\"command\":[\"python3\",\"" + script + "\"]}").statusCode());
            childPid = awaitChild(app);
            agentPid = ProcessHandle.of(childPid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElseThrow();
            assertTrue(ProcessHandle.of(agentPid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                    .orElseThrow() == app.pid(), "the agent is the app's child");
        } // SIGTERM, and the app's exit is awaited
        assertFalse(Processes.running(agentPid), "the agent was stopped with the application");
        assertFalse(Processes.running(childPid), "and so was the process it started");
    }

    /** The pid the sleepy agent prints for its child. */
    private static long awaitChild(AppProcess app) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonArray agents = new JsonArray(app.get("/agents").body());
            for (Object line : ((JsonObject) agents.getValue(0)).getJsonArray("output")) {
                if (line.toString().startsWith("child ")) {
                    return Long.parseLong(line.toString().substring(6).trim());
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the agent did not start its child: " + app.get("/agents").body());
    }
}
