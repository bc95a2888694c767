package io.ironcage.runtime.internal.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.spi.Usage;

class CostCalculatorTest {

    private static final PriceTable TABLE = PriceTable.load(Optional.empty());

    private static ModelPrice price(String model) {
        return TABLE.find(model).orElseThrow();
    }

    @Test
    void referenceAnchor() {
        // gpt-5.1, 1000 in / 500 out: 1000 x $1.25/M + 500 x $10/M = $0.00625
        assertEquals(6250, CostCalculator.costMicros(price("gpt-5.1"), new Usage(1000, 500, 0, 0)));
        assertEquals(0, CostCalculator.costMicros(price("gpt-5.1"), Usage.NONE));
    }

    @Test
    void cacheReadsAndWritesArePricedAtTheirOwnRates() {
        ModelPrice sonnet = price("claude-sonnet-4-5"); // 3 / 15, read 0.30, write 3.75
        // 1000 x 3 + 2000 x 0.30 + 4000 x 3.75 + 500 x 15 = 3000 + 600 + 15000 + 7500 micro-dollars
        assertEquals(26_100, CostCalculator.costMicros(sonnet, new Usage(1000, 500, 2000, 4000)));
        assertEquals(600, CostCalculator.costMicros(sonnet, new Usage(0, 0, 2000, 0)));
        assertEquals(15_000, CostCalculator.costMicros(sonnet, new Usage(0, 0, 0, 4000)));

        ModelPrice gpt4o = price("gpt-4o"); // 2.50 / 10, cached 1.25
        // OpenAI usage of 2006 prompt tokens with 1920 cached: 86 uncached
        // 86 x 2.50 + 1920 x 1.25 + 300 x 10 = 215 + 2400 + 3000
        assertEquals(5615, CostCalculator.costMicros(gpt4o, new Usage(86, 300, 1920, 0)));
    }

    @Test
    void roundsTheExactSumUpOnce() {
        ModelPrice mini = price("gpt-4o-mini"); // 0.15 / 0.60 per M = 0.15 / 0.6 micro-dollars per token
        assertEquals(1, CostCalculator.costMicros(mini, new Usage(1, 0, 0, 0)), "0.15 rounds up, never free");
        assertEquals(1, CostCalculator.costMicros(mini, new Usage(1, 1, 0, 0)), "0.75: summed before rounding");
        assertEquals(2, CostCalculator.costMicros(mini, new Usage(7, 0, 0, 0)), "1.05");
        assertEquals(3, CostCalculator.costMicros(mini, new Usage(20, 0, 0, 0)), "exactly 3");
        assertEquals(1, CostCalculator.costMicros(price("gpt-5-nano"), new Usage(0, 0, 1, 0)), "0.005");
        assertEquals(1, CostCalculator.costMicros(new ModelPrice("m", 1, 1, 1, 1, 0), new Usage(1, 1, 1, 1)));
        assertEquals(0, CostCalculator.costMicros(new ModelPrice("free", 0, 0, 0, 0, 0), new Usage(5, 5, 5, 5)));
    }

    @Test
    void negativeCountsCountAsZero() {
        assertEquals(10_000, CostCalculator.costMicros(price("gpt-5.1"), new Usage(-5, 1000, -1, -1)));
    }

    @Test
    void bigNumbersDoNotOverflow() {
        ModelPrice opus = price("claude-opus-4-1"); // output 75 000 000 micro-dollars per M
        // 10^12 output tokens: the product 7.5 x 10^19 exceeds a long, the cost (7.5 x 10^13) does not
        assertEquals(75_000_000_000_000L, CostCalculator.costMicros(opus, new Usage(0, 1_000_000_000_000L, 0, 0)));
        // every field large: 10^12 x (15 + 75 + 1.5 + 18.75) x 10^6 / 10^6
        assertEquals(110_250_000_000_000L, CostCalculator.costMicros(opus,
                new Usage(1_000_000_000_000L, 1_000_000_000_000L, 1_000_000_000_000L, 1_000_000_000_000L)));
        // rounding up still applies on the wide path: 3 x (4 x 10^18 + 1) / 10^6 = 1.2 x 10^13 remainder 3
        assertEquals(12_000_000_000_001L,
                CostCalculator.costMicros(new ModelPrice("m", 3, 0, 0, 0, 0), new Usage(4_000_000_000_000_000_001L, 0, 0, 0)));
        // beyond nine trillion dollars the cost saturates rather than wrapping negative
        assertEquals(Long.MAX_VALUE, CostCalculator.costMicros(opus, new Usage(0, Long.MAX_VALUE, 0, 0)));
        assertEquals(Long.MAX_VALUE,
                CostCalculator.worstCaseMicros(opus, Long.MAX_VALUE, Long.MAX_VALUE));
        // near the top of the long path: 9 x 10^12 tokens x 10^6 = 9 x 10^18
        assertEquals(9_000_000_000_000L,
                CostCalculator.costMicros(new ModelPrice("m", 1_000_000, 0, 0, 0, 0), new Usage(9_000_000_000_000L, 0, 0, 0)));
    }

    @Test
    void worstCasePricesInputAtTheDearerOfInputAndCacheWriteAndTheMaxOutput() {
        ModelPrice gpt51 = price("gpt-5.1");
        assertEquals(6250, CostCalculator.worstCaseMicros(gpt51, 1000, 500));
        // 2000 estimated input, model max 128 000 output: 2000 x 1.25 + 128 000 x 10
        assertEquals(2500 + 1_280_000, CostCalculator.worstCaseMicros(gpt51, 2000, gpt51.maxOutputTokens()));
        ModelPrice sonnet = price("claude-sonnet-4-20250514");
        // Anthropic: input at the cache-write rate ($3.75), since the request may write it all to a cache
        assertEquals(375 + 960_000, CostCalculator.worstCaseMicros(sonnet, 100, 64_000));
        assertEquals(1, CostCalculator.worstCaseMicros(price("gpt-5-nano"), 1, 0));
        assertEquals(0, CostCalculator.worstCaseMicros(gpt51, 0, 0));
        // embeddings have no output price
        assertEquals(20, CostCalculator.worstCaseMicros(price("text-embedding-3-small"), 1000, 128_000));
    }
}
