package io.ironcage.runtime.internal.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.ironcage.runtime.ReliabilityEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The router's meters (Micrometer, exported by whatever registry the application adds): the time spent in the router
 * per call, reliability events, PII detections. Tagged with the agent (from its IC token) so that one dashboard can
 * tell agents apart.
 */
public final class RouterMetrics {

    private final MeterRegistry registry;
    private final String agent;
    /** One timer per provider, looked up once: building and registering a meter per call costs more than the call. */
    private final Map<String, Timer> overheads = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry, String agent) {
        this.registry = registry;
        this.agent = agent;
    }

    /** The router's own time for a call ({@code x-iron-overhead-ms}): not the wait on the provider. */
    public void overhead(String provider, long nanos) {
        overheads.computeIfAbsent(provider, p -> Timer.builder("iron.router.overhead")
                .description("Time a call spent in the router, provider wait excluded").tags("agent", agent, "provider", p)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void reliability(ReliabilityEvent event) {
        registry.counter("iron.reliability.events", "agent", agent, "kind", event.kind().name(), "provider",
                event.provider(), "model", event.model() == null ? "" : event.model()).increment();
    }

    /** A PII value found ({@code direction}: request or response). Never the value. */
    public void pii(String kind, String direction) {
        registry.counter("iron.pii.detections", "agent", agent, "kind", kind, "direction", direction).increment();
    }
}
