package io.ironcage.runtime.internal.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ironcage.runtime.ReliabilityEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The router's meters (Micrometer, exported by whatever registry the application adds): the time spent in the router
 * per call, reliability events, PII detections. Calls and detections are tagged with their agent (the one whose IC
 * token they carried) so that one dashboard can tell agents apart; breakers and retries concern providers.
 */
public final class RouterMetrics {

    private final MeterRegistry registry;
    /** One timer per agent and provider, looked up once: building a meter per call costs more than the call. */
    private final Map<String, Map<String, Timer>> overheads = new ConcurrentHashMap<>();
    /** Per provider and model (empty for a provider's breaker): the value its state gauge reads. */
    private final Map<List<String>, AtomicInteger> breakerStates = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The router's own time for a call ({@code x-iron-overhead-ms}): not the wait on the provider. */
    public void overhead(String agent, String provider, long nanos) {
        overheads.computeIfAbsent(agent, a -> new ConcurrentHashMap<>()).computeIfAbsent(provider, p -> Timer
                .builder("iron.router.overhead")
                .description("Time a call spent in the router, provider wait excluded")
                .tags("agent", agent, "provider", provider).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Counts the event; a breaker's change of state also sets its gauge {@code iron.breaker.state} (0 closed, 1
     * half-open, 2 open), which appears with the breaker's first change. The breakers' SmallRye guards record no
     * metrics of their own: theirs cost about 1 µs per call.
     */
    public void reliability(ReliabilityEvent event) {
        String model = event.model() == null ? "" : event.model();
        registry.counter("iron.reliability.events", "kind", event.kind().name(), "provider",
                event.provider(), "model", model).increment();
        int state = switch (event.kind()) {
            case BREAKER_CLOSED -> 0;
            case BREAKER_HALF_OPEN -> 1;
            case BREAKER_OPEN -> 2;
            default -> -1;
        };
        if (state >= 0) {
            breakerStates.computeIfAbsent(List.of(event.provider(), model), key -> registry.gauge(
                    "iron.breaker.state", Tags.of("provider", event.provider(), "model", model), new AtomicInteger()))
                    .set(state);
        }
    }

    /** A PII value found ({@code direction}: request or response). Never the value. */
    public void pii(String agent, String kind, String direction) {
        registry.counter("iron.pii.detections", "agent", agent, "kind", kind, "direction", direction).increment();
    }
}
