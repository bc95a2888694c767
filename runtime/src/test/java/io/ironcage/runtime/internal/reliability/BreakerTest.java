package io.ironcage.runtime.internal.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

import io.ironcage.runtime.ReliabilityEvent;
import io.ironcage.runtime.config.IronRuntimeConfig.BreakerConfig;
import io.ironcage.runtime.config.IronRuntimeConfig.ReliabilityConfig;
import io.ironcage.runtime.config.IronRuntimeConfig.RetryConfig;

/**
 * A provider's breaker: closed, attempts run unguarded and their outcomes are counted; enough failures open it, and
 * then attempts are refused without running; after the delay, trial attempts close it again.
 */
class BreakerTest {

    private final List<ReliabilityEvent.Kind> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger ran = new AtomicInteger();
    private final Reliability reliability = new Reliability(new ReliabilityConfig() {
        @Override
        public RetryConfig retry() {
            return null;
        }

        @Override
        public BreakerConfig breaker() {
            return new BreakerConfig() {
                public boolean enabled() {
                    return true;
                }

                public boolean perModel() {
                    return false;
                }

                public int requestVolumeThreshold() {
                    return 4;
                }

                public double failureRatio() {
                    return 0.5;
                }

                public Duration delay() {
                    return Duration.ofMillis(200);
                }

                public int successThreshold() {
                    return 2;
                }
            };
        }

        @Override
        public Map<String, List<String>> fallbacks() {
            return Map.of();
        }
    }, e -> events.add(e.kind()));

    /** One attempt that ends as told; returns how it ended (null = fine). */
    private Throwable attempt(boolean fails) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        CompletableFuture<Void> guarded = reliability.guarded("openai", "gpt-4o", () -> {
            ran.incrementAndGet();
            return outcome;
        }).toCompletableFuture();
        if (fails) {
            outcome.completeExceptionally(new IllegalStateException("HTTP 500"));
        } else {
            outcome.complete(null);
        }
        try {
            guarded.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void opensOnFailuresRefusesWithoutRunningAndClosesAfterTrials() throws Exception {
        attempt(true);
        attempt(false);
        attempt(true);
        assertEquals(List.of(), events, "three outcomes: not enough to judge");
        attempt(false);
        assertEquals(List.of(ReliabilityEvent.Kind.BREAKER_OPEN), events, "2 of 4 failed: open");

        assertInstanceOf(CircuitBreakerOpenException.class, attempt(false));
        assertEquals(4, ran.get(), "refused without running");

        Thread.sleep(300);
        assertEquals(null, attempt(false), "a trial after the delay");
        assertEquals(null, attempt(false));
        assertEquals(List.of(ReliabilityEvent.Kind.BREAKER_OPEN, ReliabilityEvent.Kind.BREAKER_HALF_OPEN,
                ReliabilityEvent.Kind.BREAKER_CLOSED), events);
        assertEquals(6, ran.get());

        for (int i = 0; i < 3; i++) {
            assertTrue(attempt(true) instanceof IllegalStateException, "closed again: failures are the attempts' own");
        }
        assertEquals(ReliabilityEvent.Kind.BREAKER_CLOSED, events.get(events.size() - 1), "3 of 4: not judged yet");
        attempt(true);
        assertEquals(ReliabilityEvent.Kind.BREAKER_OPEN, events.get(events.size() - 1), "a fresh window opens it");
    }
}
