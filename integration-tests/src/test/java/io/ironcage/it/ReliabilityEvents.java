package io.ironcage.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import io.ironcage.runtime.ReliabilityEvent;

/** Collects the router's reliability events, as an application observing them would. */
@ApplicationScoped
public class ReliabilityEvents {

    private final List<ReliabilityEvent> seen = new CopyOnWriteArrayList<>();

    void on(@ObservesAsync ReliabilityEvent event) {
        seen.add(event);
    }

    public List<ReliabilityEvent> about(String model) {
        return seen.stream().filter(e -> model.equals(e.model())).toList();
    }
}
