package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.RouterRequest;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;

/**
 * A piped stream on a real connection: what one read from the provider brings leaves in one write, a later event in a
 * write of its own that the client gets before the stream ends, and the end carries what is left.
 */
class StreamRelayTest {

    private static final String E1 = "data: {\"n\":1}\n\n";
    private static final String E2 = "data: {\"n\":2}\n\n";
    private static final String E3 = "data: {\"n\":3}\n\n";
    private static final String E4 = "data: {\"n\":4}\n\n";
    private static final String E5 = "data: [DONE]\n\n";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void eventsOfOneReadLeaveInOneWriteAndLaterOnesAsTheyCome() throws Exception {
        List<String> writes = new CopyOnWriteArrayList<>();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<StreamRelay> relay = new CompletableFuture<>();
        CompletableFuture<HttpServerResponse> response = new CompletableFuture<>();
        CompletableFuture<Context> serverContext = new CompletableFuture<>();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            HttpServerResponse counted = countingWrites(request.response(), writes);
            counted.setChunked(true).putHeader("content-type", "text/event-stream");
            Context context = vertx.getOrCreateContext();
            relay.complete(new StreamRelay(call(), context, counted, null, List.of(), e -> { }, (t, m) -> { },
                    () -> { }));
            response.complete(counted);
            serverContext.complete(context);
        });
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
        vertx.createHttpClient()
                .request(HttpMethod.GET, port, "127.0.0.1", "/")
                .compose(req -> req.send())
                .onSuccess(answer -> answer.handler(chunk -> received.add(chunk.toString())));
        StreamRelay stream = relay.get(10, TimeUnit.SECONDS);
        Context context = serverContext.get(10, TimeUnit.SECONDS);

        // three provider chunks handled in one turn of the event loop, as one read delivers them
        onContext(context, () -> {
            stream.feed(Buffer.buffer(E1));
            stream.feed(Buffer.buffer(E2));
            stream.feed(Buffer.buffer(E3));
        });
        assertEquals(E1 + E2 + E3, received.poll(10, TimeUnit.SECONDS), "the read's events, together");
        assertEquals(List.of(E1 + E2 + E3), writes);

        // a later chunk goes out on its own, before the provider ends
        onContext(context, () -> stream.feed(Buffer.buffer(E4)));
        assertEquals(E4, received.poll(10, TimeUnit.SECONDS));
        assertEquals(2, writes.size());

        // the last chunk and the end of the stream: what is left leaves with the response's end
        onContext(context, () -> {
            stream.feed(Buffer.buffer(E5));
            response.join().end(stream.end());
        });
        assertEquals(E5, received.poll(10, TimeUnit.SECONDS));
        assertEquals(2, writes.size(), "the rest went with the end, not in a write of its own");
        assertTrue(received.isEmpty());
    }

    @Test
    void anErrorTailCarriesWhatWasNotWrittenYet() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<String> tail = new CompletableFuture<>();
        HttpServerResponse unused = countingWrites(null, new CopyOnWriteArrayList<>());
        onContext(context, () -> {
            StreamRelay stream = new StreamRelay(call(), context, unused, null, List.of(), e -> { }, (t, m) -> { },
                    () -> { });
            stream.feed(Buffer.buffer(E1));
            stream.feed(Buffer.buffer("data: {\"n\":"));
            tail.complete(stream.errorTail("timeout", "Provider sent nothing").toString());
        });
        String sse = tail.get(10, TimeUnit.SECONDS);
        assertTrue(sse.startsWith(E1 + "data: {\"n\":\n\n"), sse);
        assertTrue(sse.contains("Provider sent nothing"), sse);
        assertTrue(sse.endsWith("data: [DONE]\n\n"), sse);
    }

    private static RouterRequest call() {
        return new RouterRequest("call_1", Dialect.OPENAI, "/v1/chat/completions", "openai", "gpt-4o-mini", true,
                MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(), "default");
    }

    /** Runs on the context's event loop and waits until done. */
    private static void onContext(Context context, Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            action.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /** The response, with every {@code write(Buffer)} recorded (a {@code null} response answers only that). */
    private static HttpServerResponse countingWrites(HttpServerResponse real, List<String> writes) {
        return (HttpServerResponse) Proxy.newProxyInstance(StreamRelayTest.class.getClassLoader(),
                new Class<?>[] { HttpServerResponse.class }, (proxy, method, args) -> {
                    if (method.getName().equals("write") && args != null && args.length == 1
                            && args[0] instanceof Buffer data) {
                        writes.add(data.toString());
                    }
                    if (real == null) {
                        return method.getReturnType() == boolean.class ? false : null;
                    }
                    try {
                        Object result = method.invoke(real, args);
                        return result == real ? proxy : result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
