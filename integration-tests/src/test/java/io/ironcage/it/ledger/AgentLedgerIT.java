package io.ironcage.it.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An agent's metrics and its budget's spend are kept in the ledger: after the application was killed, a new process
 * reports the same metrics, and the agent started again under its name goes on with the spend it had (its budget
 * refuses it at once).
 */
class AgentLedgerIT {

    private static final String SPENDER = Path.of("src", "test", "resources", "agents", "spender_agent.py")
            .toAbsolutePath().toString();

    @Test
    void aNamedAgentsMetricsAndBudgetSpendSurviveAKill() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "ledger-it", "agents-" + System.nanoTime()));
        Map<String, String> config = Map.of("quarkus.iron.ledger.path", dir.resolve("ledger").toString());
        String start = new JsonObject().put("command", new JsonArray().add("python3").add(SPENDER))
                .put("name", "spender").put("budgetUsd", "0.0002").put("stopWhenExhausted", true).encode();
        JsonObject before;
        try (AppProcess first = AppProcess.start("agents-first", config)) {
            assertEquals(200, first.postJson("/agents", start).statusCode());
            awaitStatus(first, "BUDGET_EXHAUSTED");
            // the refused call ends the run; the stop (on its own thread) may overtake its accounting on the event loop
            before = awaitMetrics(first, m -> m.getLong("errors") > 0);
            assertTrue(before.getLong("costMicros") > 0 && before.getLong("costMicros") <= 200, before.encode());
            assertTrue(before.getLong("requests") >= 2, before.encode());
            first.awaitLedgerWritten();
            first.kill();
        }
        try (AppProcess second = AppProcess.start("agents-second", config)) {
            assertEquals(before, metrics(second), "the killed process's metrics, from the ledger");

            assertEquals(200, second.postJson("/agents", start).statusCode());
            awaitStatus(second, "BUDGET_EXHAUSTED");
            long requestsBefore = before.getLong("requests");
            JsonObject after = awaitMetrics(second, m -> m.getLong("requests") > requestsBefore);
            assertEquals(before.getLong("costMicros"), after.getLong("costMicros"), "nothing more spent");
            assertEquals(before.getLong("requests") + 1, after.getLong("requests"), "its first call was refused");
            assertEquals(before.getLong("errors") + 1, after.getLong("errors"), "and counted as an error");
        }
    }

    private static JsonObject metrics(AppProcess app) throws Exception {
        var r = app.get("/agents/spender/metrics");
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    /** The agent's metrics once {@code done} holds of them, or as they are after 5 s. */
    private static JsonObject awaitMetrics(AppProcess app, Predicate<JsonObject> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonObject m = metrics(app);
        while (!done.test(m) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            m = metrics(app);
        }
        return m;
    }

    private static void awaitStatus(AppProcess app, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = app.get("/agents").body();
            JsonArray agents = new JsonArray(last);
            if (!agents.isEmpty() && status.equals(agents.getJsonObject(0).getString("status"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the agent did not reach " + status + ": " + last);
    }
}
