package io.ironcage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * A client that sends its headers and then not the whole body gets 408 in its dialect once
 * {@code client-body-timeout} (2 s in tests) has passed, and its connection is closed; nothing reaches the provider.
 * A body that comes in pieces within the limit is a call like any other. A body refused for its size is not taken to
 * its end: the connection closes soon after the 413.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class SlowBodyTest extends RouterTestBase {

    @Test
    void aBodyThatNeverCompletesGets408InOpenAiFormAndTheConnectionCloses() throws Exception {
        long started = System.nanoTime();
        String answer = sendHalfAndWait("/v1/chat/completions", "Authorization: Bearer " + TOKEN, CHAT);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.toLowerCase().contains("connection: close"), answer);
        JsonObject error = body(answer).getJsonObject("error");
        assertEquals("invalid_request_error", error.getString("type"));
        assertTrue(error.getString("message").contains("client-body-timeout"), error.encode());
        assertTrue(tookMillis >= 1900 && tookMillis < 10_000, "answered after " + tookMillis + " ms");
        assertEquals(0, mock.count(), "nothing may reach the provider");
    }

    @Test
    void anthropicClientsGetTheirOwnErrorForm() throws Exception {
        String answer = sendHalfAndWait("/v1/messages", "x-api-key: " + TOKEN, MESSAGES);

        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        JsonObject body = body(answer);
        assertEquals("error", body.getString("type"));
        assertEquals("invalid_request_error", body.getJsonObject("error").getString("type"));
        assertTrue(body.getJsonObject("error").getString("message").contains("client-body-timeout"), body.encode());
    }

    @Test
    void aBodyInPiecesWithinTheLimitIsAnsweredAsUsual() throws Exception {
        byte[] body = CHAT.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = rawConnection(10_000)) {
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.postHead("/v1/chat/completions", body.length, "Authorization: Bearer " + TOKEN));
            out.write(body, 0, 10);
            out.flush();
            Thread.sleep(600);
            out.write(body, 10, 10);
            out.flush();
            Thread.sleep(600);
            out.write(body, 20, body.length - 20);
            out.flush();
            String answer = RawHttp.readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        assertEquals(CHAT, mock.lastBody(), "the provider got the whole body");
    }

    @Test
    void aRefusedBodyIsNotTakenToItsEnd() throws Exception {
        long declared = 100L * 1024 * 1024; // over the tests' 1M limit; at this pace it would take over a minute
        try (Socket socket = rawConnection(10_000)) {
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.postHead("/v1/chat/completions", declared, "Authorization: Bearer " + TOKEN));
            Thread sender = new Thread(() -> {
                byte[] piece = new byte[64 * 1024];
                try {
                    for (long sent = 0; sent < declared; sent += piece.length) {
                        out.write(piece);
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the router closed the connection: expected
                }
            });
            sender.setDaemon(true);
            long started = System.nanoTime();
            sender.start();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all); // to the end: the router must close while the client still sends
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            String answer = all.toString(StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(tookMillis < 8_000, "closed after " + tookMillis + " ms");
        }
        assertEquals(0, mock.count());
    }

    /** Sends the headers and half the body, then waits for the router to answer and close. */
    private String sendHalfAndWait(String path, String auth, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = rawConnection(10_000)) {
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.postHead(path, body.length, auth));
            out.write(body, 0, body.length / 2);
            out.flush();
            // read to the end of the connection: the router must close it after its answer
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    private static JsonObject body(String answer) {
        return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }
}
