package io.ironcage.it;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import io.ironcage.runtime.BudgetStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Budgets in direct mode: reservations that hold under concurrency, 402 in the client's dialect, mid-stream cut-off,
 * partial charge of a stream the client left, fail-closed on unpriced models. Each test sets a limit just above what
 * was spent so far, so tests do not depend on each other; the limit is removed afterwards.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class BudgetTest extends RouterTestBase {

    static final String SONNET_STREAM = "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"max_tokens\":4096,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story\"}]}";

    @AfterEach
    void removeLimit() {
        router.setBudget(-1);
    }

    /** Sets the limit to what was spent plus {@code micros}. */
    private void allowMore(long micros) {
        BudgetStatus s = router.budgetStatus();
        assertEquals(0, s.reservedMicros(), "no call may be in flight between tests");
        router.setBudget((s.spentMicros() + micros) / 1e6);
    }

    @Test
    void everyCallIsPricedEvenWithoutALimit() {
        long before = router.budgetStatus().spentMicros();
        openAi().body(CHAT).post("/v1/chat/completions").then().statusCode(200);
        long cost = router.budgetStatus().spentMicros() - before;
        assertTrue(cost > 0, "gpt-4o-mini is priced, so a call costs something");
        assertFalse(router.budgetStatus().limited());
    }

    @Test
    void exhaustedBudgetGets402InEachDialectAndNothingIsForwarded() {
        allowMore(0);
        openAi().body(CHAT).post("/v1/chat/completions").then().statusCode(402)
                .body("error.type", equalTo("iron_cage_budget_exceeded"))
                .body("error.message", containsString("Spent: $"))
                .body("error.message", containsString("Limit: $"));
        anthropic().body(MESSAGES).post("/v1/messages").then().statusCode(402)
                .body("type", equalTo("error")).body("error.type", equalTo("iron_cage_budget_exceeded"));
        assertEquals(0, mock.count());
    }

    @Test
    void aReservationThatCannotPayForTheInputGets402Insufficient() {
        allowMore(20); // 20 µ$: not enough for the input and a minimal answer of claude-sonnet-4-5
        anthropic().body(MESSAGES).post("/v1/messages").then().statusCode(402)
                .body("error.type", equalTo("iron_cage_insufficient_budget"))
                .body("error.message", containsString("available"));
        assertEquals(0, mock.count());
    }

    @Test
    void theOpenAiSdkSeesA402() {
        allowMore(0);
        var client = OpenAIOkHttpClient.builder().baseUrl(router.baseUrl()).apiKey(router.apiKey()).maxRetries(0)
                .build();
        OpenAIServiceException e = assertThrows(OpenAIServiceException.class, () -> client.chat().completions()
                .create(ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build()));
        assertEquals(402, e.statusCode());
    }

    @Test
    void concurrentCallsNeverTogetherOverspend() throws Exception {
        String chat = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello router\"}]}";
        long limit = 6_000; // each call reserves about 1.6 k µ$ (input estimate + 100 tokens at $15/Mtok)
        allowMore(limit);
        long before = router.budgetStatus().spentMicros();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            answers.add(pool.submit(() -> anthropic().header("x-mock-delay-ms", "300").body(chat).post("/v1/messages")));
        }
        int ok = 0;
        int refused = 0;
        for (Future<Response> f : answers) {
            Response r = f.get();
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(402, r.statusCode(), r.asString());
                refused++;
            }
        }
        pool.shutdown();
        BudgetStatus after = router.budgetStatus();
        assertTrue(ok >= 1 && refused >= 1, "some calls fit, the others were refused: ok=" + ok + " refused=" + refused);
        assertTrue(after.spentMicros() - before <= limit, "spend may never pass the limit: " + after);
        assertEquals(0, after.reservedMicros(), "every reservation was settled or released");
        assertEquals(ok, mock.count(), "refused calls never reached the provider");
    }

    @Test
    void aStreamIsCutOffWhenItReachesWhatItHolds() {
        // Enough for the input and some 300 output tokens of claude-sonnet-4-5, far less than its 4096 max tokens.
        allowMore(5_000);
        long before = router.budgetStatus().spentMicros();
        String sse = anthropic().header("x-mock-repeat", "300").body(SONNET_STREAM).post("/v1/messages").then()
                .statusCode(200).extract().asString();
        assertTrue(sse.contains("event: error"), "the stream ends with an error event");
        assertTrue(sse.contains("iron_cage_budget_exceeded"), sse.substring(Math.max(0, sse.length() - 400)));
        assertFalse(sse.contains("message_stop"), "the provider's end never reached the client");
        String text = SseText.anthropicText(sse);
        assertTrue(text.length() > 100, "the client got the part of the answer its budget paid for");
        long charged = router.budgetStatus().spentMicros() - before;
        assertTrue(charged > 0 && charged <= 5_000, "charged what was streamed, within the limit: " + charged);
    }

    @Test
    void anOpenAiClientGetsTheCutInItsDialect() {
        allowMore(5_000);
        String chat = "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"max_tokens\":4096,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story\"}]}";
        String sse = openAi().header("x-mock-repeat", "300").body(chat).post("/v1/chat/completions").then()
                .statusCode(200).extract().asString();
        assertTrue(sse.contains("\"type\":\"iron_cage_budget_exceeded\""), sse.substring(Math.max(0, sse.length() - 400)));
        assertTrue(sse.trim().endsWith("data: [DONE]"));
    }

    @Test
    void aClientThatLeavesMidStreamIsChargedForWhatWasGenerated() throws Exception {
        allowMore(1_000_000);
        long before = router.budgetStatus().spentMicros();
        try (Socket socket = new Socket("127.0.0.1", router.port())) {
            byte[] body = SONNET_STREAM.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + TOKEN
                    + "\r\nContent-Type: application/json\r\nx-mock-repeat: 50\r\nx-mock-chunk-delay-ms: 20\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[4096];
            while (seen.indexOf("text_delta") < 0 || countOf(seen, "text_delta") < 10) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (router.budgetStatus().reservedMicros() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long charged = router.budgetStatus().spentMicros() - before;
        long worstCase = 61_440 + 1_000; // 4096 tokens at $15/Mtok, plus the input
        assertTrue(charged > 0, "not zero: the client received part of an answer");
        assertTrue(charged < worstCase / 4, "not the reservation: only what was generated (" + charged + " µ$)");
        assertTrue(router.recentCalls().get(router.recentCalls().size() - 1).outcome().clientAborted());
    }

    @Test
    void unpricedModelsAreRefusedUnderALimitAndServedWithout() {
        String llama = CHAT.replace("gpt-4o-mini", "llama-3.3-70b");
        openAi().body(llama).post("/v1/chat/completions").then().statusCode(200);
        allowMore(1_000_000);
        openAi().body(llama).post("/v1/chat/completions").then().statusCode(402)
                .body("error.type", equalTo("iron_cage_unpriced_model"))
                .body("error.message", containsString("llama-3.3-70b"))
                .body("error.message", containsString("quarkus.iron.pricing.file"));
    }

    private static int countOf(CharSequence text, String what) {
        int count = 0;
        for (int i = text.toString().indexOf(what); i >= 0; i = text.toString().indexOf(what, i + 1)) {
            count++;
        }
        return count;
    }
}
