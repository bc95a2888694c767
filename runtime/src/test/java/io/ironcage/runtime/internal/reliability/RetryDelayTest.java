package io.ironcage.runtime.internal.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.config.IronRuntimeConfig.BreakerConfig;
import io.ironcage.runtime.config.IronRuntimeConfig.ReliabilityConfig;
import io.ironcage.runtime.config.IronRuntimeConfig.RetryConfig;
import io.vertx.core.MultiMap;

/** When a retry waits how long: the provider's word up to a cap, else backoff with jitter, never past max-retries. */
class RetryDelayTest {

    private final Reliability reliability = new Reliability(new ReliabilityConfig() {
        @Override
        public RetryConfig retry() {
            return new RetryConfig() {
                public int maxRetries() {
                    return 3;
                }

                public Duration initialBackoff() {
                    return Duration.ofMillis(100);
                }

                public Duration maxBackoff() {
                    return Duration.ofMillis(300);
                }

                public Duration maxRetryAfter() {
                    return Duration.ofSeconds(10);
                }

                public Duration budget() {
                    return Duration.ofSeconds(60);
                }
            };
        }

        @Override
        public BreakerConfig breaker() {
            return null;
        }

        @Override
        public Map<String, List<String>> fallbacks() {
            return Map.of("a", List.of("b", "c"));
        }
    }, e -> {
    });

    private static MultiMap headers(String... nameValues) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    @Test
    void backoffDoublesWithJitterUpToItsCeiling() {
        for (int i = 0; i < 200; i++) {
            long first = reliability.retryDelayMillis(1, null);
            long second = reliability.retryDelayMillis(2, headers());
            long third = reliability.retryDelayMillis(3, null);
            assertTrue(first >= 50 && first <= 100, "first: " + first);
            assertTrue(second >= 100 && second <= 200, "second: " + second);
            assertTrue(third >= 150 && third <= 300, "third, capped: " + third);
        }
        assertEquals(-1, reliability.retryDelayMillis(4, null), "no fourth retry");
    }

    @Test
    void theProvidersRetryAfterIsHonouredUpToTheCap() {
        assertEquals(1500, reliability.retryDelayMillis(1, headers("retry-after-ms", "1500")));
        assertEquals(2000, reliability.retryDelayMillis(1, headers("retry-after", "2")));
        assertEquals(500, reliability.retryDelayMillis(1, headers("retry-after", "0.5")));
        assertEquals(-1, reliability.retryDelayMillis(1, headers("retry-after", "3600")), "longer than the cap");
        assertEquals(1500, reliability.retryDelayMillis(1, headers("retry-after-ms", "1500", "retry-after", "2")),
                "the finer one wins");
        String in3s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3));
        long dated = reliability.retryDelayMillis(1, headers("retry-after", in3s));
        assertTrue(dated > 1000 && dated <= 3000, "an HTTP date: " + dated);
        long unreadable = reliability.retryDelayMillis(1, headers("retry-after", "soon"));
        assertTrue(unreadable >= 50 && unreadable <= 100, "unreadable: backoff instead");
    }

    @Test
    void fallbacksAreListedInOrder() {
        assertEquals(List.of("b", "c"), reliability.fallbacks("a"));
        assertEquals(List.of(), reliability.fallbacks("z"));
        assertEquals(List.of(), reliability.fallbacks(null));
    }
}
