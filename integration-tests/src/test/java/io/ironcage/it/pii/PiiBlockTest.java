package io.ironcage.it.pii;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.ironcage.it.MockProviderResource;
import io.ironcage.runtime.LlmRouter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Block mode both ways: a request with PII never leaves, an answer with PII never arrives, and no value is echoed. */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
@TestProfile(PiiBlockTest.Block.class)
class PiiBlockTest {

    public static class Block implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.iron.pii.request-mode", "block", "quarkus.iron.pii.response-mode", "block");
        }
    }

    @Inject
    LlmRouter router;

    @ConfigProperty(name = "mock.url")
    String mockUrl;

    private RequestSpecification client() {
        return given().baseUri(router.rootUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer ic_test_token");
    }

    private static String chat(String text, boolean stream) {
        return "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + text + "\"}]}";
    }

    @Test
    void aRequestWithPiiIsRefusedInTheClientsDialectAndNeverForwarded() {
        given().delete(mockUrl + "/mock/requests").then().statusCode(204);
        client().body(chat("SSN 123-45-6789 please", false)).post("/v1/chat/completions").then().statusCode(400)
                .body("error.code", equalTo("iron_cage_pii_detected")).body("error.message", containsString("SSN"))
                .body("error.message", not(containsString("123-45-6789")));
        given().baseUri(router.rootUrl()).contentType(ContentType.JSON).header("x-api-key", "ic_test_token")
                .body("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"mail jane.doe@example.com\"}]}")
                .post("/v1/messages").then().statusCode(400).body("type", equalTo("error"))
                .body("error.type", equalTo("iron_cage_pii_detected"));
        assertEquals(0, given().get(mockUrl + "/mock/requests").then().extract().jsonPath().getList("$").size());
    }

    @Test
    void aJsonAnswerWithPiiIsWithheld() {
        client().header("x-mock-answer", "It is 4111 1111 1111 1111").body(chat("card?", false))
                .post("/v1/chat/completions").then().statusCode(400).body("error.code", equalTo("iron_cage_pii_detected"))
                .body("error.message", containsString("CARD")).body(not(containsString("4111")));
    }

    @Test
    void aStreamWithPiiIsCutBeforeAnyOfTheValueGoesOut() {
        String sse = client().header("x-mock-answer", "Sure, call +1 (555) 123-4567 now").body(chat("phone?", true))
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        assertTrue(sse.contains("Sure,"), "what came before went out at once: " + sse);
        assertTrue(sse.contains("iron_cage_pii_detected") && sse.endsWith("data: [DONE]\n\n"), sse);
        assertFalse(sse.contains("555") || sse.contains("4567"), sse);
    }
}
