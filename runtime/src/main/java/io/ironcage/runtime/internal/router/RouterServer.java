package io.ironcage.runtime.internal.router;

import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The router's own HTTP listener: health line, path and auth checks, size-capped body reading; then hands the call
 * to an {@link Exchange}.
 */
public final class RouterServer {

    static final String HEALTH = "Iron Runtime LlmRouter OK";

    private final RouterContext ctx;
    private HttpServer server;

    public RouterServer(RouterContext ctx) {
        this.ctx = ctx;
    }

    public Future<HttpServer> listen(String host, int port) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setCompressionSupported(false).setMaxHeaderSize(64 * 1024).setMaxInitialLineLength(16 * 1024);
        server = ctx.vertx().createHttpServer(options).requestHandler(this::handle);
        return server.listen();
    }

    public int actualPort() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest request) {
        long start = System.nanoTime();
        String rawPath = request.path();
        if (rawPath.equals("/") || rawPath.isEmpty()) {
            request.response().putHeader("content-type", "text/plain")
                    .putHeader(Exchange.OVERHEAD_HEADER, Exchange.millis(System.nanoTime() - start)).end(HEALTH);
            return;
        }
        Route route = Route.of(rawPath, ctx.providers());
        if (!route.path().startsWith("/v1/")) {
            reject(request, start, route.dialect(), 404, "Unknown route " + rawPath
                    + ". The router serves /v1/chat/completions, /v1/messages and other /v1/… paths of the providers.");
            return;
        }
        if (!ctx.authenticator().accepts(request.headers())) {
            reject(request, start, route.dialect(), 401,
                    "Invalid IC token. Send it as 'Authorization: Bearer <token>' or 'x-api-key: <token>'.");
            return;
        }
        String length = request.getHeader("content-length");
        if (length != null && parseLong(length) > ctx.maxBodyBytes()) {
            rejectTooLarge(request, start, route.dialect());
            return;
        }
        readBody(request, route, start);
    }

    private void readBody(HttpServerRequest request, Route route, long start) {
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = { false };
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > ctx.maxBodyBytes()) {
                tooLarge[0] = true;
                rejectTooLarge(request, start, route.dialect());
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> {
            if (!tooLarge[0]) {
                new Exchange(ctx, request, route).start(body);
            }
        });
    }

    private void rejectTooLarge(HttpServerRequest request, long start, Dialect dialect) {
        request.response().putHeader("connection", "close");
        reject(request, start, dialect, 413, "The request body is larger than the limit of " + ctx.maxBodyBytes()
                + " bytes (quarkus.iron.router.max-body-size).");
    }

    private static void reject(HttpServerRequest request, long start, Dialect dialect, int status, String message) {
        request.response().setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader(Exchange.OVERHEAD_HEADER, Exchange.millis(System.nanoTime() - start))
                .end(ErrorBodies.body(dialect, ErrorBodies.typeFor(dialect, status), null, message).toBuffer());
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
