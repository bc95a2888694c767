package io.ironcage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code client-idle-timeout} (1 s here): a connection with no call in progress is closed once it has been idle that
 * long, whether nothing was ever sent on it, its headers trickle in, or its last call was answered; a call in progress
 * is never cut by it, and a client that keeps connections simply opens a new one.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
@TestProfile(ClientIdleTest.ShortIdle.class)
class ClientIdleTest extends RouterTestBase {

    public static class ShortIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the slow answer below must stay well inside the provider limits (2 s in the other tests)
            return Map.of("quarkus.iron.router.client-idle-timeout", "1s",
                    "quarkus.iron.router.first-byte-timeout", "10s", "quarkus.iron.router.idle-timeout", "10s");
        }
    }

    private static final byte[] CHAT_BYTES = CHAT.getBytes(StandardCharsets.UTF_8);

    @Test
    void aConnectionNothingIsSentOnIsClosed() throws Exception {
        try (Socket socket = rawConnection(10_000)) {
            long closedAfter = millisUntilClosed(socket.getInputStream());
            assertTrue(closedAfter >= 900 && closedAfter < 5_000, "closed after " + closedAfter + " ms");
        }
    }

    @Test
    void headersThatNeverFinishAreNotWaitedForForEver() throws Exception {
        long connected = System.nanoTime();
        try (Socket socket = rawConnection(10_000)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(400);
            out.write(("Authorization: Bearer " + TOKEN + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            millisUntilClosed(socket.getInputStream());
            long closedAfter = (System.nanoTime() - connected) / 1_000_000; // headers arriving do not count
            assertTrue(closedAfter >= 900 && closedAfter < 5_000, "closed after " + closedAfter + " ms");
        }
        assertEquals(0, mock.count(), "nothing may reach the provider");
    }

    @Test
    void aKeptAliveConnectionServesCallsAndClosesOnceIdle() throws Exception {
        try (Socket socket = rawConnection(10_000)) {
            InputStream in = socket.getInputStream();
            for (int call = 0; call < 3; call++) {
                Thread.sleep(600); // less than the limit each time, more than it in all
                call(socket);
                assertTrue(RawHttp.readAnswer(in).startsWith("HTTP/1.1 200"), "call " + call);
            }
            long closedAfter = millisUntilClosed(in); // counted from the answer's end, a little before this read
            assertTrue(closedAfter >= 700 && closedAfter < 5_000, "closed after " + closedAfter + " ms");
        }
        assertEquals(3, mock.count());
    }

    @Test
    void callsInProgressAreNotCutHoweverLongTheyTake() throws Exception {
        try (Socket socket = rawConnection(10_000)) {
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write(RawHttp.postHead("/v1/chat/completions", CHAT_BYTES.length,
                    "Authorization: Bearer " + TOKEN, "x-mock-delay-ms: 2500"));
            socket.getOutputStream().write(CHAT_BYTES);
            String answer = RawHttp.readAnswer(in);
            assertTrue(answer.startsWith("HTTP/1.1 200"), "a slow answer arrives whole: " + answer);

            String stream = CHAT.replace("\"messages\"", "\"stream\":true,\"messages\"");
            byte[] streamBytes = stream.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(RawHttp.postHead("/v1/chat/completions", streamBytes.length,
                    "Authorization: Bearer " + TOKEN, "x-mock-chunk-delay-ms: 300"));
            socket.getOutputStream().write(streamBytes);
            String head = RawHttp.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            long started = System.nanoTime();
            String events = RawHttp.readChunked(in);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(events.contains("data: [DONE]"), events);
            assertTrue(tookMillis > 1_500, "the stream outlasted the idle limit: " + tookMillis + " ms");
        }
    }

    @Test
    void theOfficialSdkReconnectsAfterItsConnectionWasClosed() throws Exception {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(router.baseUrl()).apiKey(router.apiKey())
                .maxRetries(0).build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addUserMessage("Hello again").build();
        assertEquals("Mock answer to: Hello again",
                client.chat().completions().create(params).choices().get(0).message().content().orElseThrow());
        // the router closes the SDK's pooled connection meanwhile; OkHttp checks a connection idle for 10 s or more
        // before it reuses it (the router's default limit is 75 s), and opens a new one when it is gone
        Thread.sleep(11_000);
        assertEquals("Mock answer to: Hello again",
                client.chat().completions().create(params).choices().get(0).message().content().orElseThrow());
        assertEquals(2, mock.count());
    }

    private static void call(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(RawHttp.postHead("/v1/chat/completions", CHAT_BYTES.length, "Authorization: Bearer " + TOKEN));
        out.write(CHAT_BYTES);
        out.flush();
    }

    /** How long until the router closes the connection (end of stream); fails if it sends anything instead. */
    private static long millisUntilClosed(InputStream in) throws IOException {
        long started = System.nanoTime();
        try {
            int read = in.read();
            assertEquals(-1, read, "nothing but the close was expected");
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the connection was still open after 10 s");
        }
        return (System.nanoTime() - started) / 1_000_000;
    }
}
