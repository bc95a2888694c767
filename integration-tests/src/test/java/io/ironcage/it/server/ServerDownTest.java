package io.ironcage.it.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.LlmRouter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Server mode with an unreachable control server: the router starts, but no call is served without a key and a lease;
 * they get 503 {@code iron_cage_server_unavailable} in the client's dialect (retryable, unlike a 402).
 */
@QuarkusTest
@TestProfile(ServerDownProfile.class)
class ServerDownTest {

    static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Inject
    LlmRouter router;

    @Test
    void callsGet503InTheClientsDialectAndNothingIsSpent() {
        given().baseUri(router.rootUrl()).contentType(ContentType.JSON).header("Authorization", "Bearer ic_test_token")
                .body(CHAT).post("/v1/chat/completions").then().statusCode(503)
                .body("error.type", equalTo("iron_cage_server_unavailable"));
        given().baseUri(router.rootUrl()).contentType(ContentType.JSON).header("x-api-key", "ic_test_token")
                .body(MESSAGES).post("/v1/messages").then().statusCode(503)
                .body("type", equalTo("error")).body("error.type", equalTo("iron_cage_server_unavailable"));
        assertEquals(0, router.budgetStatus().limitMicros(), "no lease, no budget");
        assertEquals(0, router.budgetStatus().spentMicros());
    }
}
