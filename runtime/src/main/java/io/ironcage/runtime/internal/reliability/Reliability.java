package io.ironcage.runtime.internal.reliability;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;

import org.jboss.logging.Logger;

import io.ironcage.runtime.ReliabilityEvent;
import io.ironcage.runtime.config.IronRuntimeConfig.BreakerConfig;
import io.ironcage.runtime.config.IronRuntimeConfig.ReliabilityConfig;
import io.ironcage.runtime.config.IronRuntimeConfig.RetryConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.core.MultiMap;

/**
 * The reliability settings of the router: circuit breakers per provider (SmallRye Fault Tolerance guards, one per
 * provider or per provider and model; see {@link Breaker} for how a closed one stays off the hot path), when and
 * how long to wait before a retry, and the fallback models. The attempts themselves are driven by the call
 * ({@code Exchange}), which alone knows whether anything reached the client yet.
 */
public final class Reliability {

    private static final Logger LOG = Logger.getLogger(Reliability.class);
    private static final TypeLiteral<CompletionStage<Void>> ATTEMPT = new TypeLiteral<>() {
    };

    private final RetryConfig retry;
    private final BreakerConfig breaker;
    private final Map<String, List<String>> fallbacks;
    private final Consumer<ReliabilityEvent> events;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

    /**
     * A provider's (or model's) breaker: a SmallRye Fault Tolerance guard, and its state as the guard last reported
     * it. While it is closed, an attempt runs unguarded and its outcome is recorded through the guard synchronously
     * when it ends: the guard's asynchronous path costs an event-loop task per call (about a fifth of the router's
     * throughput), and a closed breaker has nothing to refuse. Open or half-open, attempts go through the guard,
     * which refuses them or lets its trial calls through.
     *
     * <p>The guard judges the last {@code request-volume-threshold} outcomes (a window counted in calls). Once that
     * many successes in a row are in it, one more success changes nothing the guard can see, so it is not recorded
     * until a failure comes: most calls then cost a read of a counter instead of a guard invocation.
     */
    private static final class Breaker {
        final Guard guard;
        final int window;
        volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
        /** Successes recorded in a row since the last failure or since the breaker last closed (up to window). */
        final AtomicInteger successesInARow = new AtomicInteger();

        Breaker(Guard guard, int window) {
            this.guard = guard;
            this.window = window;
        }

        void changed(CircuitBreakerState to) {
            state = to;
            successesInARow.set(0); // closing starts a new, empty window
        }

        CompletionStage<Void> run(Supplier<CompletionStage<Void>> attempt) {
            if (state != CircuitBreakerState.CLOSED) {
                return guard.get(attempt, ATTEMPT);
            }
            CompletionStage<Void> outcome = attempt.get();
            outcome.whenComplete((ok, failure) -> record(failure));
            return outcome;
        }

        /** Records an outcome in the breaker's window (refused, and so not counted, if it opened meanwhile). */
        private void record(Throwable failure) {
            if (failure != null) {
                successesInARow.set(0);
            } else if (successesInARow.get() >= window || successesInARow.incrementAndGet() > window) {
                return; // the window holds nothing but successes: one more is the same window
            }
            try {
                guard.call(() -> {
                    if (failure != null) {
                        throw new AttemptFailed();
                    }
                    return null;
                }, Void.class);
            } catch (Exception counted) {
                // the failure itself, or the breaker is open: nothing more to do
            }
        }
    }

    /** What the guard counts as a failed attempt. */
    private static final class AttemptFailed extends Exception {
        AttemptFailed() {
            super(null, null, false, false);
        }
    }

    public Reliability(ReliabilityConfig config, Consumer<ReliabilityEvent> events) {
        this.retry = config.retry();
        this.breaker = config.breaker();
        this.fallbacks = Map.copyOf(config.fallbacks());
        this.events = events;
    }

    /**
     * Runs one upstream attempt through the breaker of its provider (and model). The attempt's stage fails when the
     * attempt failed in a way that counts (5xx, connect error, timeout). The returned stage fails at once with a
     * {@code CircuitBreakerOpenException}, without running the attempt, when the breaker is open.
     */
    public CompletionStage<Void> guarded(String provider, String model, Supplier<CompletionStage<Void>> attempt) {
        if (!breaker.enabled()) {
            return attempt.get();
        }
        String key = breaker.perModel() && model != null ? provider + "/" + model : provider;
        return breakers.computeIfAbsent(key, k -> newBreaker(provider, breaker.perModel() ? model : null))
                .run(attempt);
    }

    private Breaker newBreaker(String provider, String model) {
        Breaker[] created = new Breaker[1];
        int window = breaker.requestVolumeThreshold();
        // No description: the guard then records no metrics of its own (about 1 µs per call); the router's
        // iron.breaker.state gauge and iron.reliability.events counter report the breaker (RouterMetrics). No name
        // either: SmallRye keeps names JVM-wide and refuses every call of a second breaker of the same name, which
        // a router started again in the same JVM (dev mode's live reload) would create.
        created[0] = new Breaker(Guard.create()
                .withCircuitBreaker()
                .requestVolumeThreshold(window)
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                .onStateChange(state -> {
                    created[0].changed(state);
                    breakerChanged(state, provider, model);
                })
                .done()
                .withThreadOffload(false)
                .build(), window);
        return created[0];
    }

    private void breakerChanged(CircuitBreakerState state, String provider, String model) {
        ReliabilityEvent.Kind kind = switch (state) {
            case OPEN -> ReliabilityEvent.Kind.BREAKER_OPEN;
            case HALF_OPEN -> ReliabilityEvent.Kind.BREAKER_HALF_OPEN;
            case CLOSED -> ReliabilityEvent.Kind.BREAKER_CLOSED;
        };
        String subject = model == null ? "provider '" + provider + "'" : "model '" + model + "' of '" + provider + "'";
        if (state == CircuitBreakerState.OPEN) {
            LOG.warnf("Circuit breaker of %s opened: calls are refused (or fall back) for %d ms", subject,
                    breaker.delay().toMillis());
        } else {
            LOG.infof("Circuit breaker of %s is now %s", subject, state);
        }
        events.accept(new ReliabilityEvent(kind, provider, model, null, state.name()));
    }

    /**
     * How long to wait before retry number {@code retry} (1 for the first), or {@code -1} when there is none: too
     * many already, or the provider asks for a longer wait than {@code max-retry-after}. A provider's
     * {@code retry-after-ms} / {@code retry-after} is honoured; otherwise exponential backoff with full jitter.
     *
     * @param answer the failed answer's headers, or {@code null} when there was no answer
     */
    public long retryDelayMillis(int retry, MultiMap answer) {
        if (retry > this.retry.maxRetries()) {
            return -1;
        }
        long asked = answer == null ? -1 : RetryAfter.millis(answer);
        if (asked >= 0) {
            return asked <= this.retry.maxRetryAfter().toMillis() ? asked : -1;
        }
        long ceiling = Math.min(this.retry.maxBackoff().toMillis(),
                this.retry.initialBackoff().toMillis() << Math.min(retry - 1, 20));
        return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }

    /** Time a call may spend before no more retry is started. */
    public long retryBudgetNanos() {
        return retry.budget().toNanos();
    }

    /** The fallback models of {@code model}, in order (empty when none). */
    public List<String> fallbacks(String model) {
        return model == null ? List.of() : fallbacks.getOrDefault(model, List.of());
    }

    /** What an open breaker tells the client to wait, in seconds. */
    public long breakerRetryAfterSeconds() {
        return Math.max(1, (breaker.delay().toMillis() + 999) / 1000);
    }

    public void event(ReliabilityEvent event) {
        events.accept(event);
    }
}
