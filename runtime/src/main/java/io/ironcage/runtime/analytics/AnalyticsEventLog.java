package io.ironcage.runtime.analytics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.ironcage.runtime.spi.CallOutcome;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.RouterRequest;

/**
 * Records an analytics event for every call the router finishes. Exists only when analytics is built in
 * ({@code quarkus.iron.analytics.enabled}, the {@code analytics} and {@code full} profiles). Events are kept in memory
 * (the most recent {@value #CAPACITY}); the durable outbox and the sync to the control server build on this.
 */
@Singleton
public class AnalyticsEventLog implements Policy {

    static final int CAPACITY = 10_000;
    private final ArrayDeque<AnalyticsEvent> events = new ArrayDeque<>();

    /** Runs after every other policy, so it records the call as the others left it. */
    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void onComplete(RouterRequest request, CallOutcome outcome) {
        boolean ok = outcome.succeeded();
        record(new AnalyticsEvent(ok ? AnalyticsEvent.COMPLETED : AnalyticsEvent.FAILED, Instant.now(), request.id(),
                request.provider(), request.model(), outcome.usage().totalInputTokens(), outcome.usage().outputTokens(),
                outcome.status(), ok ? null : outcome.error() != null ? outcome.error() : "HTTP " + outcome.status()));
    }

    /** The recorded events, oldest first. */
    public synchronized List<AnalyticsEvent> events() {
        return new ArrayList<>(events);
    }

    private synchronized void record(AnalyticsEvent event) {
        if (events.size() == CAPACITY) {
            events.removeFirst();
        }
        events.addLast(event);
    }
}
