package io.ironcage.runtime.internal.ledger;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import io.ironcage.runtime.internal.server.ControlServerJson.ReportRequest;

/**
 * The ledger's tables, over one JDBC connection (H2 in a file, or PostgreSQL). Plain SQL that both understand.
 * Used by one thread at a time (the journal's writer; at startup, the starting thread).
 * <p>
 * {@code iron_budget} holds one row per scope: the running total of spend (updated in the same transaction as the
 * entries, so the two always agree) and the limit. {@code iron_spend} holds, per write and per provider and model,
 * what the calls settled in it held and cost and the tokens they used: one row per call would cost the writer more
 * than the router spends on the call itself. {@code iron_agent} holds the totals of each agent the application
 * started. {@code iron_analytics_outbox} holds analytics events until the control server has taken them, one row per
 * write (a segment of events as JSON lines, with which of them the server has acknowledged, as a bit set).
 */
final class LedgerStore implements AutoCloseable {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String[] SCHEMA = {
            "CREATE TABLE IF NOT EXISTS iron_budget (scope VARCHAR(100) NOT NULL PRIMARY KEY, "
                    + "spent_micros BIGINT NOT NULL, calls BIGINT NOT NULL, limit_micros BIGINT NOT NULL, "
                    + "configured_limit_micros BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS iron_spend (scope VARCHAR(100) NOT NULL, batch_id VARCHAR(40) NOT NULL, "
                    + "provider VARCHAR(200) NOT NULL, model VARCHAR(300) NOT NULL, first_settled_at BIGINT NOT NULL, "
                    + "last_settled_at BIGINT NOT NULL, calls BIGINT NOT NULL, held_micros BIGINT NOT NULL, "
                    + "cost_micros BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, "
                    + "cache_read_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL, "
                    + "PRIMARY KEY (scope, batch_id, provider, model))",
            "CREATE TABLE IF NOT EXISTS iron_unreported (scope VARCHAR(100) NOT NULL, request_id VARCHAR(100) NOT NULL, "
                    + "lease_id VARCHAR(200) NOT NULL, tokens BIGINT NOT NULL, cost_micros BIGINT NOT NULL, "
                    + "model VARCHAR(300), provider VARCHAR(200), PRIMARY KEY (scope, request_id))",
            "CREATE TABLE IF NOT EXISTS iron_agent (scope VARCHAR(100) NOT NULL, agent_id VARCHAR(200) NOT NULL, "
                    + "requests BIGINT NOT NULL, errors BIGINT NOT NULL, input_tokens BIGINT NOT NULL, "
                    + "output_tokens BIGINT NOT NULL, cost_micros BIGINT NOT NULL, pii_detections BIGINT NOT NULL, "
                    + "last_activity_at BIGINT NOT NULL, budget_micros BIGINT NOT NULL, status VARCHAR(40) NOT NULL, "
                    + "updated_at BIGINT NOT NULL, PRIMARY KEY (scope, agent_id))",
            "CREATE TABLE IF NOT EXISTS iron_analytics_outbox (scope VARCHAR(100) NOT NULL, "
                    + "segment_id VARCHAR(40) NOT NULL, created_at BIGINT NOT NULL, event_count INT NOT NULL, "
                    + "acked INT NOT NULL, acked_mask VARCHAR(1000) NOT NULL, events TEXT NOT NULL, "
                    + "PRIMARY KEY (scope, segment_id))" };
    private static final String INSERT_BUCKET = "INSERT INTO iron_spend (scope, batch_id, provider, model, "
            + "first_settled_at, last_settled_at, calls, held_micros, cost_micros, input_tokens, output_tokens, "
            + "cache_read_tokens, cache_write_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** A scope's row. */
    record Totals(long spentMicros, long calls, long limitMicros, long configuredLimitMicros) {
    }

    private final String url;
    private final String user;
    private final String password;
    private final String scope;
    private Connection connection;

    LedgerStore(String url, String user, String password, String scope) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.scope = scope;
    }

    /** Connects (again, after a failure) and creates what is missing. */
    private Connection connection() throws SQLException {
        if (connection == null) {
            Properties props = new Properties();
            if (user != null) {
                props.setProperty("user", user);
            }
            if (password != null) {
                props.setProperty("password", password);
            }
            Connection c = driverFor(url).connect(url, props);
            if (c == null) {
                throw new SQLException("No JDBC driver accepts " + url);
            }
            try {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String ddl : SCHEMA) {
                        s.execute(ddl);
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    /** The driver by URL, from this class loader (DriverManager would look in the caller's, wrong in dev mode). */
    private static Driver driverFor(String url) throws SQLException {
        if (url.startsWith("jdbc:h2:")) {
            return new org.h2.Driver();
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new org.postgresql.Driver();
        }
        return DriverManager.getDriver(url);
    }

    /**
     * The scope's row, created when missing. The limit comes from {@code configuredLimit} unless the stored one was
     * set at run time after the same configured value was last seen (a changed configuration wins).
     */
    Totals open(long configuredLimit) throws SQLException {
        return transaction(c -> {
            Totals t = read(c);
            if (t == null) {
                t = create(c, configuredLimit);
            } else if (t.configuredLimitMicros() != configuredLimit) {
                t = new Totals(t.spentMicros(), t.calls(), configuredLimit, configuredLimit);
                writeLimit(c, configuredLimit, configuredLimit);
            }
            return t;
        });
    }

    private Totals create(Connection c, long configuredLimit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO iron_budget (scope, spent_micros, calls, "
                + "limit_micros, configured_limit_micros, updated_at) VALUES (?, 0, 0, ?, ?, ?)")) {
            ps.setString(1, scope);
            ps.setLong(2, configuredLimit);
            ps.setLong(3, configuredLimit);
            ps.setLong(4, System.currentTimeMillis());
            ps.executeUpdate();
            return new Totals(0, 0, configuredLimit, configuredLimit);
        } catch (SQLException e) {
            if (!duplicate(e)) {
                throw e;
            }
            c.rollback(); // another instance created it first
            return read(c);
        }
    }

    /** The scope's row as stored now (other instances' spend included). */
    Totals totals() throws SQLException {
        return transaction(this::read);
    }

    /** Stores a limit set at run time. */
    void setLimit(long limitMicros) throws SQLException {
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE iron_budget SET limit_micros = ?, updated_at = ? WHERE scope = ?")) {
                ps.setLong(1, limitMicros);
                ps.setLong(2, System.currentTimeMillis());
                ps.setString(3, scope);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Adds settled calls, one row per provider and model, and their cost to the scope's total, in one transaction.
     * Idempotent per {@code batchId}: a batch whose commit went through although its acknowledgement was lost can be
     * written again without counting twice.
     *
     * @return the scope's row after the write
     */
    Totals append(String batchId, Collection<SpendBucket> buckets) throws SQLException {
        return transaction(c -> {
            try {
                insertBuckets(c, batchId, buckets);
            } catch (SQLException e) {
                if (!duplicate(e)) {
                    throw e;
                }
                c.rollback(); // written before: only the totals are wanted
                return read(c);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE iron_budget SET spent_micros = spent_micros + ?, "
                    + "calls = calls + ?, updated_at = ? WHERE scope = ?")) {
                ps.setLong(1, SpendBucket.costMicros(buckets));
                ps.setLong(2, SpendBucket.calls(buckets));
                ps.setLong(3, System.currentTimeMillis());
                ps.setString(4, scope);
                ps.executeUpdate();
            }
            return read(c);
        });
    }

    private void insertBuckets(Connection c, String batchId, Collection<SpendBucket> buckets) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_BUCKET)) {
            for (SpendBucket bucket : buckets) {
                ps.setString(1, scope);
                ps.setString(2, batchId);
                ps.setString(3, bucket.provider);
                ps.setString(4, bucket.model);
                ps.setLong(5, bucket.firstSettledAt);
                ps.setLong(6, bucket.lastSettledAt);
                ps.setLong(7, bucket.calls);
                ps.setLong(8, bucket.heldMicros);
                ps.setLong(9, bucket.costMicros);
                ps.setLong(10, bucket.inputTokens);
                ps.setLong(11, bucket.outputTokens);
                ps.setLong(12, bucket.cacheReadTokens);
                ps.setLong(13, bucket.cacheWriteTokens);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Server mode: keeps the reports the control server has not taken and forgets those it has. Idempotent (a report
     * is deleted before it is inserted), so a batch may be written again after a failure.
     */
    void reports(List<ReportRequest> kept, Collection<String> taken) throws SQLException {
        transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM iron_unreported WHERE scope = ? AND request_id = ?")) {
                for (String id : Stream.concat(kept.stream().map(ReportRequest::requestId), taken.stream()).toList()) {
                    delete.setString(1, scope);
                    delete.setString(2, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO iron_unreported (scope, request_id, "
                    + "lease_id, tokens, cost_micros, model, provider) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (ReportRequest r : kept) {
                    insert.setString(1, scope);
                    insert.setString(2, r.requestId());
                    insert.setString(3, r.leaseId());
                    insert.setLong(4, r.tokens());
                    insert.setLong(5, r.costMicrodollars());
                    insert.setString(6, r.model());
                    insert.setString(7, r.provider());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** Server mode: the reports the control server had not taken when the last process ended. */
    List<ReportRequest> unreported() throws SQLException {
        return transaction(c -> {
            List<ReportRequest> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT lease_id, request_id, tokens, cost_micros, model, "
                    + "provider FROM iron_unreported WHERE scope = ?")) {
                ps.setString(1, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new ReportRequest(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                                rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return found;
        });
    }

    /** The agents of the scope, as last written. */
    List<AgentRecord> agents() throws SQLException {
        return transaction(c -> {
            List<AgentRecord> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, requests, errors, input_tokens, "
                    + "output_tokens, cost_micros, pii_detections, last_activity_at, budget_micros, status "
                    + "FROM iron_agent WHERE scope = ? ORDER BY agent_id")) {
                ps.setString(1, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new AgentRecord(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                                rs.getString(10)));
                    }
                }
            }
            return found;
        });
    }

    /** Stores the agents' totals as they are now (absolute values: writing one twice changes nothing). */
    void saveAgents(Collection<AgentRecord> records) throws SQLException {
        transaction(c -> {
            long now = System.currentTimeMillis();
            try (PreparedStatement update = c.prepareStatement("UPDATE iron_agent SET requests = ?, errors = ?, "
                    + "input_tokens = ?, output_tokens = ?, cost_micros = ?, pii_detections = ?, last_activity_at = ?, "
                    + "budget_micros = ?, status = ?, updated_at = ? WHERE scope = ? AND agent_id = ?");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO iron_agent (requests, errors, "
                            + "input_tokens, output_tokens, cost_micros, pii_detections, last_activity_at, "
                            + "budget_micros, status, updated_at, scope, agent_id) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AgentRecord r : records) {
                    if (bindAgent(update, r, now).executeUpdate() == 0) {
                        bindAgent(insert, r, now).executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    private PreparedStatement bindAgent(PreparedStatement ps, AgentRecord r, long now) throws SQLException {
        ps.setLong(1, r.requests());
        ps.setLong(2, r.errors());
        ps.setLong(3, r.inputTokens());
        ps.setLong(4, r.outputTokens());
        ps.setLong(5, r.costMicros());
        ps.setLong(6, r.piiDetections());
        ps.setLong(7, r.lastActivityMillis());
        ps.setLong(8, r.budgetMicros());
        ps.setString(9, r.status());
        ps.setLong(10, now);
        ps.setString(11, scope);
        ps.setString(12, r.id());
        return ps;
    }

    /** Adds a segment of analytics events to the outbox; a segment written before (same id) is left as it is. */
    void appendAnalytics(String segmentId, List<String> events) throws SQLException {
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO iron_analytics_outbox (scope, segment_id, "
                    + "created_at, event_count, acked, acked_mask, events) VALUES (?, ?, ?, ?, 0, '', ?)")) {
                ps.setString(1, scope);
                ps.setString(2, segmentId);
                ps.setLong(3, System.currentTimeMillis());
                ps.setInt(4, events.size());
                ps.setString(5, String.join("\n", events));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!duplicate(e)) {
                    throw e;
                }
                c.rollback();
            }
            return null;
        });
    }

    /** The oldest segments with events not acknowledged yet, until they hold at least {@code maxEvents} of those. */
    List<OutboxSegment> pendingAnalytics(int maxEvents) throws SQLException {
        return transaction(c -> {
            List<OutboxSegment> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT segment_id, acked_mask, events FROM "
                    + "iron_analytics_outbox WHERE scope = ? AND acked < event_count ORDER BY created_at, segment_id")) {
                ps.setString(1, scope);
                ps.setFetchSize(16);
                try (ResultSet rs = ps.executeQuery()) {
                    int events = 0;
                    while (events < maxEvents && rs.next()) {
                        OutboxSegment s = new OutboxSegment(rs.getString(1), List.of(rs.getString(3).split("\n")),
                                BitSet.valueOf(Base64.getDecoder().decode(rs.getString(2))));
                        found.add(s);
                        events += s.unacked();
                    }
                }
            }
            return found;
        });
    }

    /**
     * Records which events of each segment the control server has acknowledged (all it ever did: the sets only
     * grow); a segment acknowledged whole leaves the outbox.
     */
    void analyticsAcked(Map<String, BitSet> acked) throws SQLException {
        transaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE iron_analytics_outbox SET acked = ?, "
                    + "acked_mask = ? WHERE scope = ? AND segment_id = ? AND acked < ?");
                    PreparedStatement delete = c.prepareStatement("DELETE FROM iron_analytics_outbox "
                            + "WHERE scope = ? AND acked >= event_count")) {
                for (Map.Entry<String, BitSet> e : acked.entrySet()) {
                    int count = e.getValue().cardinality();
                    update.setInt(1, count);
                    update.setString(2, Base64.getEncoder().encodeToString(e.getValue().toByteArray()));
                    update.setString(3, scope);
                    update.setString(4, e.getKey());
                    update.setInt(5, count);
                    update.addBatch();
                }
                update.executeBatch();
                delete.setString(1, scope);
                delete.executeUpdate();
            }
            return null;
        });
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs in one transaction; a failure drops the connection (the next call connects again). */
    private <T> T transaction(Work<T> work) throws SQLException {
        Connection c = connection();
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            drop();
            throw e;
        }
    }

    private Totals read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT spent_micros, calls, limit_micros, "
                + "configured_limit_micros FROM iron_budget WHERE scope = ?")) {
            ps.setString(1, scope);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)) : null;
            }
        }
    }

    private void writeLimit(Connection c, long limit, long configured) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE iron_budget SET limit_micros = ?, "
                + "configured_limit_micros = ?, updated_at = ? WHERE scope = ?")) {
            ps.setLong(1, limit);
            ps.setLong(2, configured);
            ps.setLong(3, System.currentTimeMillis());
            ps.setString(4, scope);
            ps.executeUpdate();
        }
    }

    /** A unique-key violation, as the driver reports it (batch failures carry it on a chained exception). */
    private static boolean duplicate(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (UNIQUE_VIOLATION.equals(x.getSQLState())) {
                return true;
            }
        }
        return e.getCause() instanceof SQLException cause && cause != e && duplicate(cause);
    }

    /** Forgets a connection that failed, so the next use connects again. */
    private void drop() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken anyway
            }
            closeQuietly(c);
        }
    }

    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing left to save on it
        }
    }
}
