package io.ironcage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ironcage.runtime.internal.router.CallLog;
import io.ironcage.runtime.internal.router.RouterContext;
import io.ironcage.runtime.internal.router.RouterServer;
import io.ironcage.runtime.internal.router.TokenAuthenticator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * The router's listener on a free port ({@code quarkus.iron.router.port=0}, the default, as in every
 * {@code @QuarkusTest}) with several event loops ({@code io-threads}, which defaults to the number of cores).
 * <p>
 * Found while writing the translation tests: on a machine with two or more cores every {@code @QuarkusTest} of this
 * module fails to start with {@code java.net.BindException: Address already in use} thrown from
 * {@code LlmRouter.start} → {@code RouterServer.listen}: the first listener binds port 0 and gets a free port, and
 * each further listener binds that port explicitly, which Vert.x does not treat as the same shared server, so it
 * tries a second socket on a port already taken. With {@code -Dquarkus.iron.router.io-threads=1} the tests start.
 */
class RouterListenTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void severalListenersShareAFreePort() throws Exception {
        RouterContext ctx = new RouterContext(vertx, null, List.of(), new TokenAuthenticator("ic_listen_token"),
                1024, 1000, 1000, 4096, new CallLog(10));
        RouterServer server = new RouterServer(ctx);

        server.listen("127.0.0.1", 0, 2).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        int port = server.actualPort();
        assertTrue(port > 0);
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
