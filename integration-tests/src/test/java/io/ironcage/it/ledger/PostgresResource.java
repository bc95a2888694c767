package io.ironcage.it.ledger;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a throwaway PostgreSQL ({@link PostgresServer}) and points the ledger at it. Tests can query the database
 * directly through {@link #jdbcUrl()} (user {@code iron}, empty password).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static volatile PostgresServer running;

    private PostgresServer server;

    @Override
    public Map<String, String> start() {
        server = PostgresServer.start();
        running = server;
        return Map.of(
                "quarkus.iron.ledger.jdbc-url", server.jdbcUrl(),
                "quarkus.iron.ledger.username", server.username(),
                "quarkus.iron.ledger.password", server.password());
    }

    @Override
    public void stop() {
        if (server != null) {
            if (running == server) {
                running = null;
            }
            server.stop();
            server = null;
        }
    }

    /** The JDBC URL of the server this resource started; fails when none is running. */
    public static String jdbcUrl() {
        PostgresServer current = running;
        if (current == null) {
            throw new IllegalStateException("No PostgresResource server is running");
        }
        return current.jdbcUrl();
    }
}
