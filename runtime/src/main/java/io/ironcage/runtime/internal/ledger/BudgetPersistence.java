package io.ironcage.runtime.internal.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.ironcage.runtime.LedgerStatus;
import io.ironcage.runtime.config.IronRuntimeConfig.LedgerConfig;
import io.ironcage.runtime.internal.budget.BudgetLedger;
import io.ironcage.runtime.internal.budget.BudgetPolicy;
import io.ironcage.runtime.internal.budget.SettledCall;
import io.ironcage.runtime.internal.server.BudgetLease;
import io.ironcage.runtime.internal.server.ControlServerJson.ReportRequest;

/**
 * Connects the in-memory budget to the durable ledger: at startup the budget resumes from what the ledger holds;
 * afterwards every settled call and limit change is queued for the ledger, and spend or limit changes made by other
 * instances sharing the ledger are applied to the budget.
 */
public final class BudgetPersistence implements BudgetPolicy.SpendListener {

    private static final Logger LOG = Logger.getLogger(BudgetPersistence.class);
    private static final LedgerStatus DISABLED = new LedgerStatus("disabled", 0, 0, 0, null);

    private final LedgerJournal journal;
    private final List<ReportRequest> leftOverReports;

    private BudgetPersistence(LedgerJournal journal, List<ReportRequest> leftOverReports) {
        this.journal = journal;
        this.leftOverReports = leftOverReports;
    }

    /**
     * Opens the ledger (blocking, at startup). Fails startup when it cannot: a budget that forgets its spend on the
     * next restart is not a budget.
     *
     * @param ledger the budget to resume and keep in step, or {@code null} to only record (server mode, where the
     *        control server holds the budget)
     * @param configuredLimit the configured limit in microdollars, {@code -1} for none
     */
    public static BudgetPersistence open(LedgerConfig config, BudgetLedger ledger, long configuredLimit) {
        if (!config.enabled()) {
            return new BudgetPersistence(null, List.of());
        }
        String url = config.jdbcUrl().filter(u -> !u.isBlank()).orElseGet(() -> embeddedUrl(config.path()));
        LedgerJournal.TotalsListener follow = ledger == null ? null : (others, limitChanged, limit) -> {
            ledger.addSpent(others);
            if (limitChanged) {
                ledger.setLimit(limit);
            }
        };
        LedgerJournal.Opened opened;
        try {
            opened = LedgerJournal.open(url, config.username().orElse(null), config.password().orElse(null),
                    config.scope(), configuredLimit, config.syncInterval(), config.flushInterval(), follow);
        } catch (SQLException e) {
            throw new IllegalStateException("The Iron ledger at " + url + " cannot be opened: " + e.getMessage()
                    + (url.startsWith("jdbc:h2:file:") ? " (is another process using it? Give each one its own "
                            + "quarkus.iron.ledger.path, or share a database with quarkus.iron.ledger.jdbc-url)" : "")
                    + ". To run without a durable ledger set quarkus.iron.ledger.enabled=false.", e);
        }
        if (ledger != null) {
            ledger.addSpent(opened.spentMicros());
            ledger.setLimit(opened.limitMicros());
        }
        LOG.infof("Iron ledger: %s, scope '%s', %d µ$ spent so far", url, config.scope(), opened.spentMicros());
        return new BudgetPersistence(opened.journal(), opened.unreported());
    }

    /** The embedded H2 file. WRITE_DELAY=0: a commit reaches the file at once, so a killed process loses nothing. */
    private static String embeddedUrl(Path path) {
        Path file = path.toAbsolutePath().normalize();
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create the directory of the Iron ledger " + file + ": " + e, e);
        }
        return "jdbc:h2:file:" + file + ";WRITE_DELAY=0";
    }

    @Override
    public void settled(SettledCall call) {
        if (journal != null) {
            var r = call.request();
            var u = call.usage();
            journal.record(new SpendEntry(r.id(), System.currentTimeMillis(), r.provider(), r.model(),
                    call.heldMicros(), call.costMicros(), u.inputTokens(), u.outputTokens(), u.cacheReadTokens(),
                    u.cacheWriteTokens()));
        }
    }

    /** Server mode: where the lease keeps its undelivered usage reports. */
    public BudgetLease.ReportJournal reportJournal() {
        if (journal == null) {
            return BudgetLease.ReportJournal.NONE;
        }
        return new BudgetLease.ReportJournal() {
            @Override
            public void queued(ReportRequest report) {
                journal.reportQueued(report);
            }

            @Override
            public void taken(ReportRequest report) {
                journal.reported(report.requestId());
            }
        };
    }

    /** Server mode: usage reports a previous process could not deliver. */
    public List<ReportRequest> leftOverReports() {
        return leftOverReports;
    }

    /** A limit set at run time ({@code -1} = none), kept for the next start. */
    public void limitChanged(long limitMicros) {
        if (journal != null) {
            journal.setLimit(limitMicros);
        }
    }

    /** The ledger's writer, for the runtime's other records (agents, the analytics outbox); empty when disabled. */
    public Optional<LedgerJournal> journal() {
        return Optional.ofNullable(journal);
    }

    public LedgerStatus status() {
        return journal == null ? DISABLED : journal.status();
    }

    /** Writes what is queued and closes the ledger. */
    public void close() {
        if (journal != null) {
            journal.close();
        }
    }
}
