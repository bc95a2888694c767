package io.ironcage.it;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.CompletedCall;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A provider whose connection never opens: after {@code quarkus.iron.router.connect-timeout} (and the retries) the
 * client gets 504 in its dialect, without the provider key, and the call is recorded as failed.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
@WithTestResource(BlackHoleProviderResource.class)
class ConnectTimeoutTest extends RouterTestBase {

    private static final String OPENAI_CHAT = "{\"model\":\"hole-1\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String ANTHROPIC_CHAT = "{\"model\":\"hole-1\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Test
    void openAiClientGets504AfterTheConnectTimeoutOfEveryAttempt() {
        long start = System.nanoTime();
        openAi().body(OPENAI_CHAT).post("/v1/chat/completions").then()
                .statusCode(504)
                .header("x-iron-attempts", "3") // the first attempt and quarkus.iron.reliability.retry.max-retries (2)
                .body("error.code", equalTo("upstream_connect_timeout"))
                .body("error.message", containsString("Provider 'blackhole' is unreachable"))
                .body("error.message", not(containsString(BlackHoleProviderResource.KEY)));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 3 * BlackHoleProviderResource.CONNECT_TIMEOUT_MILLIS,
                "three attempts, each waiting the connect timeout; took " + tookMillis + " ms");
        assertTrue(tookMillis < 10_000, "the connect timeout, not the 10 s default; took " + tookMillis + " ms");
        List<CompletedCall> calls = router.recentCalls();
        CompletedCall last = calls.get(calls.size() - 1);
        assertEquals(504, last.outcome().status(), "recorded as " + last.outcome());
    }

    @Test
    void anthropicClientGetsTheTimeoutInItsDialect() {
        anthropic().body(ANTHROPIC_CHAT).post("/v1/messages").then()
                .statusCode(504)
                .body("type", equalTo("error"))
                .body("error.type", notNullValue())
                .body("error.message", containsString("unreachable"))
                .body("error.message", not(containsString(BlackHoleProviderResource.KEY)));
    }
}
