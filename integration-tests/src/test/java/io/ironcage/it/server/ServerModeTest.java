package io.ironcage.it.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.ironcage.runtime.LlmRouter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Server mode end to end against a mock control server: the provider key is fetched with the IC token and used
 * upstream, cached, the budget lease is taken at startup, every call is reported, spend made while the server is
 * unreachable is reported when it is back, and the lease is returned with its spend on stop.
 */
@QuarkusTest
@TestProfile(ServerModeProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerModeTest {

    static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello router\"}]}";

    @Inject
    LlmRouter router;

    @ConfigProperty(name = "control.url")
    String controlUrl;

    @ConfigProperty(name = "mock.url")
    String providerUrl;

    RequestSpecification openAi() {
        return given().baseUri(router.rootUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + MockControlServerResource.IC_TOKEN);
    }

    List<Map<String, Object>> control(String path) {
        List<Map<String, Object>> all = given().get(controlUrl + "/mock/requests").then().statusCode(200).extract()
                .jsonPath().getList("$");
        return all.stream().filter(r -> path.equals(r.get("path"))).toList();
    }

    static JsonPath body(Map<String, Object> request) {
        return JsonPath.from((String) request.get("body"));
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    @Order(1)
    void startupFetchedTheKeyWithTheIcTokenAndTookALease() {
        assertTrue(router.serverMode());
        List<Map<String, Object>> keys = control("/api/v1/agents/provider-key");
        assertEquals(1, keys.size(), "one key fetch at startup (the reference does two)");
        assertEquals(MockControlServerResource.IC_TOKEN, body(keys.get(0)).getString("ic_token"));
        assertEquals("openai", router.provider());

        List<Map<String, Object>> handshakes = control("/api/v1/budget/handshake");
        assertEquals(1, handshakes.size());
        JsonPath hs = body(handshakes.get(0));
        assertEquals(MockControlServerResource.IC_TOKEN, hs.getString("ic_token"));
        assertEquals("openai", hs.getString("provider"), "the provider of the fetched key");
        assertEquals(1_000_000L, hs.getLong("requested_budget"), "the configured 1 USD tranche, in microdollars");
        assertEquals("Bearer " + MockControlServerResource.IC_TOKEN, handshakes.get(0).get("authorization"));
        assertEquals(1_000_000L, router.budgetStatus().limitMicros(), "the granted tranche is the local limit");
    }

    @Test
    @Order(2)
    void callsUseTheServerKeyUpstreamFromTheCacheAndAreReported() throws InterruptedException {
        given().delete(controlUrl + "/mock/requests").then().statusCode(204);
        given().delete(providerUrl + "/mock/requests").then().statusCode(204);
        String leaseId = null;
        for (int i = 0; i < 5; i++) {
            // the mock provider answers 200 only to the key the control server handed out
            openAi().body(CHAT).post("/v1/chat/completions").then().statusCode(200)
                    .body("object", equalTo("chat.completion"));
        }
        List<Map<String, Object>> upstream = given().get(providerUrl + "/mock/requests").then().extract().jsonPath()
                .getList("$");
        assertEquals(5, upstream.size());
        assertEquals("/v1/chat/completions", upstream.get(0).get("path"), "the server's base_url ends in /v1: no /v1/v1");
        assertEquals(0, control("/api/v1/agents/provider-key").size(), "the cached key serves every call");

        long spent = router.budgetStatus().spentMicros();
        assertTrue(spent > 0);
        await(() -> control("/api/v1/budget/report").size() == 5, "5 usage reports");
        long reported = 0;
        for (Map<String, Object> r : control("/api/v1/budget/report")) {
            JsonPath report = body(r);
            assertNotNull(report.getString("request_id"));
            assertEquals("gpt-4o-mini", report.getString("model"));
            assertEquals("openai", report.getString("provider"));
            assertTrue(report.getLong("tokens") > 0);
            leaseId = leaseId == null ? report.getString("lease_id") : leaseId;
            assertEquals(leaseId, report.getString("lease_id"));
            reported += report.getLong("cost_microdollars");
        }
        assertTrue(leaseId.startsWith("lease_"));
        assertEquals(spent, reported, "every microdollar spent was reported");
        assertEquals(0, router.unreportedSpendMicros());
    }

    @Test
    @Order(3)
    void spendWhileTheServerIsUnreachableIsReportedWhenItReturns() throws InterruptedException {
        given().delete(controlUrl + "/mock/requests").then().statusCode(204);
        given().post(controlUrl + "/mock/down").then().statusCode(204);
        try {
            long before = router.budgetStatus().spentMicros();
            // the lease was granted and the key is cached: the call is served
            openAi().body(CHAT).post("/v1/chat/completions").then().statusCode(200);
            long cost = router.budgetStatus().spentMicros() - before;
            assertTrue(cost > 0);
            assertEquals(cost, router.unreportedSpendMicros(), "kept as unreported while the server is down");
            Thread.sleep(1000); // a few failed report attempts
            assertEquals(cost, router.unreportedSpendMicros());
            assertEquals(0, control("/api/v1/budget/report").size());
        } finally {
            given().post(controlUrl + "/mock/up").then().statusCode(204);
        }
        await(() -> router.unreportedSpendMicros() == 0, "the queued report to be delivered");
        assertEquals(1, control("/api/v1/budget/report").size());
    }

    @Test
    @Order(4)
    void stopReturnsTheLeaseWithItsSpend() throws InterruptedException {
        given().delete(controlUrl + "/mock/requests").then().statusCode(204);
        long spent = router.budgetStatus().spentMicros();
        router.stop();
        List<Map<String, Object>> returns = control("/api/v1/budget/return");
        assertEquals(1, returns.size());
        JsonPath ret = body(returns.get(0));
        assertTrue(ret.getString("lease_id").startsWith("lease_"));
        assertEquals(spent, ret.getLong("spent_microdollars"));
    }
}
