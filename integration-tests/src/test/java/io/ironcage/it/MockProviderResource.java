package io.ironcage.it;

import java.util.Map;

import io.ironcage.runtime.mock.MockProvider;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

/**
 * Starts a mock provider on loopback that checks the real provider keys, and points the router's providers at it.
 * Tests read what it received through its {@code /mock/requests} endpoint ({@link MockRequests}).
 */
public class MockProviderResource implements QuarkusTestResourceLifecycleManager {

    static final String OPENAI_KEY = "sk-test-openai-SECRET-0123456789";
    static final String ANTHROPIC_KEY = "sk-ant-test-SECRET-9876543210";

    private Vertx vertx;
    private MockProvider mock;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        mock = new MockProvider(vertx, OPENAI_KEY, ANTHROPIC_KEY);
        mock.start(0).toCompletionStage().toCompletableFuture().join();
        String url = mock.baseUrl();
        return Map.of(
                "quarkus.iron.providers.openai.base-url", url,
                "quarkus.iron.providers.openai.api-key", OPENAI_KEY,
                "quarkus.iron.providers.anthropic.base-url", url,
                "quarkus.iron.providers.anthropic.api-key", ANTHROPIC_KEY,
                "quarkus.iron.providers.llama.base-url", url,
                "quarkus.iron.providers.llama.api-key", OPENAI_KEY,
                "mock.url", url);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
