package io.ironcage.runtime;

/**
 * Fired (as an asynchronous CDI event) when settled spend crosses one of {@code quarkus.iron.budget.alert-thresholds}
 * of the limit. Observe it with {@code @ObservesAsync BudgetAlert alert}.
 *
 * @param threshold the fraction crossed, e.g. {@code 0.8}
 * @param status the budget just after the crossing
 */
public record BudgetAlert(double threshold, BudgetStatus status) {
}
