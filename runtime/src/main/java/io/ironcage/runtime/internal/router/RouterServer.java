package io.ironcage.runtime.internal.router;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ironcage.runtime.internal.devmode.DevModeReload;
import io.ironcage.runtime.internal.translate.DialectErrors;
import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The router's own HTTP listener: health line, path and auth checks, size-capped body reading; then hands the call
 * to an {@link Exchange}. In dev mode it first lets the live-reload scan run and survives application restarts,
 * serving each call with the context of the application as it is now ({@link #switchTo}).
 */
public final class RouterServer {

    static final String HEALTH = "Iron Runtime LlmRouter OK";
    /** How long the rest of a refused body may keep arriving before its connection is closed anyway. */
    static final long LINGER_MILLIS = 2000;

    private final Vertx vertx;
    private volatile RouterContext ctx;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final List<String> deployments = new CopyOnWriteArrayList<>();
    /** Per event loop (each listener's own): requests whose bodies are still arriving. */
    private final ThreadLocal<Deadlines<BodyRead>> pendingBodies = new ThreadLocal<>();
    /** Per event loop: its client connections, closed when idle too long. */
    private final ThreadLocal<ClientConnections> clients = new ThreadLocal<>();
    /** The lists of deadlines of the above, for their sweeps to stop with the listener. */
    private final List<Deadlines<?>> swept = new CopyOnWriteArrayList<>();
    /** The client idle limit for connections that open now: the current context's (kept while it is away). */
    private volatile long clientIdleMillis;

    public RouterServer(RouterContext ctx) {
        this.vertx = ctx.vertx();
        this.ctx = ctx;
        this.clientIdleMillis = ctx.clientIdleTimeoutMillis();
    }

    /**
     * Binds {@code instances} listeners on {@code host}:{@code port}, each on its own event loop (Vert.x shares one
     * socket between them and spreads connections), so the router uses every core. For a free port ({@code 0}) they
     * ask Vert.x for a shared random port (a negative port), so that they all get the same one. A single listener is
     * bound without a verticle: dev mode undeploys the application's verticles on reload, and the listener must
     * outlive reloads there.
     */
    public Future<Void> listen(String host, int port, int instances) {
        if (instances <= 1) {
            return UnmeteredHttpServer.create(vertx, options(host, port)).connectionHandler(this::connected)
                    .requestHandler(this::handle).listen().onSuccess(servers::add).mapEmpty();
        }
        int shared = port == 0 ? -1 : port;
        List<Future<?>> bound = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            bound.add(bindOnOwnEventLoop(host, shared));
        }
        return Future.all(bound).mapEmpty();
    }

    private static HttpServerOptions options(String host, int port) {
        return new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setCompressionSupported(false).setMaxHeaderSize(64 * 1024).setMaxInitialLineLength(16 * 1024)
                // HTTP/1.1 only (as the providers' APIs): with cleartext HTTP/2 on, Vert.x makes a connection only
                // once its first bytes tell which, so one that never sends any would escape the idle limit.
                .setHttp2ClearTextEnabled(false)
                // No WebSockets here: without these Vert.x leaves out a handler that inspects every request.
                .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
    }

    private Future<HttpServer> bindOnOwnEventLoop(String host, int port) {
        HttpServerOptions options = options(host, port);
        Promise<HttpServer> bound = Promise.promise();
        vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                HttpServer server = UnmeteredHttpServer.create(vertx, options);
                server.connectionHandler(RouterServer.this::connected).requestHandler(RouterServer.this::handle);
                server.listen().onSuccess(s -> {
                    servers.add(s);
                    started.complete();
                    bound.complete(s);
                }).onFailure(e -> {
                    started.fail(e);
                    bound.tryFail(e);
                });
            }
        }).onSuccess(deployments::add).onFailure(bound::tryFail);
        return bound.future();
    }

    /** Serves later calls with {@code next}; {@code null} answers 503 until the application is back. */
    public void switchTo(RouterContext next) {
        this.ctx = next;
        if (next != null) {
            clientIdleMillis = next.clientIdleTimeoutMillis();
        }
    }

    public int actualPort() {
        return servers.get(0).actualPort();
    }

    /** The distinct ports the listeners are bound to: one, when sharing works. */
    Set<Integer> boundPorts() {
        Set<Integer> ports = new HashSet<>();
        servers.forEach(s -> ports.add(s.actualPort()));
        return ports;
    }

    /** Stops listening: undeploys the listeners' verticles and closes the servers. */
    public Future<Void> close() {
        List<Future<?>> closed = new ArrayList<>();
        for (String deployment : deployments) {
            closed.add(vertx.undeploy(deployment));
        }
        if (deployments.isEmpty()) {
            servers.forEach(s -> closed.add(s.close()));
        }
        deployments.clear();
        servers.clear();
        for (Deadlines<?> list : swept) {
            vertx.cancelTimer(list.sweeper);
            list.sweeper = -1;
        }
        swept.clear();
        return Future.all(closed).mapEmpty();
    }

    /** A client connected: with an idle limit, it is kept on this event loop's list until it closes. */
    private void connected(HttpConnection connection) {
        long idleMillis = clientIdleMillis;
        if (idleMillis > 0) {
            clientConnections(idleMillis).opened(connection, idleMillis);
        }
    }

    private void handle(HttpServerRequest request) {
        ClientConnections connections = clients.get();
        if (connections != null) {
            connections.called(request);
        }
        if (!DevModeReload.active()) {
            dispatch(request, System.nanoTime());
            return;
        }
        request.pause();
        DevModeReload.scan(vertx).onComplete(v -> {
            request.resume();
            dispatch(request, System.nanoTime());
        });
    }

    private void dispatch(HttpServerRequest request, long start) {
        String rawPath = request.path();
        if (rawPath.equals("/") || rawPath.isEmpty()) {
            request.response().putHeader("content-type", "text/plain")
                    .putHeader(Exchange.OVERHEAD_HEADER, Exchange.millis(System.nanoTime() - start)).end(HEALTH);
            return;
        }
        RouterContext c = ctx;
        if (c == null) {
            Throwable problem = DevModeReload.deploymentProblem();
            reject(request, start, Dialect.OPENAI, 503, problem == null
                    ? "The application is reloading; retry in a moment."
                    : "The application failed to start after a change: " + problem.getMessage());
            return;
        }
        Route route = Route.of(rawPath, c.providers());
        if (!route.path().startsWith("/v1/")) {
            reject(request, start, route.dialect(), 404, "Unknown route " + rawPath
                    + ". The router serves /v1/chat/completions, /v1/messages and other /v1/… paths of the providers.");
            return;
        }
        String agent = c.authenticator().agentOf(request.headers());
        if (agent == null) {
            reject(request, start, route.dialect(), 401,
                    "Invalid IC token. Send it as 'Authorization: Bearer <token>' or 'x-api-key: <token>'.");
            return;
        }
        String length = request.getHeader("content-length");
        long declared = length == null ? -1 : parseLong(length);
        if (declared > c.maxBodyBytes()) {
            rejectTooLarge(request, start, route.dialect(), c.maxBodyBytes());
            return;
        }
        new BodyRead(c, request, route, agent, start, declared, pendingBodies(c)).start();
    }

    /** This event loop's requests whose bodies are still arriving, or {@code null} without a time limit. */
    private Deadlines<BodyRead> pendingBodies(RouterContext c) {
        if (c.clientBodyTimeoutMillis() <= 0) {
            return null;
        }
        Deadlines<BodyRead> pending = pendingBodies.get();
        if (pending == null || pending.sweeper < 0) { // none yet on this loop, or the listener was closed since
            pending = sweptList(c.clientBodyTimeoutMillis());
            pendingBodies.set(pending);
        }
        return pending;
    }

    /** This event loop's client connections. */
    private ClientConnections clientConnections(long idleMillis) {
        ClientConnections connections = clients.get();
        if (connections == null || !connections.swept()) {
            connections = new ClientConnections(sweptList(idleMillis));
            clients.set(connections);
        }
        return connections;
    }

    /** A new list of deadlines of this event loop, swept every quarter of {@code limitMillis} (at most 1 s). */
    private <T extends Deadlines.Deadline<T>> Deadlines<T> sweptList(long limitMillis) {
        Deadlines<T> list = new Deadlines<>();
        // set from the event loop's own context, the sweep runs on this thread like the calls it ends
        list.sweeper = vertx.setPeriodic(Math.min(1000, Math.max(10, limitMillis / 4)),
                id -> list.sweep(System.nanoTime()));
        swept.add(list);
        return list;
    }

    static void rejectTooLarge(HttpServerRequest request, long start, Dialect dialect, long max) {
        request.response().putHeader("connection", "close");
        reject(request, start, dialect, 413, "The request body is larger than the limit of " + max
                + " bytes (quarkus.iron.router.max-body-size).").onComplete(v -> closeOnceSent(request));
    }

    /**
     * Closes the connection of a refused body once the client has sent it, or after {@link #LINGER_MILLIS}: the
     * router does not take the rest of a body it refused, however long. Not at once: a client still sending would
     * get a reset, which can destroy the answer before it is read.
     */
    private static void closeOnceSent(HttpServerRequest request) {
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        Vertx vertx = Vertx.currentContext().owner();
        long linger = vertx.setTimer(LINGER_MILLIS, t -> request.connection().close());
        request.endHandler(v -> {
            vertx.cancelTimer(linger);
            request.connection().close();
        });
    }

    /**
     * Answers a call the router refuses before it has its whole body. A client that asked to be told to send its body
     * ({@code Expect: 100-continue}) may then not send it, so the connection cannot carry another request: it closes.
     */
    static Future<Void> reject(HttpServerRequest request, long start, Dialect dialect, int status, String message) {
        boolean bodyWithheld = expectsContinue(request);
        if (bodyWithheld) {
            request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        Future<Void> sent = request.response().setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader(Exchange.OVERHEAD_HEADER, Exchange.millis(System.nanoTime() - start))
                .end(DialectErrors.body(dialect, DialectErrors.typeFor(dialect, status), null, message).toBuffer());
        return bodyWithheld ? sent.onComplete(v -> request.connection().close()) : sent;
    }

    /** Whether the client waits for {@code 100 Continue} before it sends its body (curl does, for large ones). */
    static boolean expectsContinue(HttpServerRequest request) {
        return request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
