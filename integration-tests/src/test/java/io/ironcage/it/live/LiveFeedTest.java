package io.ironcage.it.live;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.ironcage.it.MockProviderResource;
import io.ironcage.runtime.LlmRouter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

/** The live feed: a snapshot on connect, then what happens; a wrong token gets nothing; the admin token only watches. */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class LiveFeedTest {

    /** {@code quarkus.iron.dashboard.admin-token} of the test profile. */
    static final String ADMIN_TOKEN = "iron_admin_test_token";

    @TestHTTPResource("/iron/ws")
    URI endpoint;

    @Inject
    LlmRouter router;

    /** Collects what the feed sends, and how it closed. */
    static final class Listener implements WebSocket.Listener {
        final List<JsonObject> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
        }

        List<String> types() {
            return messages.stream().map(m -> m.getString("type")).toList();
        }
    }

    private WebSocket connect(String query, Listener listener) throws Exception {
        URI ws = URI.create(endpoint.toString().replaceFirst("^http", "ws") + query);
        return HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, listener).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientGetsASnapshotThenEveryCallAsItEnds() throws Exception {
        Listener listener = new Listener();
        WebSocket ws = connect("?token=ic_test_token", listener);
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.types().contains("snapshot"));
        JsonObject snapshot = listener.messages.get(0);
        assertEquals(router.baseUrl(), snapshot.getString("routerUrl"));
        assertTrue(snapshot.getJsonArray("providers").contains("openai"), snapshot.encode());

        String id = given().baseUri(router.rootUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer ic_test_token")
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"live\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().header("x-iron-request-id");
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.messages.stream()
                .anyMatch(m -> "request_completed".equals(m.getString("type")) && id.equals(m.getString("id"))));
        JsonObject done = listener.messages.stream().filter(m -> id.equals(m.getString("id"))
                && "request_completed".equals(m.getString("type"))).findFirst().orElseThrow();
        assertEquals("gpt-4o-mini", done.getString("model"));
        assertEquals(200, done.getInteger("status"));
        assertTrue(done.getLong("outputTokens") > 0, done.encode());
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.messages.stream()
                .anyMatch(m -> "spend".equals(m.getString("type")) && id.equals(m.getString("id"))
                        && m.getLong("costMicros") > 0));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aWrongTokenIsRefusedBeforeAnythingIsSent() throws Exception {
        Listener listener = new Listener();
        connect("?token=not-the-token", listener);
        assertEquals(1008, listener.closed.get(5, TimeUnit.SECONDS));
        assertTrue(listener.messages.isEmpty(), listener.messages.toString());
    }

    @Test
    void theAdminTokenOpensTheLiveStateButCannotCallTheRouter() throws Exception {
        Listener listener = new Listener();
        WebSocket ws = connect("?token=" + ADMIN_TOKEN, listener);
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.types().contains("snapshot"));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);

        given().header("Authorization", "Bearer " + ADMIN_TOKEN).get(endpoint.resolve("/iron/state")).then()
                .statusCode(200).body("type", org.hamcrest.Matchers.equalTo("snapshot"));
        given().header("Authorization", "Bearer not-the-token").get(endpoint.resolve("/iron/state")).then()
                .statusCode(401);
        given().baseUri(router.rootUrl()).contentType(ContentType.JSON).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(401);
    }
}
