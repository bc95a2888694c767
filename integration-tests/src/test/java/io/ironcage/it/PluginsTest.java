package io.ironcage.it;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The app's own plugins, declared in its META-INF/services files, are discovered and used. */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class PluginsTest extends RouterTestBase {

    @Inject
    ModelDenyPolicy policy;

    @Test
    void customProviderClaimsItsModelsAndAuthenticatesItsWay() {
        openAi().body(CHAT.replace("gpt-4o-mini", "llama-3.3-70b")).post("/v1/chat/completions").then()
                .statusCode(200).body("model", equalTo("llama-3.3-70b"));
        assertEquals("llama", mock.lastHeaders().get("x-served-by-plugin"));
        assertEquals("Bearer " + MockProviderResource.OPENAI_KEY, mock.lastHeaders().get("authorization"));
        assertEquals("llama", router.recentCalls().get(router.recentCalls().size() - 1).provider());
    }

    @Test
    void customPolicyRejectsInTheClientsDialectAndSeesCompletions() {
        openAi().body(CHAT.replace("gpt-4o-mini", "gpt-3.5-turbo-forbidden")).post("/v1/chat/completions").then()
                .statusCode(403).body("error.message", containsString("not allowed"))
                .body("error.type", equalTo("model_denied"));
        anthropic().body(MESSAGES.replace("claude-sonnet-4-5", "gpt-3.5-turbo-forbidden")).post("/anthropic/v1/messages")
                .then().statusCode(403).body("type", equalTo("error")).body("error.type", equalTo("model_denied"));
        assertEquals(0, mock.count());
        int before = policy.completedCalls();
        anthropic().body(MESSAGES).post("/v1/messages").then().statusCode(200);
        assertEquals(before + 1, policy.completedCalls());
        assertEquals(200, policy.lastOutcome().status());
        assertEquals(5, policy.lastOutcome().usage().outputTokens());
    }

    @Test
    void appPageListsThePluginProvider() {
        io.restassured.RestAssured.given().get("/router").then().statusCode(200)
                .body("providers", org.hamcrest.Matchers.hasItem("llama"))
                .body("baseUrl", equalTo(router.baseUrl()));
    }
}
