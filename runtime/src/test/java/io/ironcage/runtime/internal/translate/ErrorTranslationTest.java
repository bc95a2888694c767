package io.ironcage.runtime.internal.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

class ErrorTranslationTest {

    private static final String OPENAI_401 = "{\"error\":{\"message\":\"Incorrect API key provided: sk-****abcd.\","
            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
    private static final String OPENAI_429 = "{\"error\":{\"message\":\"You exceeded your current quota.\","
            + "\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}";
    private static final String OPENAI_400_PARAM = "{\n  \"error\": {\n    \"message\": \"Invalid 'messages[1].content':"
            + " string too long.\",\n    \"type\": \"invalid_request_error\",\n    \"param\": \"messages[1].content\",\n"
            + "    \"code\": \"string_above_max_length\"\n  }\n}\n";
    private static final String ANTHROPIC_529 = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
            + "\"message\":\"Overloaded\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    private static final String ANTHROPIC_TOO_LONG = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"message\":\"prompt is too long: 208310 tokens > 200000 maximum\"}}";

    private static JsonObject toAnthropic(int status, String body) {
        return ErrorTranslation.toClient(Dialect.ANTHROPIC, status, body == null ? null : Buffer.buffer(body));
    }

    private static JsonObject toOpenAi(int status, String body) {
        return ErrorTranslation.toClient(Dialect.OPENAI, status, body == null ? null : Buffer.buffer(body));
    }

    private static void assertAnthropic(JsonObject actual, String type, String message) {
        assertEquals(new JsonObject().put("type", "error")
                .put("error", new JsonObject().put("type", type).put("message", message)), actual);
    }

    private static void assertOpenAi(JsonObject actual, String type, String message, String param, String code) {
        assertEquals(new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
                .put("param", param).put("code", code)), actual);
    }

    @Test
    void openAiErrorsForAnthropicClients() {
        assertAnthropic(toAnthropic(401, OPENAI_401), "authentication_error", "Incorrect API key provided: sk-****abcd.");
        assertAnthropic(toAnthropic(429, OPENAI_429), "billing_error", "You exceeded your current quota.");
        assertAnthropic(toAnthropic(400, OPENAI_400_PARAM), "invalid_request_error",
                "Invalid 'messages[1].content': string too long.");
        assertAnthropic(toAnthropic(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"),
                "api_error", "The server had an error");
    }

    @ParameterizedTest
    @CsvSource({ "400,invalid_request_error", "401,authentication_error", "402,billing_error",
            "403,permission_error", "404,not_found_error", "405,invalid_request_error", "409,invalid_request_error",
            "413,request_too_large", "422,invalid_request_error", "429,rate_limit_error", "500,api_error",
            "502,api_error", "503,overloaded_error", "504,timeout_error", "529,overloaded_error" })
    void anthropicTypeByStatus(int status, String type) {
        String body = "{\"error\":{\"message\":\"boom\",\"type\":\"something_openai\",\"param\":null,\"code\":null}}";
        assertAnthropic(toAnthropic(status, body), type, "boom");
    }

    @Test
    void anthropicErrorsForOpenAiClients() {
        assertOpenAi(toOpenAi(529, ANTHROPIC_529), "overloaded_error", "Overloaded", null, null);
        assertOpenAi(toOpenAi(400, ANTHROPIC_TOO_LONG), "invalid_request_error",
                "prompt is too long: 208310 tokens > 200000 maximum", null, "context_length_exceeded");
        assertOpenAi(toOpenAi(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                + "\"message\":\"invalid x-api-key\"}}"), "authentication_error", "invalid x-api-key", null, null);
    }

    @Test
    void openAiClientKeepsParamAndCodeOfOpenAiShapedBodies() {
        assertOpenAi(toOpenAi(400, OPENAI_400_PARAM), "invalid_request_error",
                "Invalid 'messages[1].content': string too long.", "messages[1].content", "string_above_max_length");
        // numeric codes (some compatible servers) become text
        assertOpenAi(toOpenAi(429, "{\"error\":{\"message\":\"slow down\",\"code\":429}}"), "rate_limit_error",
                "slow down", null, "429");
    }

    @ParameterizedTest
    @CsvSource({ "400,invalid_request_error", "401,authentication_error", "403,permission_error",
            "404,invalid_request_error", "413,invalid_request_error", "429,rate_limit_error", "500,server_error",
            "503,server_error" })
    void openAiTypeByStatusWhenProviderGaveNone(int status, String type) {
        assertOpenAi(toOpenAi(status, "oops"), type, "oops", null, null);
    }

    @Test
    void emptyOrMissingBodiesGiveTheStatusMessage() {
        assertAnthropic(toAnthropic(502, ""), "api_error", "Provider returned HTTP 502");
        assertAnthropic(toAnthropic(503, null), "overloaded_error", "Provider returned HTTP 503");
        assertOpenAi(toOpenAi(500, "   \n"), "server_error", "Provider returned HTTP 500", null, null);
        assertOpenAi(toOpenAi(429, "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"\"}}"), "rate_limit_error",
                "Provider returned HTTP 429", null, null);
    }

    @Test
    void nonJsonBodiesKeepTheirText() {
        String html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        assertAnthropic(toAnthropic(502, html), "api_error", html);
        assertOpenAi(toOpenAi(504, "upstream request timeout\n"), "server_error", "upstream request timeout", null,
                null);
        assertAnthropic(toAnthropic(400, "{not json"), "invalid_request_error", "{not json");
    }

    @Test
    void otherJsonShapes() {
        // {"error": "text"} (some OpenAI-compatible servers)
        assertAnthropic(toAnthropic(404, "{\"error\":\"model 'llama9' not found\"}"), "not_found_error",
                "model 'llama9' not found");
        // {"message": ...} and {"detail": ...}
        assertOpenAi(toOpenAi(400, "{\"message\":\"bad thing\"}"), "invalid_request_error", "bad thing", null, null);
        assertOpenAi(toOpenAi(422, "{\"detail\":\"field required\"}"), "invalid_request_error", "field required", null,
                null);
        // JSON without any message: the body itself is the message
        assertOpenAi(toOpenAi(500, "{\"status\":500}"), "server_error", "{\"status\":500}", null, null);
    }

    @Test
    void longMessagesAreCapped() {
        String longText = "x".repeat(ErrorTranslation.MAX_MESSAGE + 500);
        String message = toAnthropic(500, longText).getJsonObject("error").getString("message");
        assertEquals(ErrorTranslation.MAX_MESSAGE + 1, message.length());
        assertTrue(message.endsWith("…"));
    }

    @Test
    void anthropicTypeWithoutStatusMapsOpenAiTypesByName() {
        assertEquals("api_error", ErrorTranslation.anthropicType("server_error", null, 0));
        assertEquals("rate_limit_error", ErrorTranslation.anthropicType("rate_limit_exceeded", null, 0));
        assertEquals("timeout_error", ErrorTranslation.anthropicType("upstream_timeout", null, 0));
        assertEquals("overloaded_error", ErrorTranslation.anthropicType("overloaded_error", null, 0));
        assertEquals("invalid_request_error", ErrorTranslation.anthropicType("invalid_request_error", null, 0));
        assertEquals("api_error", ErrorTranslation.anthropicType(null, null, 0));
    }

    @Test
    void facadeUsesTheClientDialect() {
        JsonObject body = Translation.between(Dialect.ANTHROPIC, Dialect.OPENAI, 1024).error(401,
                Buffer.buffer(OPENAI_401));
        assertEquals("authentication_error", body.getJsonObject("error").getString("type"));
        JsonObject openAi = Translation.between(Dialect.OPENAI, Dialect.ANTHROPIC, 1024).error(529,
                Buffer.buffer(ANTHROPIC_529));
        assertNull(openAi.getString("type"));
        assertEquals("Overloaded", openAi.getJsonObject("error").getString("message"));
    }
}
