package io.ironcage.runtime;

/**
 * The router's budget in integer microdollars ({@code 1 USD = 1_000_000}).
 *
 * @param spentMicros settled spend
 * @param reservedMicros held for calls in flight
 * @param limitMicros the limit, or {@code -1} when none is set
 */
public record BudgetStatus(long spentMicros, long reservedMicros, long limitMicros) {

    public boolean limited() {
        return limitMicros >= 0;
    }

    public double spentUsd() {
        return spentMicros / 1e6;
    }

    /** The limit in USD, or {@code NaN} when none is set. */
    public double limitUsd() {
        return limited() ? limitMicros / 1e6 : Double.NaN;
    }
}
