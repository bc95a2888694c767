package io.ironcage.it.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.ironcage.it.server.MockControlServerResource;
import io.vertx.core.json.JsonObject;

/**
 * The durable ledger across hard kills: the packaged app is killed with SIGKILL after its calls were answered and
 * started again; the spend must still be there, and enforced. Once with the zero-config embedded file, once with a
 * real PostgreSQL shared by two instances.
 */
class LedgerCrashIT {

    private static final String MODEL = "gpt-4o-mini";

    @Test
    void spendInTheEmbeddedFileSurvivesAHardKillAndIsEnforcedAfterRestart() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "ledger-it", "h2-" + System.nanoTime()));
        Map<String, String> config = Map.of("quarkus.iron.ledger.path", dir.resolve("ledger").toString());
        Set<String> ids = new HashSet<>();
        long spent;
        try (AppProcess first = AppProcess.start("h2-first", config)) {
            for (int i = 0; i < 12; i++) {
                ids.add(call(first, i % 3 == 0));
            }
            spent = first.spentMicros();
            assertTrue(spent > 0, "the calls were priced");
            JsonObject ledger = first.awaitLedgerWritten();
            assertEquals(spent, ledger.getLong("persistedSpentMicros"));
            assertEquals(12, ledger.getLong("persistedCalls"));
            assertTrue(ledger.getString("store").startsWith("jdbc:h2:file:"), ledger.encode());
            first.kill(); // right after the write: no shutdown, no flush, no close
        }

        // The limit is now exactly what was spent before the kill: the restarted router must refuse the next call.
        Map<String, String> limited = new HashMap<>(config);
        limited.put("quarkus.iron.budget.limit-usd", BigDecimal.valueOf(spent, 6).toPlainString());
        try (AppProcess second = AppProcess.start("h2-second", limited)) {
            assertEquals(spent, second.spentMicros());
            assertEquals(12, second.budget().getJsonObject("ledger").getLong("persistedCalls"));
            HttpResponse<String> refused = second.chat(MODEL, false);
            assertEquals(402, refused.statusCode(), refused.body());
            assertEquals("iron_cage_budget_exceeded",
                    new JsonObject(refused.body()).getJsonObject("error").getString("type"));
        }

        // The file holds the calls, summed per write and model, and the total.
        try (Connection c = new org.h2.Driver().connect("jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath(),
                new Properties())) {
            assertEquals(ids.size(), storedCalls(c, "default", spent));
            assertEquals(spent, storedTotal(c, "default"));
        }
    }

    @Test
    void aSharedPostgresLedgerSurvivesAHardKillAndSumsTheInstancesSpend() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            Map<String, String> config = Map.of("quarkus.iron.ledger.jdbc-url", pg.jdbcUrl(),
                    "quarkus.iron.ledger.username", pg.username(), "quarkus.iron.ledger.scope", "it-shared",
                    "quarkus.iron.ledger.sync-interval", "200ms");
            Set<String> ids = new HashSet<>();
            long total;
            try (AppProcess a = AppProcess.start("pg-a", config); AppProcess b = AppProcess.start("pg-b", config)) {
                for (int i = 0; i < 6; i++) {
                    ids.add(call(a, i % 2 == 0));
                }
                long spentA = a.spentMicros();
                a.awaitLedgerWritten();
                awaitSpent(b, spentA); // B learns what A spent
                for (int i = 0; i < 3; i++) {
                    ids.add(call(b, false));
                }
                b.awaitLedgerWritten();
                total = b.spentMicros();
                assertTrue(total > spentA, "B added its own spend");
                awaitSpent(a, total); // and A learns what B spent
                a.kill();
                assertEquals(total, b.budget().getJsonObject("ledger").getLong("persistedSpentMicros"));
            }
            try (AppProcess restarted = AppProcess.start("pg-restarted", config)) {
                assertEquals(total, restarted.spentMicros());
                assertTrue(restarted.budget().getJsonObject("ledger").getString("store").startsWith(
                        "jdbc:postgresql:"));
            }
            Properties login = new Properties();
            login.setProperty("user", pg.username());
            try (Connection c = new org.postgresql.Driver().connect(pg.jdbcUrl(), login)) {
                assertEquals(ids.size(), storedCalls(c, "it-shared", total));
                assertEquals(total, storedTotal(c, "it-shared"));
            }
        }
    }

    @Test
    void serverModeUsageReportsAndAnalyticsTheControlServerMissedAreDeliveredByTheNextProcess() throws Exception {
        MockControlServerResource control = new MockControlServerResource();
        Map<String, String> controlConfig = control.start();
        try {
            String controlUrl = controlConfig.get("control.url");
            Path dir = Files.createDirectories(Path.of("target", "ledger-it", "server-" + System.nanoTime()));
            Map<String, String> config = Map.of("quarkus.iron.server-url", controlUrl, "quarkus.iron.token",
                    MockControlServerResource.IC_TOKEN, "quarkus.iron.mock.enabled", "false",
                    "quarkus.iron.ledger.path", dir.resolve("ledger").toString(),
                    "quarkus.iron.lease.retry-interval", "200ms", "quarkus.iron.analytics.sync-interval", "200ms");
            Set<String> missed = new HashSet<>();
            try (AppProcess first = AppProcess.start("server-first", config)) {
                call(first, false); // lease and key in hand, this one is reported at once
                awaitAnalytics(controlUrl, Map.of("router_started", 1L, "llm_request_completed", 1L));
                post(controlUrl + "/mock/down");
                for (int i = 0; i < 3; i++) {
                    missed.add(call(first, i == 0));
                }
                JsonObject ledger = first.awaitLedgerWritten();
                assertEquals(4, ledger.getLong("persistedCalls"), ledger.encode());
                first.kill(); // the reports never reached the server, and only the ledger knows
            }
            post(controlUrl + "/mock/up");
            try (AppProcess second = AppProcess.start("server-second", config)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                Set<String> delivered;
                do {
                    delivered = reportedIds(controlUrl);
                    Thread.sleep(50);
                } while (!delivered.containsAll(missed) && System.nanoTime() < deadline);
                assertTrue(delivered.containsAll(missed), "delivered " + delivered + ", missed " + missed);
                // the three calls' analytics events were in the killed process's outbox; now the new start too
                awaitAnalytics(controlUrl, Map.of("router_started", 2L, "llm_request_completed", 4L));
            } // a normal stop: its last event goes out before the process ends
            awaitAnalytics(controlUrl, Map.of("router_started", 2L, "llm_request_completed", 4L, "router_stopped", 1L));
        } finally {
            control.stop();
        }
    }

    private static void post(String url) throws Exception {
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Waits until the analytics events the control server received are exactly {@code expected} (per kind), each
     * event id once. In the core-only build ({@code -Penabled}) there must be none.
     */
    private static void awaitAnalytics(String controlUrl, Map<String, Long> whenBuiltIn) throws Exception {
        Map<String, Long> expected = Boolean.parseBoolean(System.getProperty("iron.expect.analytics", "true"))
                ? whenBuiltIn : Map.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Map<String, Long> kinds;
        List<String> ids;
        do {
            HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(controlUrl + "/mock/requests")).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<JsonObject> events = new io.vertx.core.json.JsonArray(r.body()).stream().map(JsonObject.class::cast)
                    .filter(req -> req.getString("path").equals("/api/v1/analytics/events"))
                    .map(req -> new JsonObject(req.getString("body"))).toList();
            kinds = events.stream().collect(Collectors.groupingBy(e -> e.getString("event_type"),
                    Collectors.counting()));
            ids = events.stream().map(e -> e.getString("event_id")).toList();
            if (kinds.equals(expected)) {
                assertEquals(ids.size(), Set.copyOf(ids).size(), "no event sent twice: " + ids);
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("analytics at the server: " + kinds + ", expected " + expected);
    }

    /** The request ids of the usage reports the control server took. */
    private static Set<String> reportedIds(String controlUrl) throws Exception {
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(controlUrl + "/mock/requests")).build(), HttpResponse.BodyHandlers.ofString());
        Set<String> ids = new HashSet<>();
        new io.vertx.core.json.JsonArray(r.body()).forEach(o -> {
            JsonObject req = (JsonObject) o;
            if (req.getString("path").equals("/api/v1/budget/report")) {
                ids.add(new JsonObject(req.getString("body")).getString("request_id"));
            }
        });
        return ids;
    }

    /** One call that must succeed; returns its {@code x-iron-request-id}. */
    private static String call(AppProcess app, boolean stream) throws Exception {
        HttpResponse<String> r = app.chat(MODEL, stream);
        assertEquals(200, r.statusCode(), r.body());
        if (stream) {
            assertTrue(r.body().contains("data: [DONE]"), r.body());
        }
        return r.headers().firstValue("x-iron-request-id").orElseThrow();
    }

    private static void awaitSpent(AppProcess app, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long spent;
        do {
            spent = app.spentMicros();
            if (spent == expected) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertEquals(expected, spent, "spend of the other instance did not arrive within 10 s");
    }

    /** The calls {@code iron_spend} counts for the model; asserts its rows add up to {@code cost}. */
    private static long storedCalls(Connection c, String scope, long cost) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT SUM(calls), SUM(cost_micros), MIN(output_tokens) "
                + "FROM iron_spend WHERE scope = ? AND model = ?")) {
            ps.setString(1, scope);
            ps.setString(2, MODEL);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(cost, rs.getLong(2));
                assertTrue(rs.getLong(3) > 0, "tokens are kept");
                return rs.getLong(1);
            }
        }
    }

    private static long storedTotal(Connection c, String scope) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT spent_micros FROM iron_budget WHERE scope = ?")) {
            ps.setString(1, scope);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
    }
}
