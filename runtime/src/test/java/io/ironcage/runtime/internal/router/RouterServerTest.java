package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * The router's listener on a free port ({@code quarkus.iron.router.port=0}, the default) with several event loops
 * ({@code io-threads}, by default the number of cores): all listeners must share the one port.
 */
class RouterServerTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void severalListenersShareAFreePort() throws Exception {
        RouterContext ctx = new RouterContext(vertx, null, List.of(), new TokenAuthenticator("ic_listen_token", "default"),
                1024, 1000, 75_000, 1000, 1000, 60_000, 4096, new CallLog(10), null, null);
        RouterServer server = new RouterServer(ctx);

        server.listen("127.0.0.1", 0, 2).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        int port = server.actualPort();
        assertTrue(port > 0);
        assertEquals(java.util.Set.of(port), server.boundPorts(), "every listener on the one port");
        // both listeners answer on the one port: the health line, without auth
        for (int i = 0; i < 4; i++) {
            String body = vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/")
                    .compose(req -> req.send().compose(res -> res.body())).map(Buffer::toString)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("Iron Runtime LlmRouter OK", body);
        }
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
