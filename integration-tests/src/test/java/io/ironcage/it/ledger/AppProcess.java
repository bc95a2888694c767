package io.ironcage.it.ledger;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * The packaged demo app ({@code target/quarkus-app/quarkus-run.jar}) run as its own process, as in production, so a
 * test can kill it hard ({@code SIGKILL}: no shutdown hook, nothing flushed) and start it again. The built-in mock
 * provider answers its calls.
 */
final class AppProcess implements AutoCloseable {

    static final String TOKEN = "ic_ledger_it_token";
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String token;
    private final Path log;
    private final int routerPort;
    private final int httpPort;

    private AppProcess(Process process, String token, Path log, int routerPort, int httpPort) {
        this.process = process;
        this.token = token;
        this.log = log;
        this.routerPort = routerPort;
        this.httpPort = httpPort;
    }

    /** Starts the app with these extra {@code -D} settings (they win over the defaults here) and waits until it answers. */
    static AppProcess start(String name, Map<String, String> config) throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run after the package phase");
        }
        int routerPort = freePort();
        int httpPort = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.iron.token=" + TOKEN, "-Dquarkus.iron.mock.enabled=true",
                "-Dquarkus.iron.router.port=" + routerPort, "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.http.host=127.0.0.1"));
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", JAR.toString()));
        Path log = Files.createDirectories(Path.of("target", "ledger-it")).resolve(name + "-" + System.nanoTime()
                + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AppProcess app = new AppProcess(p, config.getOrDefault("quarkus.iron.token", TOKEN), log, routerPort,
                httpPort);
        app.awaitReady();
        return app;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The app exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/router").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("The app did not start within 60 s:\n" + log());
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** An OpenAI chat call through the router (stream or not); returns the answer. */
    HttpResponse<String> chat(String model, boolean stream) throws Exception {
        String body = new JsonObject().put("model", model).put("stream", stream).put("messages",
                new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content",
                        "Say something for the ledger"))).encode();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + token).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /router/budget}: {@code {"budget": BudgetStatus, "ledger": LedgerStatus}}. */
    JsonObject budget() throws Exception {
        HttpResponse<String> r = get("/router/budget");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /router/budget: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    long spentMicros() throws Exception {
        return budget().getJsonObject("budget").getLong("spentMicros");
    }

    /** Waits until the ledger has written everything queued; returns the ledger status then. */
    JsonObject awaitLedgerWritten() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonObject ledger;
        do {
            ledger = budget().getJsonObject("ledger");
            if (ledger.getInteger("pendingWrites") == 0) {
                return ledger;
            }
            Thread.sleep(2);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("ledger writes still pending after 10 s: " + ledger);
    }

    /** {@code POST path} with a JSON body, answer as JSON text. */
    HttpResponse<String> postJson(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: the JVM gets no chance to run shutdown hooks, close the ledger or flush anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the app did not die");
        }
    }

    /** A normal stop (SIGTERM), as an orchestrator does. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** The JVM's process id. */
    long pid() {
        return process.pid();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
