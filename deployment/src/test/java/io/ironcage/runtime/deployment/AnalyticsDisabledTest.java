package io.ironcage.runtime.deployment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.analytics.AnalyticsEventLog;
import io.quarkus.arc.Arc;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/** The core-only build ({@code -Penabled}): no analytics bean, the router works as before. */
class AnalyticsDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.iron.analytics.enabled", "false")
            .overrideConfigKey("quarkus.iron.mock.enabled", "true")
            .overrideConfigKey("quarkus.iron.token", "ic_t");

    @Inject
    LlmRouter router;

    @Test
    void noAnalyticsButTheRouterWorks() {
        assertFalse(Arc.container().instance(AnalyticsEventLog.class).isAvailable());
        assertTrue(router.isRunning());
        RestAssured.given().baseUri(router.rootUrl()).header("Authorization", "Bearer ic_t")
                .contentType("application/json")
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
    }
}
