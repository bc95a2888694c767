package io.ironcage.it;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.CompletedCall;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Same-dialect calls: the body goes upstream as sent, with the real key in place of the IC token. */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class PassThroughTest extends RouterTestBase {

    @Test
    void healthLineWithoutAuth() {
        io.restassured.RestAssured.given().baseUri(router.rootUrl()).get("/").then().statusCode(200)
                .body(equalTo("Iron Runtime LlmRouter OK"));
    }

    @Test
    void openAiChatGoesUpstreamAsSentWithTheRealKey() {
        openAi().header("OpenAI-Organization", "org-kept").body(CHAT).post("/v1/chat/completions").then()
                .statusCode(200)
                .header("x-iron-overhead-ms", notNullValue())
                .header("x-iron-request-id", notNullValue())
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo("Mock answer to: Hello router"))
                .body("usage.completion_tokens", equalTo(5));
        Map<String, String> headers = mock.lastHeaders();
        assertEquals("Bearer " + MockProviderResource.OPENAI_KEY, headers.get("authorization"));
        assertEquals("org-kept", headers.get("openai-organization"));
        assertFalse(headers.containsValue(TOKEN), "the IC token must not reach the provider");
        assertEquals(CHAT, mock.lastBody(), "pass-through must not rewrite the body");
        assertEquals("/v1/chat/completions", mock.last().get("path"));
    }

    @Test
    void anthropicMessagesGetKeyAndDefaultVersion() {
        anthropic().body(MESSAGES).post("/v1/messages").then().statusCode(200)
                .body("type", equalTo("message"))
                .body("content[0].text", equalTo("Mock answer to: Hello router"));
        Map<String, String> headers = mock.lastHeaders();
        assertEquals(MockProviderResource.ANTHROPIC_KEY, headers.get("x-api-key"));
        assertEquals("2023-06-01", headers.get("anthropic-version"));
        assertNull(headers.get("authorization"));
        assertEquals(MESSAGES, mock.lastBody());
    }

    @Test
    void anthropicClientVersionAndBetaHeadersAreKeptAndBearerAuthAccepted() {
        io.restassured.RestAssured.given().baseUri(router.rootUrl()).contentType("application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .header("anthropic-version", "2025-01-01").header("anthropic-beta", "tools-2024")
                .body(MESSAGES).post("/v1/messages").then().statusCode(200);
        Map<String, String> headers = mock.lastHeaders();
        assertEquals("2025-01-01", headers.get("anthropic-version"));
        assertEquals("tools-2024", headers.get("anthropic-beta"));
        assertEquals(MockProviderResource.ANTHROPIC_KEY, headers.get("x-api-key"));
    }

    @Test
    void openAiStreamAsksForUsageButHidesItFromAClientThatDidNot() {
        String chat = CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");
        String sse = openAi().body(chat).post("/v1/chat/completions").then().statusCode(200)
                .header("content-type", containsString("text/event-stream"))
                .extract().asString();
        assertFalse(sse.contains("usage"), "the client did not ask for usage: " + sse);
        assertTrue(sse.trim().endsWith("data: [DONE]"), sse);
        assertEquals("Mock answer to: Hello router", SseText.openAiContent(sse));
        JsonPath sent = mock.lastBodyJson();
        assertEquals(Boolean.TRUE, sent.get("stream_options.include_usage"));
        assertEquals("gpt-4o-mini", sent.get("model"));
        CompletedCall call = lastCall();
        assertTrue(call.outcome().usageReported());
        assertEquals(5, call.outcome().usage().outputTokens());
        assertTrue(call.stream());
    }

    @Test
    void openAiStreamWithUsageRequestedIsPipedUnchanged() {
        String chat = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello router\"}]}";
        String sse = openAi().body(chat).post("/v1/chat/completions").then().statusCode(200).extract().asString();
        assertTrue(sse.contains("\"completion_tokens\":5"), sse);
        assertEquals(chat, mock.lastBody());
        assertEquals(5, lastCall().outcome().usage().outputTokens());
    }

    @Test
    void anthropicStreamIsPipedAndItsUsageRead() {
        String body = MESSAGES.replace("{\"model\"", "{\"stream\":true,\"model\"");
        String sse = anthropic().body(body).post("/v1/messages").then().statusCode(200).extract().asString();
        assertTrue(sse.contains("event: message_start"), sse);
        assertTrue(sse.trim().endsWith("data: {\"type\":\"message_stop\"}"), sse);
        assertEquals("Mock answer to: Hello router", SseText.anthropicText(sse));
        CompletedCall call = lastCall();
        assertTrue(call.outcome().usage().inputTokens() > 0);
        assertEquals(5, call.outcome().usage().outputTokens());
        assertEquals("anthropic", call.provider());
    }

    @Test
    void nonStreamUsageIsKeptPerCall() {
        openAi().body(CHAT).post("/v1/chat/completions").then().statusCode(200);
        CompletedCall call = lastCall();
        assertEquals("openai", call.provider());
        assertEquals("gpt-4o-mini", call.model());
        assertEquals(200, call.outcome().status());
        assertEquals(5, call.outcome().usage().outputTokens());
        assertTrue(call.outcome().usage().inputTokens() > 0);
    }

    @Test
    void otherV1PathsAreForwardedUnchanged() {
        openAi().get("/openai/v1/models?limit=2").then().statusCode(200).body("data.id", org.hamcrest.Matchers.hasItem("gpt-4o-mini"));
        assertEquals("/v1/models", mock.last().get("path"));
        assertEquals("limit=2", mock.last().get("query"));
        openAi().body("{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}").post("/v1/embeddings").then()
                .statusCode(200).body("data.size()", equalTo(2));
        assertEquals("Bearer " + MockProviderResource.OPENAI_KEY, mock.lastHeaders().get("authorization"));
    }

    @Test
    void aPathWithoutModelNeedsAPrefixOrDefaultWhenSeveralProvidersHaveKeys() {
        openAi().get("/v1/models").then().statusCode(400)
                .body("error.message", containsString("quarkus.iron.default-provider"));
    }

    @Test
    void pathPrefixForcesTheProviderAndIsStripped() {
        anthropic().body(MESSAGES.replace("claude-sonnet-4-5", "my-custom-model")).post("/anthropic/v1/messages")
                .then().statusCode(200);
        assertEquals("/v1/messages", mock.last().get("path"));
        assertEquals(MockProviderResource.ANTHROPIC_KEY, mock.lastHeaders().get("x-api-key"));
        openAi().get("/openai/v1/models").then().statusCode(200);
        assertEquals("/v1/models", mock.last().get("path"));
    }

    @Test
    void missingOrWrongTokenGets401InTheClientsDialectAndNothingIsForwarded() {
        io.restassured.RestAssured.given().baseUri(router.rootUrl()).contentType("application/json").body(CHAT)
                .post("/v1/chat/completions").then().statusCode(401)
                .body("error.type", equalTo("authentication_error"))
                .body("error.message", containsString("IC token"));
        io.restassured.RestAssured.given().baseUri(router.rootUrl()).contentType("application/json")
                .header("x-api-key", TOKEN + "x").body(MESSAGES).post("/v1/messages").then().statusCode(401)
                .body("type", equalTo("error")).body("error.type", equalTo("authentication_error"));
        io.restassured.RestAssured.given().baseUri(router.rootUrl()).contentType("application/json")
                .header("Authorization", "Bearer " + MockProviderResource.OPENAI_KEY).body(CHAT)
                .post("/v1/chat/completions").then().statusCode(401);
        assertEquals(0, mock.count());
    }

    @Test
    void malformedJsonGets400() {
        openAi().body("{\"model\":\"gpt-4o-mini\",\"messages\":[").post("/v1/chat/completions").then()
                .statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_json"));
        anthropic().body("not json").post("/v1/messages").then().statusCode(400)
                .body("type", equalTo("error")).body("error.type", equalTo("invalid_request_error"));
        assertEquals(0, mock.count());
    }

    @Test
    void missingModelGets400() {
        openAi().body("{\"messages\":[]}").post("/v1/chat/completions").then().statusCode(400)
                .body("error.code", equalTo("missing_model")).body("error.message", containsString("model"));
    }

    @Test
    void unknownModelGets400NamingIt() {
        openAi().body(CHAT.replace("gpt-4o-mini", "mystery-model-7")).post("/v1/chat/completions").then()
                .statusCode(400).body("error.message", containsString("mystery-model-7"));
        assertEquals(0, mock.count());
    }

    @Test
    void bodyOverTheLimitGets413() {
        String huge = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(1_100_000) + "\"}]}";
        openAi().body(huge).post("/v1/chat/completions").then().statusCode(413)
                .body("error.message", containsString("max-body-size"));
        assertEquals(0, mock.count());
    }

    @Test
    void aChunkedBodyWithoutLengthIsReadWholeAndForwarded() throws Exception {
        HttpResponse<String> answer = sendChunked(CHAT);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(CHAT, mock.lastBody());
    }

    @Test
    void aChunkedBodyOverTheLimitGets413() throws Exception {
        String huge = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(1_100_000) + "\"}]}";
        HttpResponse<String> answer = sendChunked(huge);
        assertEquals(413, answer.statusCode());
        assertTrue(answer.body().contains("max-body-size"), answer.body());
        assertEquals(0, mock.count());
    }

    /** A body of unknown length: Java's client sends it chunked, with no content-length. */
    private HttpResponse<String> sendChunked(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(router.rootUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request,
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownRouteGets404() {
        openAi().get("/v2/whatever").then().statusCode(404).body("error.message", containsString("/v2/whatever"));
        anthropic().get("/anthropic/status").then().statusCode(404).body("type", equalTo("error"));
    }

    @Test
    void providerErrorsPassThroughWithStatusAndBody() {
        openAi().header("x-mock-status", "429").header("x-mock-error-message", "Slow down")
                .body(CHAT).post("/v1/chat/completions").then().statusCode(429)
                .body("error.message", equalTo("Slow down"));
        anthropic().header("x-mock-status", "529").body(MESSAGES).post("/v1/messages").then().statusCode(529)
                .body("type", equalTo("error"));
        assertEquals(529, lastCall().outcome().status());
    }

    @Test
    void unreachableProviderGets502() {
        openAi().body(CHAT.replace("gpt-4o-mini", "down-model")).post("/v1/chat/completions").then()
                .statusCode(502).body("error.message", containsString("unreachable"))
                .body("error.message", not(containsString("sk-unreachable")));
    }

    @Test
    void slowProviderGets504() {
        openAi().header("x-mock-delay-ms", "4000").body(CHAT).post("/v1/chat/completions").then()
                .statusCode(504).body("error.type", equalTo("server_error"))
                .body("error.message", containsString("did not answer"));
        anthropic().header("x-mock-delay-ms", "4000").body(MESSAGES).post("/v1/messages").then()
                .statusCode(504).body("error.type", equalTo("timeout_error"));
    }

    @Test
    void stalledStreamEndsWithAnInStreamErrorAndDone() {
        String chat = CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");
        String sse = openAi().header("x-mock-stall-after", "3").body(chat).post("/v1/chat/completions").then()
                .statusCode(200).extract().asString();
        assertTrue(sse.contains("\"error\""), sse);
        assertTrue(sse.trim().endsWith("data: [DONE]"), sse);
        String anth = anthropic().header("x-mock-stall-after", "4")
                .body(MESSAGES.replace("{\"model\"", "{\"stream\":true,\"model\"")).post("/v1/messages").then()
                .statusCode(200).extract().asString();
        assertTrue(anth.contains("event: error"), anth);
        assertTrue(anth.contains("timeout_error"), anth);
    }

    @Test
    void streamCutByTheProviderEndsWithAnInStreamError() {
        String sse = anthropic().header("x-mock-cut-after", "4")
                .body(MESSAGES.replace("{\"model\"", "{\"stream\":true,\"model\"")).post("/v1/messages").then()
                .statusCode(200).extract().asString();
        assertTrue(sse.contains("event: error"), sse);
        assertTrue(sse.contains("Provider 'anthropic' failed"), sse);
        assertNotNullOutcomeError();
    }

    @Test
    void errorsNeverCarryTheProviderKey() {
        List<String> bodies = List.of(
                openAi().body(CHAT.replace("gpt-4o-mini", "down-model")).post("/v1/chat/completions").asString(),
                openAi().header("x-mock-delay-ms", "4000").body(CHAT).post("/v1/chat/completions").asString(),
                openAi().body("{").post("/v1/chat/completions").asString(),
                anthropic().header("x-mock-cut-after", "2")
                        .body(MESSAGES.replace("{\"model\"", "{\"stream\":true,\"model\"")).post("/v1/messages")
                        .asString());
        for (String body : bodies) {
            assertFalse(body.contains(MockProviderResource.OPENAI_KEY), body);
            assertFalse(body.contains(MockProviderResource.ANTHROPIC_KEY), body);
            assertFalse(body.contains("SECRET"), body);
        }
    }

    private void assertNotNullOutcomeError() {
        assertTrue(lastCall().outcome().error() != null, "the call must be recorded as failed");
    }

    private CompletedCall lastCall() {
        List<CompletedCall> calls = router.recentCalls();
        return calls.get(calls.size() - 1);
    }
}
