package io.ironcage.it.live;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.vertx.core.json.JsonObject;

/**
 * Debian's headless Chromium driven over the DevTools protocol: opens a page, then asks the page itself (in real
 * time, not virtual time) until it shows what a test waits for, and takes screenshots. The browser and its profile
 * are gone after {@link #close()}.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> answers = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket page) {
        this.process = process;
        this.profile = profile;
        this.page = page;
    }

    /** Starts Chromium with {@code url} open in a window of the given size. */
    static HeadlessChromium open(String url, int width, int height) throws Exception {
        String binary = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
        Path profile = Files.createTempDirectory("iron-chromium");
        Process p;
        try {
            p = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                    "--remote-debugging-address=127.0.0.1", "--window-size=" + width + "," + height, "about:blank")
                    .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Chromium is needed by this test: apt-get install chromium (.ci/run does)", e);
        }
        try {
            int port = devToolsPort(profile, p);
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/json/new?" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            String socket = new JsonObject(created.body()).getString("webSocketDebuggerUrl");
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(socket), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        JsonObject message = new JsonObject(text.toString());
                        text.setLength(0);
                        CompletableFuture<JsonObject> answer = self[0] == null ? null
                                : self[0].answers.remove(message.getInteger("id", -1));
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                    w.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, profile, ws);
            return self[0];
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Chromium writes the port it chose to {@code DevToolsActivePort} in its profile. */
    private static int devToolsPort(Path profile, Process p) throws Exception {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String first = Files.readString(file).lines().findFirst().orElse("");
                if (!first.isBlank()) {
                    return Integer.parseInt(first.trim());
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("Chromium exited: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Chromium did not open its DevTools port within 30 s");
    }

    private JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        answers.put(id, answer);
        page.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
                .get(10, TimeUnit.SECONDS);
        JsonObject message = answer.get(30, TimeUnit.SECONDS);
        if (message.containsKey("error")) {
            throw new IllegalStateException(method + ": " + message.getJsonObject("error").encode());
        }
        return message.getJsonObject("result");
    }

    /** The value of a JavaScript expression in the page. */
    Object evaluate(String expression) throws Exception {
        JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("returnByValue", true)).getJsonObject("result");
        return result.getValue("value");
    }

    /** Waits until the expression is true in the page; false if it is not within {@code timeout}. */
    boolean waitFor(String expression, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (Boolean.TRUE.equals(evaluate(expression))) {
                return true;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** The page's DOM as HTML. */
    String html() throws Exception {
        return String.valueOf(evaluate("document.documentElement.outerHTML"));
    }

    /** A PNG of the page as it is now. */
    void screenshot(Path file) throws Exception {
        String png = call("Page.captureScreenshot", new JsonObject().put("format", "png")).getString("data");
        Files.write(file, Base64.getDecoder().decode(png));
    }

    @Override
    public void close() throws Exception {
        page.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
