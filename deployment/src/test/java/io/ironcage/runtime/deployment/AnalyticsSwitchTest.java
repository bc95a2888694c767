package io.ironcage.runtime.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.analytics.AnalyticsEvent;
import io.ironcage.runtime.analytics.AnalyticsEventLog;
import io.quarkus.arc.Arc;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/** The {@code full} / {@code analytics} build: analytics exists and records every finished call. */
class AnalyticsSwitchTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.iron.analytics.enabled", "true")
            .overrideConfigKey("quarkus.iron.mock.enabled", "true")
            .overrideConfigKey("quarkus.iron.token", "ic_t");

    @Inject
    LlmRouter router;

    @Test
    void analyticsRecordsCompletedAndFailedCalls() {
        assertTrue(Arc.container().instance(AnalyticsEventLog.class).isAvailable());
        RestAssured.given().baseUri(router.rootUrl()).header("x-api-key", "ic_t").contentType("application/json")
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        RestAssured.given().baseUri(router.rootUrl()).header("x-api-key", "ic_t").header("x-mock-status", "500")
                .contentType("application/json").body("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"messages\":[]}")
                .post("/v1/messages").then().statusCode(500);
        List<AnalyticsEvent> events = Arc.container().instance(AnalyticsEventLog.class).get().events();
        assertEquals(List.of(AnalyticsEvent.STARTED, AnalyticsEvent.COMPLETED, AnalyticsEvent.FAILED),
                events.stream().map(AnalyticsEvent::kind).toList());
        assertEquals(router.port(), ((AnalyticsEvent.RouterStarted) events.get(0)).port());
        AnalyticsEvent.RequestCompleted completed = (AnalyticsEvent.RequestCompleted) events.get(1);
        assertEquals("openai", completed.provider());
        assertEquals(4, completed.outputTokens());
        AnalyticsEvent.RequestFailed failed = (AnalyticsEvent.RequestFailed) events.get(2);
        assertEquals(500, failed.status());
        assertEquals("500", failed.toJson().getString("error_code"));
        assertEquals("anthropic", failed.toJson().getString("provider"));
        assertFalse(failed.errorMessage().isEmpty());
    }
}
