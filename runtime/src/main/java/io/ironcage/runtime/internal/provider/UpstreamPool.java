package io.ironcage.runtime.internal.provider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.vertx.core.http.HttpClient;

/**
 * Keep-alive connections to one provider, one pool per event loop: a call always uses connections of the event loop
 * it runs on, so the provider's answer never has to hop to another thread on its way back to the client.
 */
public final class UpstreamPool {

    private final Supplier<HttpClient> factory;
    private final Map<Thread, HttpClient> byEventLoop = new ConcurrentHashMap<>();

    UpstreamPool(Supplier<HttpClient> factory) {
        this.factory = factory;
    }

    /** The client of the calling thread's event loop. */
    public HttpClient local() {
        HttpClient client = byEventLoop.get(Thread.currentThread());
        return client != null ? client : byEventLoop.computeIfAbsent(Thread.currentThread(), t -> factory.get());
    }

    public void close() {
        byEventLoop.values().forEach(HttpClient::close);
        byEventLoop.clear();
    }
}
