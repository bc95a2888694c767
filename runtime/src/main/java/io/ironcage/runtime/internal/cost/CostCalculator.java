package io.ironcage.runtime.internal.cost;

import java.math.BigInteger;
import java.util.Objects;

import io.ironcage.runtime.spi.Usage;

/**
 * Exact cost of a call in integer microdollars.
 *
 * <p>A price is in microdollars per million tokens, so the cost of a call is
 * {@code Σ tokens × rate / 1 000 000} over its four kinds of tokens. The products are summed first, exactly, and the
 * sum is divided once at the end, <b>rounding up</b> to the next whole microdollar:
 * <ul>
 * <li>no precision is lost before the single division (the reference truncated each component separately, so small
 * calls were free and every call was undercharged by up to a microdollar per component);</li>
 * <li>rounding up means no call with a non-zero usage at a non-zero price costs 0, and the recorded cost is never
 * below the true one; it exceeds it by less than one microdollar.</li>
 * </ul>
 * The arithmetic is in {@code long} with overflow checks ({@link Math#multiplyExact}); should a product or the sum
 * overflow (more than about 9.2 × 10<sup>18</sup> microdollar-tokens, e.g. 10<sup>12</sup> tokens at $75 per million),
 * the same computation is redone in {@link BigInteger}, and a cost beyond {@link Long#MAX_VALUE} microdollars (over
 * nine trillion dollars) is clamped to it, which no budget can cover. A negative token count, which only a malformed
 * answer produces, counts as zero.
 */
public final class CostCalculator {

    private CostCalculator() {
    }

    private static final long TOKENS_PER_RATE_UNIT = 1_000_000;

    /**
     * The cost of {@code usage} at {@code price}: uncached input × input rate + cache reads × cache-read rate + cache
     * writes × cache-write rate + output × output rate, in microdollars, rounded up. {@link Usage#inputTokens()} is
     * already the uncached input.
     */
    public static long costMicros(ModelPrice price, Usage usage) {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(usage, "usage");
        return micros(usage.inputTokens(), price.input(), usage.cacheReadTokens(), price.cacheRead(),
                usage.cacheWriteTokens(), price.cacheWrite(), usage.outputTokens(), price.output());
    }

    /**
     * The most a request can cost, for reserving budget before it is sent: {@code estimatedInputTokens} at the dearer
     * of the input and cache-write rates plus {@code maxOutputTokens} at the output rate, rounded up like
     * {@link #costMicros}.
     */
    public static long worstCaseMicros(ModelPrice price, long estimatedInputTokens, long maxOutputTokens) {
        Objects.requireNonNull(price, "price");
        // Input at the dearer of the plain and the cache-write rate: a request may ask to write all of it to a cache.
        long inputRate = Math.max(price.input(), price.cacheWrite());
        return micros(estimatedInputTokens, inputRate, 0, 0, 0, 0, maxOutputTokens, price.output());
    }

    private static long micros(long t1, long r1, long t2, long r2, long t3, long r3, long t4, long r4) {
        t1 = Math.max(t1, 0);
        t2 = Math.max(t2, 0);
        t3 = Math.max(t3, 0);
        t4 = Math.max(t4, 0);
        long sum;
        try {
            sum = Math.addExact(Math.addExact(Math.multiplyExact(t1, r1), Math.multiplyExact(t2, r2)),
                    Math.addExact(Math.multiplyExact(t3, r3), Math.multiplyExact(t4, r4)));
        } catch (ArithmeticException overflow) {
            return bigMicros(t1, r1, t2, r2, t3, r3, t4, r4);
        }
        long micros = sum / TOKENS_PER_RATE_UNIT;
        return sum % TOKENS_PER_RATE_UNIT == 0 ? micros : micros + 1;
    }

    private static final BigInteger BIG_UNIT = BigInteger.valueOf(TOKENS_PER_RATE_UNIT);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static long bigMicros(long t1, long r1, long t2, long r2, long t3, long r3, long t4, long r4) {
        BigInteger sum = product(t1, r1).add(product(t2, r2)).add(product(t3, r3)).add(product(t4, r4));
        BigInteger[] qr = sum.divideAndRemainder(BIG_UNIT);
        BigInteger micros = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return micros.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE : micros.longValue();
    }

    private static BigInteger product(long tokens, long rate) {
        return BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(rate));
    }
}
