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

/**
 * Clients that ask before sending a body ({@code Expect: 100-continue}: curl for bodies over 1 MB and for chunked
 * uploads) are told to go on once the call has passed the router's checks, instead of waiting out their own timeout
 * (curl's is 1 s). A call refused before its body is answered at once, without {@code 100}, and its connection closes
 * (the client will not send the body the connection would otherwise wait for).
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class ExpectContinueTest extends RouterTestBase {

    @Test
    void theClientIsToldToSendItsBodyAndTheCallGoesThrough() throws Exception {
        byte[] body = CHAT.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = rawConnection(5_000)) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Bearer " + TOKEN, body.length));
            out.flush();
            InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", RawHttp.readHead(in),
                    "before the client sends anything more");
            out.write(body);
            out.flush();
            String answer = RawHttp.readHead(in);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        assertEquals(CHAT, mock.lastBody());
    }

    @Test
    void aWrongTokenIsAnsweredAtOnceAndTheConnectionCloses() throws Exception {
        String answer = refused("Bearer wrong-token", CHAT.length());
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        assertTrue(answer.toLowerCase().contains("connection: close"), answer);
        assertTrue(!answer.contains("100 Continue"), answer);
        assertEquals(0, mock.count());
    }

    @Test
    void aDeclaredBodyOverTheLimitIsAnsweredAtOnceAndTheConnectionCloses() throws Exception {
        String answer = refused("Bearer " + TOKEN, 5 * 1024 * 1024); // the tests' limit is 1M
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.toLowerCase().contains("connection: close"), answer);
        assertTrue(answer.contains("max-body-size"), answer);
        assertEquals(0, mock.count());
    }

    /** Sends only the head of a call that expects 100-continue; returns everything the router sent until it closed. */
    private String refused(String auth, int declaredLength) throws IOException {
        try (Socket socket = rawConnection(5_000)) {
            socket.getOutputStream().write(head(auth, declaredLength));
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all); // to the end: the router must close
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    private static byte[] head(String auth, int length) {
        return RawHttp.postHead("/v1/chat/completions", length, "Authorization: " + auth, "Expect: 100-continue");
    }
}
