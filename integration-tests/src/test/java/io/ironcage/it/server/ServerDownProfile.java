package io.ironcage.it.server;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Server mode with a control server that is not there (nothing listens on port 1). */
public class ServerDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.iron.server-url", "http://127.0.0.1:1",
                "quarkus.iron.providers.openai.api-key", "",
                "quarkus.iron.providers.anthropic.api-key", "",
                "quarkus.iron.lease.startup-wait", "5s",
                "quarkus.iron.lease.retry-interval", "1s");
    }
}
