package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.ironcage.runtime.config.IronRuntimeConfig;
import io.ironcage.runtime.internal.provider.Provider;
import io.ironcage.runtime.internal.provider.ProviderRegistry;
import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.Vertx;

class RouteTest {

    private static Vertx vertx;
    private static ProviderRegistry providers;

    /** A config interface answering from a map of method name to value (no SmallRye Config needed). */
    @SuppressWarnings("unchecked")
    private static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    return type.getSimpleName() + values;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
                    }
                    return values.get(method.getName());
            }
        });
    }

    @BeforeAll
    static void registry() {
        vertx = Vertx.vertx();
        IronRuntimeConfig.ProviderConfig groq = config(IronRuntimeConfig.ProviderConfig.class, Map.of(
                "baseUrl", Optional.of("https://api.groq.com/openai"), "apiKey", Optional.of("gsk_test"),
                "models", Optional.of(List.of("llama-"))));
        IronRuntimeConfig.RouterConfig router = config(IronRuntimeConfig.RouterConfig.class, Map.of(
                "connectTimeout", Duration.ofSeconds(1), "maxConnectionsPerProvider", 2));
        IronRuntimeConfig config = config(IronRuntimeConfig.class, Map.of("token", Optional.empty(),
                "defaultProvider", Optional.empty(), "router", router, "providers", Map.of("groq", groq)));
        providers = new ProviderRegistry(vertx, config, List.of(), null, name -> null);
    }

    @AfterAll
    static void close() {
        if (providers != null) {
            providers.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static void assertRoute(String raw, String forcedId, String path, Dialect dialect, boolean isChat) {
        Route route = Route.of(raw, providers);
        if (forcedId == null) {
            assertNull(route.forcedProvider(), raw);
        } else {
            Provider expected = providers.byId(forcedId);
            assertNotNull(expected, forcedId);
            assertSame(expected, route.forcedProvider(), raw);
        }
        assertEquals(path, route.path(), raw);
        assertEquals(dialect, route.dialect(), raw);
        assertEquals(isChat, route.isChat(), raw);
    }

    @Test
    void plainChatPathsGiveTheClientDialect() {
        assertRoute("/v1/chat/completions", null, "/v1/chat/completions", Dialect.OPENAI, true);
        assertRoute("/v1/messages", null, "/v1/messages", Dialect.ANTHROPIC, true);
    }

    @Test
    void otherV1PathsDefaultToOpenAi() {
        assertRoute("/v1/models", null, "/v1/models", Dialect.OPENAI, false);
        assertRoute("/v1/embeddings", null, "/v1/embeddings", Dialect.OPENAI, false);
        assertRoute("/v1/messages/count_tokens", null, "/v1/messages/count_tokens", Dialect.OPENAI, false);
        assertRoute("/v1", null, "/v1", Dialect.OPENAI, false);
    }

    @Test
    void providerPrefixIsStrippedAndForcesTheProvider() {
        assertRoute("/openai/v1/chat/completions", "openai", "/v1/chat/completions", Dialect.OPENAI, true);
        assertRoute("/anthropic/v1/messages", "anthropic", "/v1/messages", Dialect.ANTHROPIC, true);
        assertRoute("/groq/v1/chat/completions", "groq", "/v1/chat/completions", Dialect.OPENAI, true);
    }

    @Test
    void chatPathDialectIsTheClientsEvenUnderAnotherProvidersPrefix() {
        assertRoute("/anthropic/v1/chat/completions", "anthropic", "/v1/chat/completions", Dialect.OPENAI, true);
        assertRoute("/openai/v1/messages", "openai", "/v1/messages", Dialect.ANTHROPIC, true);
    }

    @Test
    void nonChatPathUnderAPrefixTakesTheProvidersDialect() {
        assertRoute("/anthropic/v1/models", "anthropic", "/v1/models", Dialect.ANTHROPIC, false);
        assertRoute("/openai/v1/models", "openai", "/v1/models", Dialect.OPENAI, false);
        assertRoute("/groq/v1/models", "groq", "/v1/models", Dialect.OPENAI, false);
    }

    @Test
    void prefixAlone() {
        assertRoute("/anthropic", "anthropic", "/", Dialect.ANTHROPIC, false);
        assertRoute("/openai/", "openai", "/", Dialect.OPENAI, false);
    }

    @Test
    void unknownOrMisplacedPrefixesAreLeftAlone() {
        assertRoute("/mistral/v1/chat/completions", null, "/mistral/v1/chat/completions", Dialect.OPENAI, false);
        assertRoute("/OpenAI/v1/chat/completions", null, "/OpenAI/v1/chat/completions", Dialect.OPENAI, false);
        assertRoute("/v1/openai/chat/completions", null, "/v1/openai/chat/completions", Dialect.OPENAI, false);
        assertRoute("/unknown", null, "/unknown", Dialect.OPENAI, false);
        assertRoute("//v1/chat/completions", null, "//v1/chat/completions", Dialect.OPENAI, false);
    }

    @Test
    void chatPathsAreMatchedExactly() {
        assertRoute("/v1/chat/completions/", null, "/v1/chat/completions/", Dialect.OPENAI, false);
        assertRoute("/v1/Messages", null, "/v1/Messages", Dialect.OPENAI, false);
        assertRoute("/anthropic/v1/messages/", "anthropic", "/v1/messages/", Dialect.ANTHROPIC, false);
        assertFalse(Route.of("/v1/chat/completion", providers).isChat());
        assertTrue(Route.of("/openai/v1/chat/completions", providers).isChat());
    }
}
