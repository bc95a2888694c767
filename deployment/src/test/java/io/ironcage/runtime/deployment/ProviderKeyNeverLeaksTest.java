package io.ironcage.runtime.deployment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.mock.MockProvider;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.Vertx;

/**
 * Provider keys never appear in responses, headers or logs (DEBUG included), whatever happens to the call: success,
 * stream, provider error, provider unreachable, provider too slow, stream cut.
 */
class ProviderKeyNeverLeaksTest {

    static final String OPENAI_KEY = "sk-proj-LEAKCHECK-openai-4f1d2c";
    static final String ANTHROPIC_KEY = "sk-ant-LEAKCHECK-anthropic-9a8b";
    static final String UNREACHABLE_KEY = "sk-LEAKCHECK-unreachable-77";
    static final MockProvider MOCK = new MockProvider(Vertx.vertx(), OPENAI_KEY, ANTHROPIC_KEY);
    static {
        MOCK.start(0).toCompletionStage().toCompletableFuture().join();
    }

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.iron.token", "ic_leak")
            .overrideConfigKey("quarkus.iron.providers.openai.base-url", MOCK.baseUrl())
            .overrideConfigKey("quarkus.iron.providers.openai.api-key", OPENAI_KEY)
            .overrideConfigKey("quarkus.iron.providers.anthropic.base-url", MOCK.baseUrl())
            .overrideConfigKey("quarkus.iron.providers.anthropic.api-key", ANTHROPIC_KEY)
            .overrideConfigKey("quarkus.iron.providers.down.base-url", "http://127.0.0.1:1")
            .overrideConfigKey("quarkus.iron.providers.down.api-key", UNREACHABLE_KEY)
            .overrideConfigKey("quarkus.iron.providers.down.models", "down-")
            .overrideConfigKey("quarkus.iron.router.first-byte-timeout", "1s")
            .overrideConfigKey("quarkus.log.level", "DEBUG")
            .overrideConfigKey("quarkus.log.min-level", "DEBUG")
            .setLogRecordPredicate(r -> true)
            .assertLogRecords(ProviderKeyNeverLeaksTest::assertNoKeyIn);

    @Inject
    LlmRouter router;

    @Test
    void noKeyInAnyAnswer() {
        List<Response> answers = new ArrayList<>();
        answers.add(call("/v1/chat/completions", chat("gpt-4o-mini", false), null));
        answers.add(call("/v1/chat/completions", chat("gpt-4o-mini", true), null));
        answers.add(call("/v1/chat/completions", chat("gpt-4o-mini", false), "x-mock-status:401"));
        answers.add(call("/v1/chat/completions", chat("down-model", false), null));
        answers.add(call("/v1/chat/completions", chat("gpt-4o-mini", false), "x-mock-delay-ms:2000"));
        answers.add(call("/v1/messages", chat("claude-haiku-4-5", true), "x-mock-cut-after:3"));
        answers.add(call("/v1/messages", chat("claude-haiku-4-5", false), null));
        answers.add(call("/v1/chat/completions", "{broken", null));
        for (Response answer : answers) {
            String all = answer.getHeaders().toString() + answer.asString();
            for (String key : List.of(OPENAI_KEY, ANTHROPIC_KEY, UNREACHABLE_KEY, "LEAKCHECK")) {
                assertFalse(all.contains(key), () -> "key leaked in answer: " + all);
            }
        }
        assertTrue(answers.get(0).statusCode() == 200 && answers.get(3).statusCode() == 502
                && answers.get(4).statusCode() == 504);
    }

    private Response call(String path, String body, String header) {
        var spec = RestAssured.given().baseUri(router.rootUrl()).header("Authorization", "Bearer ic_leak")
                .contentType("application/json").body(body);
        if (header != null) {
            String[] kv = header.split(":");
            spec.header(kv[0], kv[1]);
        }
        return spec.post(path);
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static void assertNoKeyIn(List<LogRecord> records) {
        assertTrue(records.stream().anyMatch(r -> r.getLevel().intValue() <= Level.FINE.intValue()),
                "DEBUG records must have been captured for this check to mean anything");
        for (LogRecord r : records) {
            StringBuilder text = new StringBuilder(r instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                    : String.valueOf(r.getMessage()));
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                text.append(' ').append(t);
            }
            assertFalse(text.toString().contains("LEAKCHECK"), () -> "key leaked in log: " + text);
        }
    }
}
