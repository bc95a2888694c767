package io.ironcage.runtime;

/**
 * The durable ledger, as {@link LlmRouter#ledgerStatus()} reports it.
 *
 * @param store where spend is kept ({@code jdbc:h2:file:…} or the configured JDBC URL, no credentials), or
 *        {@code "disabled"}
 * @param persistedSpentMicros the scope's total spend as last written or read (other instances' included)
 * @param persistedCalls how many settled calls that total counts
 * @param pendingWrites settled calls and changes not written yet (0 once everything is on disk)
 * @param lastError why the last write failed, while writes are failing; else {@code null}
 */
public record LedgerStatus(String store, long persistedSpentMicros, long persistedCalls, int pendingWrites,
        String lastError) {

    public boolean enabled() {
        return !"disabled".equals(store);
    }
}
