package io.ironcage.it.pii;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ironcage.it.AsyncEvents;
import io.ironcage.it.MockProviderResource;
import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.PiiDetection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The default PII guard: requests redacted before they leave (both dialects, text, tools), answers reported. */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class PiiRequestTest {

    static final String EMAIL = "jane.doe@example.com";
    static final String CARD = "4111 1111 1111 1111";
    static final String KEY = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";

    @Inject
    LlmRouter router;

    @Inject
    AsyncEvents events;

    @ConfigProperty(name = "mock.url")
    String mockUrl;

    private List<PiiDetection> detections(String callId) {
        return events.of(PiiDetection.class, d -> callId.equals(d.callId()));
    }

    @BeforeEach
    void clearMock() {
        given().delete(mockUrl + "/mock/requests").then().statusCode(204);
    }

    private RequestSpecification client() {
        return given().baseUri(router.rootUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer ic_test_token");
    }

    private String lastBodyReceived() {
        List<Map<String, Object>> all = given().get(mockUrl + "/mock/requests").then().extract().jsonPath()
                .getList("$");
        return (String) all.get(all.size() - 1).get("body");
    }

    @Test
    void anOpenAiRequestIsRedactedInTextToolArgumentsAndToolResults() {
        String body = """
                {"model":"gpt-4o-mini","messages":[
                 {"role":"system","content":"Support agent. Escalate to %s"},
                 {"role":"user","content":[{"type":"text","text":"My card is %s, charge it"}]},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"lookup","arguments":"{\\"email\\":\\"%s\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"Customer key %s found"},
                 {"role":"user","content":"Thanks"}]}""".formatted(EMAIL, CARD, EMAIL, KEY);
        Response r = client().body(body).post("/v1/chat/completions");
        r.then().statusCode(200);
        String sent = lastBodyReceived();
        assertFalse(sent.contains(EMAIL) || sent.contains(CARD) || sent.contains(KEY), sent);
        assertTrue(sent.contains("Escalate to [REDACTED_EMAIL]"), sent);
        assertTrue(sent.contains("My card is [REDACTED_CARD], charge it"), sent);
        assertTrue(sent.contains("{\\\"email\\\":\\\"[REDACTED_EMAIL]\\\"}"), "tool arguments stay JSON: " + sent);
        assertTrue(sent.contains("Customer key [REDACTED_SECRET] found"), sent);
        assertTrue(sent.contains("\"tool_call_id\":\"call_1\"") && sent.contains("\"name\":\"lookup\""), sent);

        String id = r.header("x-iron-request-id");
        await().atMost(Duration.ofSeconds(5)).until(() -> detections(id).size() == 4);
        List<PiiDetection> found = detections(id);
        assertEquals(List.of("CARD", "EMAIL", "EMAIL", "SECRET"), found.stream().map(PiiDetection::kind).sorted().toList());
        assertTrue(found.stream().allMatch(d -> d.direction().equals("request") && d.action().equals("redacted")
                && d.agent().equals("default") && d.model().equals("gpt-4o-mini")));
        assertFalse(found.toString().contains(EMAIL), "events never carry the value");
    }

    @Test
    void anAnthropicRequestIsRedactedInSystemToolUseAndToolResult() {
        String body = """
                {"model":"claude-sonnet-4-5","max_tokens":64,"system":[{"type":"text","text":"Owner: %s"}],
                 "messages":[
                 {"role":"user","content":"Find the account"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"find","input":{"card":"%s"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"IBAN DE89 3704 0044 0532 0130 00"}]}]}"""
                .formatted(EMAIL, CARD);
        client().body(body).post("/v1/messages").then().statusCode(200).body("type", equalTo("message"));
        String sent = lastBodyReceived();
        assertTrue(sent.contains("Owner: [REDACTED_EMAIL]"), sent);
        assertTrue(sent.contains("\"card\":\"[REDACTED_CARD]\""), sent);
        assertTrue(sent.contains("IBAN [REDACTED_IBAN]"), sent);
        assertTrue(sent.contains("\"tool_use_id\":\"toolu_1\""), sent);
    }

    @Test
    void aRequestWithoutPiiIsForwardedByteForByte() {
        String body = "{\"model\":\"gpt-4o-mini\",  \"messages\":[{\"role\":\"user\",\"content\":\"Order 12345, version 1.2.3\"}]}";
        client().body(body).post("/v1/chat/completions").then().statusCode(200);
        assertEquals(body, lastBodyReceived());
    }

    @Test
    void theAnswerIsReportedButLeftAloneByDefault() {
        Response r = client().header("x-mock-answer", "Write to " + EMAIL).body(
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Who?\"}]}")
                .post("/v1/chat/completions");
        r.then().statusCode(200).body("choices[0].message.content", equalTo("Write to " + EMAIL));
        String id = r.header("x-iron-request-id");
        await().atMost(Duration.ofSeconds(5)).until(() -> detections(id).stream()
                .anyMatch(d -> d.direction().equals("response") && d.action().equals("detected")));
        given().get("/q/metrics").then().body(containsString(
                "iron_pii_detections_total{agent=\"default\",direction=\"response\",kind=\"EMAIL\"}"));
    }

    @Test
    void aFailingDetectorFailsClosed() {
        client().body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"please "
                + FailingDetector.TRIGGER + "\"}]}").post("/v1/chat/completions").then().statusCode(500)
                .body("error.code", equalTo("iron_cage_pii_scan_failed"))
                .body("error.message", not(containsString(FailingDetector.TRIGGER)));
        assertEquals(0, given().get(mockUrl + "/mock/requests").then().extract().jsonPath().getList("$").size(),
                "nothing forwarded unscanned");
        String stream = client().header("x-mock-answer", "fine then " + FailingDetector.TRIGGER + " end")
                .body("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        assertTrue(stream.contains("iron_cage_pii_scan_failed") && stream.endsWith("data: [DONE]\n\n"), stream);
    }
}
