package io.ironcage.it.pii;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import io.ironcage.runtime.PiiDetection;

/** Collects the PII guard's events, as an application observing them would. */
@ApplicationScoped
public class PiiEvents {

    private final List<PiiDetection> seen = new CopyOnWriteArrayList<>();

    void on(@ObservesAsync PiiDetection detection) {
        seen.add(detection);
    }

    public List<PiiDetection> of(String callId) {
        return seen.stream().filter(d -> callId.equals(d.callId())).toList();
    }
}
