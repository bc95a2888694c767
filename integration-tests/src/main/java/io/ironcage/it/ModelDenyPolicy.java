package io.ironcage.it;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.ironcage.runtime.spi.CallOutcome;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.PolicyDecision;
import io.ironcage.runtime.spi.RouterRequest;

/**
 * A policy plugin as a user writes one: refuses models on a deny list (from config) and counts finished calls.
 */
public class ModelDenyPolicy implements Policy {

    @ConfigProperty(name = "demo.denied-models")
    Optional<List<String>> deniedModels;

    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicReference<CallOutcome> lastOutcome = new AtomicReference<>();

    @Override
    public PolicyDecision onRequest(RouterRequest request) {
        if (request.model() != null && deniedModels.orElse(List.of()).contains(request.model())) {
            return PolicyDecision.reject(403, "model_denied",
                    "The model '" + request.model() + "' is not allowed for agents of this app.");
        }
        return PolicyDecision.proceed();
    }

    @Override
    public void onComplete(RouterRequest request, CallOutcome outcome) {
        completed.incrementAndGet();
        lastOutcome.set(outcome);
    }

    public int completedCalls() {
        return completed.get();
    }

    public CallOutcome lastOutcome() {
        return lastOutcome.get();
    }
}
