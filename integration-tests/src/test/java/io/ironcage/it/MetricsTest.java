package io.ironcage.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The router's meters, as the application's Prometheus endpoint exports them. */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class MetricsTest extends RouterTestBase {

    @Test
    void overheadAndRetriesAreMeasuredPerAgentAndProvider() {
        openAi().header("x-mock-fail-times", "1").header("x-mock-fail-key", UUID.randomUUID().toString())
                .body(CHAT.replace("gpt-4o-mini", "gpt-4o-metrics")).post("/v1/chat/completions").then()
                .statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("iron_router_overhead_seconds_count{agent=\"default\",provider=\"openai\"}"))
                .body(containsString("iron_reliability_events_total{kind=\"RETRY\",model=\"gpt-4o-metrics\","
                        + "provider=\"openai\"}"));
    }

    @Test
    void routerCallsAreMeasuredByTheRoutersMetersNotTwiceByTheHttpServersOnes() {
        openAi().body(CHAT).post("/v1/chat/completions").then().statusCode(200);
        // the application's own endpoints keep Quarkus' http.server.requests; the router's listener is left out
        given().get("/router").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("iron_router_overhead_seconds_count{agent=\"default\",provider=\"openai\"}"))
                .body(containsString("uri=\"/router\""))
                .body(not(containsString("uri=\"/v1/chat/completions\"")));
    }
}
