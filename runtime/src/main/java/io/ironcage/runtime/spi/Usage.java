package io.ironcage.runtime.spi;

/**
 * Tokens used by one call, normalised across dialects.
 *
 * @param inputTokens input tokens that were neither read from nor written to a prompt cache
 * @param outputTokens generated tokens (including reasoning tokens)
 * @param cacheReadTokens input tokens read from a prompt cache
 * @param cacheWriteTokens input tokens written to a prompt cache
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {

    public static final Usage NONE = new Usage(0, 0, 0, 0);

    /** All input tokens, cached or not. */
    public long totalInputTokens() {
        return inputTokens + cacheReadTokens + cacheWriteTokens;
    }

    /** This usage with each field replaced by {@code other}'s where {@code other}'s is non-zero (stream updates). */
    public Usage updatedBy(Usage other) {
        return new Usage(
                other.inputTokens != 0 ? other.inputTokens : inputTokens,
                other.outputTokens != 0 ? other.outputTokens : outputTokens,
                other.cacheReadTokens != 0 ? other.cacheReadTokens : cacheReadTokens,
                other.cacheWriteTokens != 0 ? other.cacheWriteTokens : cacheWriteTokens);
    }
}
