package io.ironcage.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.ReliabilityEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Retries, fallbacks, breakers and the total timeout, with faults injected by the mock provider: how many attempts
 * reached it, what the client got, and what the router announced.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class ReliabilityTest extends RouterTestBase {

    @Inject
    AsyncEvents events;

    private List<ReliabilityEvent> reliability(String model) {
        return events.of(ReliabilityEvent.class, e -> model.equals(e.model()));
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello router\"}]}";
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    @Test
    void transientFailuresAreRetriedAndTheClientOnlySeesTheAnswer() {
        openAi().header("x-mock-fail-times", "2").header("x-mock-fail-key", key()).body(chat("gpt-4o-retry", false))
                .post("/v1/chat/completions").then().statusCode(200)
                .header("x-iron-attempts", "3").body("object", equalTo("chat.completion"));
        assertEquals(3, mock.count());
    }

    @Test
    void retriesStopAtMaxRetriesAndTheProvidersErrorIsPassedOn() {
        openAi().header("x-mock-status", "500").header("x-mock-error-message", "Broken").body(chat("gpt-4o-retry",
                false)).post("/v1/chat/completions").then().statusCode(500).header("x-iron-attempts", "3")
                .body("error.message", equalTo("Broken"));
        assertEquals(3, mock.count(), "one attempt and two retries");
    }

    @Test
    void aClientErrorIsNeverRetried() {
        openAi().header("x-mock-status", "400").body(chat("gpt-4o-retry", false)).post("/v1/chat/completions").then().statusCode(400);
        assertEquals(1, mock.count());
    }

    @Test
    void retryAfterIsHonoured() {
        long start = System.nanoTime();
        openAi().header("x-mock-fail-times", "1").header("x-mock-fail-key", key()).header("x-mock-status", "429")
                .header("x-mock-retry-after-ms", "400").body(chat("gpt-4o-retry", false)).post("/v1/chat/completions").then()
                .statusCode(200).header("x-iron-attempts", "2");
        assertTrue(System.nanoTime() - start >= 400_000_000L, "waited as the provider asked");
    }

    @Test
    void aRetryAfterLongerThanTheCapIsPassedToTheClientAtOnce() {
        long start = System.nanoTime();
        openAi().header("x-mock-status", "429").header("x-mock-retry-after", "3600").body(chat("gpt-4o-retry", false))
                .post("/v1/chat/completions").then().statusCode(429).header("retry-after", "3600");
        assertEquals(1, mock.count());
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
    }

    @Test
    void aStreamIsRetriedWhileNothingWasSent() {
        String body = openAi().header("x-mock-fail-times", "1").header("x-mock-fail-key", key())
                .body(chat("gpt-4o-retry", true)).post("/v1/chat/completions").then().statusCode(200)
                .header("x-iron-attempts", "2").extract().asString();
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
        assertEquals(2, mock.count());
    }

    @Test
    void aStreamIsNeverRetriedAfterItsFirstByte() {
        String body = openAi().header("x-mock-cut-after", "2").body(chat("gpt-4o-retry", true))
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        assertTrue(body.contains("\"error\""), body);
        assertEquals(1, mock.count(), "cut mid-way: no second attempt");
    }

    @Test
    void aFailingClaudeModelFallsBackToGptAndTheAnthropicClientGetsItsOwnDialect() {
        String messages = "{\"model\":\"claude-fallback-primary\",\"max_tokens\":64,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"First\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"sig\"},"
                + "{\"type\":\"text\",\"text\":\"Answer\"}]},"
                + "{\"role\":\"user\",\"content\":\"Second\"}]}";
        anthropic().header("x-mock-fail-model", "claude-fallback-primary").body(messages).post("/v1/messages").then()
                .statusCode(200).header("x-iron-model", "gpt-4o-fallback").header("x-iron-attempts", "4")
                .body("type", equalTo("message")).body("role", equalTo("assistant"));
        List<Map<String, Object>> received = mock.all();
        assertEquals(4, received.size(), "three attempts at the primary, one at the fallback");
        assertEquals("/v1/messages", received.get(0).get("path"));
        Map<String, Object> fallback = received.get(3);
        assertEquals("/v1/chat/completions", fallback.get("path"));
        String sent = (String) fallback.get("body");
        assertTrue(sent.contains("\"model\":\"gpt-4o-fallback\""), sent);
        assertFalse(sent.contains("thinking") || sent.contains("hmm"), "thinking blocks stripped: " + sent);
        assertTrue(reliability("claude-fallback-primary").stream()
                .anyMatch(e -> e.kind() == ReliabilityEvent.Kind.FALLBACK));
    }

    @Test
    void anUnreachableProviderFallsBackThroughTheListToOneThatAnswers() {
        openAi().body(chat("down-fallback-model", false)).post("/v1/chat/completions").then().statusCode(200)
                .header("x-iron-model", "gpt-4o-fallback").body("model", containsString("gpt-4o-fallback"));
        assertEquals(1, mock.count(), "only the last fallback reached a provider");
    }

    @Test
    void aModelThatDoesNotAnswerInTimeFallsBackWithoutARetry() {
        long start = System.nanoTime();
        openAi().header("x-mock-delay-ms", "5000").header("x-mock-delay-model", "gpt-4o-slow")
                .body(chat("gpt-4o-slow", false)).post("/v1/chat/completions").then().statusCode(200)
                .header("x-iron-model", "gpt-4o-fallback").header("x-iron-attempts", "2");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 2000 && millis < 4000, "the 2 s first-byte timeout, then the fallback: " + millis + " ms");
        assertEquals(2, mock.count(), "the slow model once (not retried), the fallback once");
    }

    @Test
    void aBreakerOpensAfterRepeatedFailuresAnswers503AtOnceAndClosesAfterATrialCall() {
        String model = "gpt-4o-breaker";
        for (int i = 0; i < 7; i++) { // 7 calls x 3 attempts fill the window of 20 with failures
            openAi().header("x-mock-status", "503").body(chat(model, false)).post("/v1/chat/completions").then()
                    .statusCode(503);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> reliability(model).stream()
                .anyMatch(e -> e.kind() == ReliabilityEvent.Kind.BREAKER_OPEN));
        assertBreakerGauge(model, "2.0");
        mock.clear();
        Response refused = openAi().body(chat(model, false)).post("/v1/chat/completions");
        refused.then().statusCode(503).header("retry-after", "1")
                .body("error.code", equalTo("iron_cage_provider_unavailable"))
                .body("error.message", containsString("circuit breaker"));
        assertEquals(0, mock.count(), "an open breaker sends nothing upstream");
        assertNull(refused.header("x-iron-model"));

        await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(5)).until(() -> openAi()
                .body(chat(model, false)).post("/v1/chat/completions").statusCode() == 200);
        openAi().body(chat(model, false)).post("/v1/chat/completions").then().statusCode(200);
        List<ReliabilityEvent.Kind> kinds = reliability(model).stream().map(ReliabilityEvent::kind).toList();
        assertTrue(kinds.containsAll(List.of(ReliabilityEvent.Kind.RETRY, ReliabilityEvent.Kind.BREAKER_OPEN,
                ReliabilityEvent.Kind.BREAKER_REJECTED, ReliabilityEvent.Kind.BREAKER_HALF_OPEN,
                ReliabilityEvent.Kind.BREAKER_CLOSED)), kinds.toString());
        assertBreakerGauge(model, "0.0");
    }

    /** The breaker's state gauge as Prometheus scrapes it: 0 closed, 1 half-open, 2 open. */
    private static void assertBreakerGauge(String model, String value) {
        given().get("/q/metrics").then().statusCode(200).body(containsString(
                "iron_breaker_state{model=\"" + model + "\",provider=\"openai\"} " + value));
    }

    @Test
    void aCallLongerThanTheTotalTimeoutEndsWithAnInStreamError() {
        long start = System.nanoTime();
        String body = openAi().header("x-mock-chunk-delay-ms", "400").header("x-mock-repeat", "40")
                .body(chat("gpt-4o-mini", true)).post("/v1/chat/completions").then().statusCode(200).extract()
                .asString();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(body.contains("total-timeout"), body);
        assertTrue(body.endsWith("data: [DONE]\n\n"), "a proper end: " + body.substring(Math.max(0, body.length() - 200)));
        assertTrue(seconds >= 5 && seconds < 9, "ended at the 6 s total timeout, took " + seconds + " s");
    }
}
