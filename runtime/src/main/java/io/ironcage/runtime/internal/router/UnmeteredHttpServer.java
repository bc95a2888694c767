package io.ironcage.runtime.internal.router;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.TCPMetrics;

/**
 * The router's listener, left out of the Vert.x metrics SPI. With Micrometer in the application, Quarkus times every
 * request of every Vert.x server by method, URI and status, building the tags and looking the timer up per request:
 * about 1 µs of the router's ~30 µs of CPU per call, for a figure the router's own meters ({@code iron.*}, timers
 * looked up once per agent and provider) already give. Vert.x has no per-server switch, hence the subclass.
 */
final class UnmeteredHttpServer extends HttpServerImpl {

    private UnmeteredHttpServer(VertxInternal vertx, HttpServerOptions options) {
        super(vertx, options);
    }

    /** A listener without metrics on {@code vertx}; a plain one if {@code vertx} is not Vert.x's own implementation. */
    static HttpServer create(Vertx vertx, HttpServerOptions options) {
        return vertx instanceof VertxInternal internal ? new UnmeteredHttpServer(internal, options)
                : vertx.createHttpServer(options);
    }

    @Override
    protected TCPMetrics<?> createMetrics(SocketAddress localAddress) {
        return null;
    }
}
