package io.ironcage.it.server;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Server mode against {@link MockControlServerResource}: no direct provider keys, a 1 USD tranche, and a fast
 * background retry so that queued reports go out quickly once the server is back.
 */
public class ServerModeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.iron.providers.openai.api-key", "",
                "quarkus.iron.providers.anthropic.api-key", "",
                "quarkus.iron.key-cache-ttl", "300s",
                "quarkus.iron.lease.tranche-usd", "1",
                "quarkus.iron.lease.retry-interval", "300ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(MockControlServerResource.class));
    }
}
