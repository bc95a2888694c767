package io.ironcage.runtime.internal.provider;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.ironcage.runtime.config.IronRuntimeConfig;
import io.ironcage.runtime.config.IronRuntimeConfig.ProviderConfig;
import io.ironcage.runtime.internal.server.ServerKeyCache;
import io.ironcage.runtime.spi.ProviderAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * The providers the router can reach, and the rule that picks one for a call: path prefix, then model, then the
 * format of the configured key, then {@code quarkus.iron.default-provider}.
 */
public final class ProviderRegistry {

    private static final Map<String, String> KEY_ENV = Map.of(OpenAiAdapter.ID, "OPENAI_API_KEY",
            AnthropicAdapter.ID, "ANTHROPIC_API_KEY");

    /** Custom providers first, so that what a user configured or plugged in wins over the built-in prefixes. */
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Provider keyProvider;
    private final Provider defaultProvider;
    /** Server mode: where the keys of {@code openai} and {@code anthropic} come from; {@code null} in direct mode. */
    private final ServerKeyCache serverKeys;
    private final Vertx vertx;
    private final IronRuntimeConfig config;
    /** Server mode: pools for base URLs the control server named. */
    private final Map<URI, UpstreamPool> serverClients = new ConcurrentHashMap<>();

    /**
     * @param plugins adapters discovered in the application
     * @param mockBaseUrl base URL of the built-in mock, or {@code null} when it is not running
     * @param env reads environment variables (a seam for tests)
     */
    public ProviderRegistry(Vertx vertx, IronRuntimeConfig config, Collection<ProviderAdapter> plugins,
            String mockBaseUrl, Function<String, String> env) {
        this(vertx, config, plugins, mockBaseUrl, env, null);
    }

    /**
     * @param serverKeys server mode: the control server's key cache, which then provides the keys of the built-in
     *        providers (configured keys and {@code OPENAI_API_KEY}/{@code ANTHROPIC_API_KEY} are ignored for them;
     *        custom OpenAI-compatible providers keep their configured keys); {@code null} in direct mode
     */
    public ProviderRegistry(Vertx vertx, IronRuntimeConfig config, Collection<ProviderAdapter> plugins,
            String mockBaseUrl, Function<String, String> env, ServerKeyCache serverKeys) {
        this.serverKeys = serverKeys;
        this.vertx = vertx;
        this.config = config;
        List<ProviderAdapter> adapters = new ArrayList<>(plugins);
        config.providers().forEach((id, pc) -> {
            if (!KEY_ENV.containsKey(id) && plugins.stream().noneMatch(a -> a.id().equals(id))) {
                String url = pc.baseUrl().orElseThrow(() -> new IllegalStateException(
                        "quarkus.iron.providers." + id + ".base-url must be set for an OpenAI-compatible provider"));
                adapters.add(new OpenAiCompatibleAdapter(id, url, pc.models().orElse(List.of())));
            }
        });
        adapters.add(new OpenAiAdapter());
        adapters.add(new AnthropicAdapter());
        for (ProviderAdapter adapter : adapters) {
            Optional<ProviderConfig> pc = Optional.ofNullable(config.providers().get(adapter.id()));
            boolean fromServer = serverKeys != null && KEY_ENV.containsKey(adapter.id());
            String key = fromServer ? null : pc.flatMap(ProviderConfig::apiKey)
                    .orElseGet(() -> KEY_ENV.containsKey(adapter.id()) ? env.apply(KEY_ENV.get(adapter.id())) : null);
            String baseUrl = pc.flatMap(ProviderConfig::baseUrl).orElse(null);
            if (!fromServer && key == null && baseUrl == null && mockBaseUrl != null
                    && KEY_ENV.containsKey(adapter.id())) {
                baseUrl = mockBaseUrl;
                key = MockKeys.forProvider(adapter.id());
            }
            URI uri = URI.create(baseUrl != null ? baseUrl : adapter.defaultBaseUrl());
            providers.putIfAbsent(adapter.id(), new Provider(adapter, uri, blankToNull(key),
                    createClient(vertx, config, uri)));
        }
        this.keyProvider = detectKeyProvider();
        this.defaultProvider = config.defaultProvider().map(id -> {
            Provider p = providers.get(id);
            if (p == null) {
                throw new IllegalStateException("quarkus.iron.default-provider names an unknown provider: " + id);
            }
            return p;
        }).orElse(null);
    }

    /** The provider registered under {@code id}, or {@code null}. */
    public Provider byId(String id) {
        return providers.get(id);
    }

    /** Picks the provider for a call: {@code forced} (path prefix) beats model beats key format beats the default. */
    public Provider choose(Provider forced, String model) {
        if (forced != null) {
            return forced;
        }
        if (model != null) {
            for (Provider p : providers.values()) {
                if (p.adapter().claimsModel(model)) {
                    return p;
                }
            }
        }
        Provider byKey = keyProvider();
        return byKey != null ? byKey : defaultProvider;
    }

    /**
     * The provider detected from the format of the configured key, when exactly one provider has a key; in server
     * mode, the provider the control server named with the key.
     */
    public Provider keyProvider() {
        if (serverKeys != null) {
            ServerKeyCache.ProviderKey k = serverKeys.current();
            return k == null ? keyProvider : providers.get(k.provider());
        }
        return keyProvider;
    }

    /** Whether keys come from the control server. */
    public boolean serverMode() {
        return serverKeys != null;
    }

    /**
     * {@code p} ready to call: itself in direct mode (or when it has its own key); in server mode, with the key and
     * base URL the control server gave, when the key is for {@code p}. Completes at once when the key is cached; only
     * a miss waits for the server. A key for another provider leaves {@code p} without a key.
     */
    public CompletionStage<Provider> withKey(Provider p) {
        if (serverKeys == null || p.apiKey() != null || !KEY_ENV.containsKey(p.id())) {
            return CompletableFuture.completedFuture(p);
        }
        return serverKeys.get().thenApply(k -> k.provider().equals(p.id()) ? keyed(p, k) : p);
    }

    private Provider keyed(Provider p, ServerKeyCache.ProviderKey k) {
        URI uri = p.baseUrl();
        if (k.baseUrl() != null && !k.baseUrl().isBlank()) {
            String url = k.baseUrl().trim();
            url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            // our base URLs are without /v1 (the request path carries it); the server's may include it
            url = url.endsWith("/v1") ? url.substring(0, url.length() - 3) : url;
            uri = URI.create(url);
        }
        UpstreamPool client = uri.equals(p.baseUrl()) ? p.client()
                : serverClients.computeIfAbsent(uri, u -> createClient(vertx, config, u));
        return new Provider(p.adapter(), uri, k.key(), client);
    }

    public Collection<Provider> all() {
        return providers.values();
    }

    /** Closes all connection pools. */
    public void close() {
        providers.values().forEach(p -> p.client().close());
        serverClients.values().forEach(UpstreamPool::close);
    }

    private Provider detectKeyProvider() {
        List<Provider> withKey = providers.values().stream().filter(p -> p.apiKey() != null).toList();
        if (withKey.size() != 1) {
            return null;
        }
        String key = withKey.get(0).apiKey();
        return providers.values().stream().filter(p -> p.adapter().claimsKey(key)).findFirst()
                .orElse(withKey.get(0));
    }

    private static UpstreamPool createClient(Vertx vertx, IronRuntimeConfig config, URI uri) {
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) config.router().connectTimeout().toMillis())
                .setSsl(ssl)
                .setTrustAll(false)
                .setVerifyHost(true)
                .setDecompressionSupported(false)
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024);
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.router().maxConnectionsPerProvider());
        return new UpstreamPool(() -> vertx.createHttpClient(options, pool));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
