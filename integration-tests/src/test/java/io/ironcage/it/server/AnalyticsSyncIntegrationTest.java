package io.ironcage.it.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.analytics.AnalyticsEvent;
import io.ironcage.runtime.analytics.AnalyticsEventLog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Analytics in server mode, end to end: the router's start and every call reach the mock control server's
 * {@code /api/v1/analytics/events} with the reference's fields, each event once; events made while the server is down
 * are kept in the outbox and sent once it is back, still once each. In the core-only build ({@code -Penabled}) the
 * same calls send nothing.
 */
@QuarkusTest
@TestProfile(AnalyticsProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyticsSyncIntegrationTest {

    static final String EVENTS = "/api/v1/analytics/events";

    @Inject
    LlmRouter router;

    @Inject
    Instance<AnalyticsEventLog> analyticsBean;

    AnalyticsEventLog analytics;

    /**
     * Analytics is built in unless the build is {@code -Penabled}: then the same calls must send nothing (the proof
     * that the core-only build has no analytics).
     */
    boolean builtIn() {
        boolean expected = Boolean.parseBoolean(System.getProperty("iron.expect.analytics", "true"));
        assertEquals(expected, analyticsBean.isResolvable(), "analytics exists exactly when the profile builds it");
        analytics = expected ? analyticsBean.get() : null;
        return expected;
    }

    void assertNothingSentAfter(Runnable calls) throws InterruptedException {
        calls.run();
        Thread.sleep(1000); // five sync intervals
        assertEquals(Map.of(), received(), "core-only build: no analytics event reaches the server");
    }

    @ConfigProperty(name = "control.url")
    String controlUrl;

    /** The events the control server received (every delivery, duplicates included), by event id. */
    Map<String, List<JsonPath>> received() {
        List<Map<String, Object>> all = given().get(controlUrl + "/mock/requests").then().statusCode(200).extract()
                .jsonPath().getList("$");
        return all.stream().filter(r -> EVENTS.equals(r.get("path"))).map(r -> JsonPath.from((String) r.get("body")))
                .collect(Collectors.groupingBy(e -> e.getString("event_id")));
    }

    void call(String body, int status, String... header) {
        var spec = given().baseUri(router.rootUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + MockControlServerResource.IC_TOKEN);
        if (header.length == 2) {
            spec.header(header[0], header[1]);
        }
        spec.body(body).post("/v1/chat/completions").then().statusCode(status);
    }

    static final String CHAT = ServerModeTest.CHAT;

    @Test
    @Order(1)
    void theRouterStartAndEveryCallReachTheServerOnceWithTheReferenceFields() throws InterruptedException {
        if (!builtIn()) {
            assertNothingSentAfter(() -> {
                call(CHAT, 200);
                call(CHAT, 500, "x-mock-status", "500");
            });
            return;
        }
        call(CHAT, 200);
        call(CHAT.replace("}]}", "}],\"stream\":true}"), 200);
        call(CHAT, 500, "x-mock-status", "500");
        List<AnalyticsEvent> local = analytics.events();
        assertEquals(List.of(AnalyticsEvent.STARTED, AnalyticsEvent.COMPLETED, AnalyticsEvent.COMPLETED,
                AnalyticsEvent.FAILED), local.stream().map(AnalyticsEvent::kind).toList());
        Set<String> ids = local.stream().map(AnalyticsEvent::id).collect(Collectors.toSet());
        ServerModeTest.await(() -> received().keySet().containsAll(ids), "all four events at the server");

        Map<String, List<JsonPath>> got = received();
        ids.forEach(id -> assertEquals(1, got.get(id).size(), "sent once: " + id));
        JsonPath started = got.get(local.get(0).id()).get(0);
        assertEquals("router_started", started.getString("event_type"));
        assertEquals(router.port(), started.getInt("port"));
        assertEquals(MockControlServerResource.IC_TOKEN, started.getString("ic_token"));
        for (int i = 1; i <= 2; i++) {
            JsonPath completed = got.get(local.get(i).id()).get(0);
            assertEquals("llm_request_completed", completed.getString("event_type"));
            assertEquals("gpt-4o-mini", completed.getString("model"));
            assertEquals("openai", completed.getString("provider"));
            assertTrue(completed.getLong("input_tokens") > 0);
            assertTrue(completed.getLong("output_tokens") > 0);
            assertTrue(completed.getLong("cost_micros") > 0, "priced: " + completed.prettify());
            assertTrue(completed.getLong("timestamp_ms") > 0);
            assertEquals(MockControlServerResource.IC_TOKEN, completed.getString("ic_token"));
        }
        JsonPath failed = got.get(local.get(3).id()).get(0);
        assertEquals("llm_request_failed", failed.getString("event_type"));
        assertEquals("500", failed.getString("error_code"));
        assertEquals("gpt-4o-mini", failed.getString("model"));
        ServerModeTest.await(() -> analytics.sent() == 4, "acknowledged: " + analytics.sent());
    }

    @Test
    @Order(2)
    void eventsMadeWhileTheServerIsDownAreSentOnceWhenItIsBack() throws InterruptedException {
        if (!builtIn()) {
            assertNothingSentAfter(() -> call(CHAT, 200));
            return;
        }
        int before = analytics.events().size();
        given().post(controlUrl + "/mock/down").then().statusCode(204);
        try {
            for (int i = 0; i < 5; i++) {
                call(CHAT, 200); // the key is cached and the lease local: calls are served
            }
            Thread.sleep(1000); // several sync rounds fail meanwhile
        } finally {
            given().post(controlUrl + "/mock/up").then().statusCode(204);
        }
        List<AnalyticsEvent> made = analytics.events().subList(before, before + 5);
        Set<String> ids = made.stream().map(AnalyticsEvent::id).collect(Collectors.toSet());
        assertFalse(received().keySet().stream().anyMatch(ids::contains), "nothing got through while down");

        ServerModeTest.await(() -> received().keySet().containsAll(ids), "the five events once the server is back");
        Thread.sleep(600); // more rounds: nothing is sent again
        Map<String, List<JsonPath>> got = received();
        ids.forEach(id -> assertEquals(1, got.get(id).size(), "sent once: " + id));
        got.forEach((id, deliveries) -> assertEquals(1, deliveries.size(), "no event twice: " + id));
    }
}
