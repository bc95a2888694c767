package io.ironcage.it.pii;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.ironcage.it.MockProviderResource;
import io.ironcage.runtime.LlmRouter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Answers redacted, JSON and streamed, in both dialects, pass-through and translated: values that the provider
 * streams across several deltas (a spaced card number, a phone number) are still replaced, and nothing of them
 * reaches the client. Requests are only reported here, so that the mock can say what it is asked to.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
@TestProfile(PiiAnswersTest.RedactAnswers.class)
class PiiAnswersTest {

    public static class RedactAnswers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.iron.pii.request-mode", "detect", "quarkus.iron.pii.response-mode", "redact",
                    "quarkus.iron.pii.custom.employee.regex", "EMP-[0-9]{6}",
                    "quarkus.iron.pii.custom.employee.max-length", "10");
        }
    }

    static final String SAY = "Card 4111 1111 1111 1111 belongs to jane.doe@example.com (call +1 (555) 123-4567), "
            + "badge EMP-123456, nothing else.";
    static final String REDACTED = "Card [REDACTED_CARD] belongs to [REDACTED_EMAIL] (call [REDACTED_PHONE]), "
            + "badge [REDACTED_EMPLOYEE], nothing else.";

    @Inject
    LlmRouter router;

    private RequestSpecification client() {
        return given().baseUri(router.rootUrl()).contentType(ContentType.JSON).header("x-api-key", "ic_test_token")
                .header("x-mock-answer", SAY);
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me\"}]}";
    }

    /** The text of a stream: OpenAI content deltas or Anthropic text deltas, joined. */
    private static String streamedText(String sse) {
        StringBuilder text = new StringBuilder();
        Matcher m = Pattern.compile("\"(?:content|text)\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(sse);
        while (m.find()) {
            text.append(m.group(1).replace("\\\"", "\""));
        }
        return text.toString();
    }

    @Test
    void jsonAnswersAreRedactedInBothDialects() {
        client().body(chat("gpt-4o-mini", false)).post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].message.content", equalTo(REDACTED));
        client().body(chat("claude-sonnet-4-5", false)).post("/v1/messages").then().statusCode(200)
                .body("content[0].text", equalTo(REDACTED));
    }

    @Test
    void openAiStreamsAreRedactedAcrossDeltas() {
        String sse = client().body(chat("gpt-4o-mini", true)).post("/v1/chat/completions").then().statusCode(200)
                .extract().asString();
        assertEquals(REDACTED, streamedText(sse));
        assertFalse(sse.contains("4111") || sse.contains("555") || sse.contains("jane"), sse);
        assertTrue(sse.endsWith("data: [DONE]\n\n"), sse);
    }

    @Test
    void anthropicStreamsAreRedactedAcrossDeltasAndEndProperly() {
        String sse = client().body(chat("claude-sonnet-4-5", true)).post("/v1/messages").then().statusCode(200)
                .extract().asString();
        assertEquals(REDACTED, streamedText(sse));
        assertFalse(sse.contains("4111") || sse.contains("555") || sse.contains("jane"), sse);
        assertTrue(sse.indexOf("content_block_stop") > sse.lastIndexOf("content_block_delta"), sse);
        assertTrue(sse.contains("event: message_stop"), sse);
    }

    @Test
    void translatedStreamsAreRedactedInTheClientsDialect() {
        String sse = client().body(chat("claude-sonnet-4-5", true)).post("/v1/chat/completions").then()
                .statusCode(200).extract().asString();
        assertEquals(REDACTED, streamedText(sse));
        assertFalse(sse.contains("4111"), sse);
    }
}
