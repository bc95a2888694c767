package io.ironcage.runtime.internal.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
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
    private final Reliability reliability = reliability(4, Duration.ofMillis(200), e -> events.add(e.kind()));

    /** A router's reliability with a breaker per provider: ratio 0.5 over {@code window} calls, 2 trials. */
    private static Reliability reliability(int window, Duration delay, Consumer<ReliabilityEvent> events) {
        return reliability(window, 0.5, delay, events);
    }

    private static Reliability reliability(int window, double ratio, Duration delay,
            Consumer<ReliabilityEvent> events) {
        return new Reliability(new ReliabilityConfig() {
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
                        return window;
                    }

                    public double failureRatio() {
                        return ratio;
                    }

                    public Duration delay() {
                        return delay;
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
        }, events);
    }

    /** One attempt that ends as told; returns how it ended (null = fine). */
    private Throwable attempt(boolean fails) {
        return attempt(reliability, fails);
    }

    private Throwable attempt(Reliability reliability, boolean fails) {
        return attempt(reliability, "openai", fails);
    }

    private Throwable attempt(Reliability reliability, String provider, boolean fails) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        CompletableFuture<Void> guarded = reliability.guarded(provider, "gpt-4o", () -> {
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

    /**
     * A router started again in the same JVM (dev mode's live reload, a test's second router) has breakers of its own
     * that work: SmallRye refuses a second breaker of the same name, which would have left the new one dead.
     */
    @Test
    void aSecondRoutersBreakersAreItsOwnAndWork() {
        List<ReliabilityEvent.Kind> before = new CopyOnWriteArrayList<>();
        Reliability first = reliability(4, Duration.ofMinutes(10), e -> before.add(e.kind()));
        for (int i = 0; i < 4; i++) {
            attempt(first, "same-provider", true);
        }
        assertEquals(List.of(ReliabilityEvent.Kind.BREAKER_OPEN), before);
        Reliability second = reliability(4, Duration.ofMinutes(10), e -> events.add(e.kind()));
        assertEquals(null, attempt(second, "same-provider", false), "a new router's breaker starts closed");
        for (int i = 0; i < 3; i++) {
            attempt(second, "same-provider", true);
        }
        assertEquals(List.of(ReliabilityEvent.Kind.BREAKER_OPEN), events, "and opens on its own failures");
        assertInstanceOf(CircuitBreakerOpenException.class, attempt(second, "same-provider", false));
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

    /** A failure long ago is out of the window: after a run of successes, one failure does not open the breaker. */
    @Test
    void aRunOfSuccessesPushesOldFailuresOutOfTheWindow() {
        List<Integer> opened = new ArrayList<>();
        Reliability r = reliability(4, Duration.ofMinutes(10), e -> opened.add(e.kind().ordinal()));
        boolean[] outcomes = { true, false, false, false, false, false, true, true };
        for (int i = 0; i < outcomes.length; i++) {
            attempt(r, "pushed-out", outcomes[i]);
            assertEquals(i < 7 ? List.of() : List.of(ReliabilityEvent.Kind.BREAKER_OPEN.ordinal()), opened,
                    "after call " + i + ": F S S S S S F F, a window of 4 at 50%");
        }
    }

    /**
     * Successes are not all recorded (see Reliability.Breaker): the breaker must still open at exactly the call a
     * guard that was told every outcome opens at, whatever the mix of long runs of successes and failures.
     */
    @Test
    void opensAtTheSameCallAsAGuardToldEveryOutcome() {
        int openings = 0;
        for (int seed = 0; seed < 400; seed++) {
            Random random = new Random(seed);
            int window = 2 + random.nextInt(8);
            double ratio = new double[] { 0.25, 0.5, 0.75 }[random.nextInt(3)];
            double failureRate = new double[] { 0.1, 0.2, 0.4 }[random.nextInt(3)];
            List<Integer> opened = new ArrayList<>();
            AtomicInteger call = new AtomicInteger();
            Reliability tested = reliability(window, ratio, Duration.ofMinutes(10), e -> {
                if (e.kind() == ReliabilityEvent.Kind.BREAKER_OPEN) {
                    opened.add(call.get());
                }
            });
            List<Integer> expected = new ArrayList<>();
            Guard control = Guard.create().withCircuitBreaker().requestVolumeThreshold(window).failureRatio(ratio)
                    .delay(10, ChronoUnit.MINUTES).successThreshold(2)
                    .onStateChange(state -> {
                        if (state == CircuitBreakerState.OPEN) {
                            expected.add(call.get());
                        }
                    }).done().withThreadOffload(false).build();
            boolean stormy = false; // calm spells (no failures) and stormy ones, of random lengths
            for (int i = 0; i < 300 && opened.isEmpty(); i++) {
                stormy ^= random.nextInt(stormy ? 3 : 8) == 0;
                boolean fails = stormy && random.nextDouble() < failureRate;
                call.set(i);
                attempt(tested, "p-" + seed, fails);
                try {
                    control.call(() -> {
                        if (fails) {
                            throw new IllegalStateException("HTTP 500");
                        }
                        return null;
                    }, Void.class);
                } catch (Exception counted) {
                    // the failure itself
                }
            }
            assertEquals(expected.isEmpty() ? List.of() : expected.subList(0, 1), opened, "seed " + seed);
            openings += opened.size();
        }
        assertTrue(openings > 100, "many sequences open the breaker: " + openings);
    }
}
