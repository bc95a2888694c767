package io.ironcage.runtime.internal.cost;

import java.util.Objects;

/**
 * The list price of one model. Money is integer microdollars everywhere in Iron; a price is therefore an integer
 * number of <b>microdollars per million tokens</b>: $2.50 per million tokens is {@code 2_500_000}, $0.075 is
 * {@code 75_000}. Such a rate is exact for any price with at most six decimals of a dollar per million tokens,
 * which covers every published price.
 *
 * @param model the canonical model id (the key of its price-table entry), e.g. {@code claude-sonnet-4-5-20250929}
 * @param input microdollars per million uncached input tokens
 * @param output microdollars per million output tokens (reasoning tokens included)
 * @param cacheRead microdollars per million input tokens read from a prompt cache
 * @param cacheWrite microdollars per million input tokens written to a prompt cache (0 where writing is free)
 * @param maxOutputTokens the most tokens the model can generate in one answer, or 0 when unknown or not applicable
 */
public record ModelPrice(String model, long input, long output, long cacheRead, long cacheWrite, long maxOutputTokens) {

    public ModelPrice {
        Objects.requireNonNull(model, "model");
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0 || maxOutputTokens < 0) {
            throw new IllegalArgumentException("Prices and max output tokens of " + model + " must not be negative");
        }
    }
}
