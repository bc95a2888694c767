package io.ironcage.runtime.internal.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.ironcage.runtime.ReliabilityEvent;
import io.micrometer.core.instrument.MeterRegistry;
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

    public void reliability(ReliabilityEvent event) {
        registry.counter("iron.reliability.events", "kind", event.kind().name(), "provider",
                event.provider(), "model", event.model() == null ? "" : event.model()).increment();
    }

    /** A PII value found ({@code direction}: request or response). Never the value. */
    public void pii(String agent, String kind, String direction) {
        registry.counter("iron.pii.detections", "agent", agent, "kind", kind, "direction", direction).increment();
    }
}
