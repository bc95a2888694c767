package io.ironcage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.ironcage.runtime.CompletedCall;
import io.ironcage.runtime.LlmRouter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client that reads a stream slower than the provider sends it: the router stops reading from the provider while its
 * client is behind (back-pressure), instead of holding the difference in memory, and resumes when the client reads
 * again. A client that stops reading for longer than the idle timeout (2 s in tests) does not make the router blame the
 * provider: the silence is the router's own. Nothing is lost.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
@WithTestResource(FirehoseProviderResource.class)
class BackPressureTest {

    private static final String TOKEN = "ic_test_token";
    private static final long STREAM_BYTES = FirehoseProviderResource.streamBytes();

    @Inject
    LlmRouter router;

    @Test
    void aClientThatStopsReadingStopsTheProviderAndGetsEverythingWhenItReadsAgain() throws Exception {
        String body = "{\"model\":\"firehose-1\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Go\"}]}";
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", router.port()));
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            String head = RawHttp.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);

            // the client reads nothing more: the provider must come to a stop, far from the end of its stream
            long stalledAt = waitUntilTheProviderStalls();
            assertFalse(stats().endsWith("true"), "the provider could send its whole stream: nothing held it back");
            assertTrue(stalledAt < STREAM_BYTES / 4, "the provider got " + stalledAt + " of " + STREAM_BYTES
                    + " bytes out while the client read nothing: the router kept reading into memory");

            // the client reads again: every event arrives, in order, and the stream ends properly
            assertEquals(FirehoseProviderResource.EVENTS, readEvents(in), "events the client got");
        }
        assertTrue(stats().endsWith("true"), "the provider finished its stream");
        List<CompletedCall> calls = router.recentCalls();
        CompletedCall last = calls.get(calls.size() - 1);
        assertEquals("firehose-1", last.model());
        assertEquals(200, last.outcome().status());
        assertEquals(null, last.outcome().error(), "the slow client was not taken for a silent provider");
    }

    /** Polls the provider until what it wrote has not grown for 3 s (longer than the 2 s idle timeout of tests). */
    private long waitUntilTheProviderStalls() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long last = -1;
        long sameSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long written = Long.parseLong(stats().split(" ")[0]);
            if (written != last) {
                last = written;
                sameSince = System.nanoTime();
            } else if (System.nanoTime() - sameSince > 3_000_000_000L) {
                return written;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the provider never stalled; it wrote " + last + " bytes");
    }

    /** The provider's {@code written finished}. (Its URL is read here: other tests' apps have no firehose.) */
    private static String stats() throws Exception {
        String url = ConfigProvider.getConfig().getValue("firehose.url", String.class);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }


    /**
     * Reads the chunked SSE body to its end: checks each event's number ({@code #n#}) follows the one before and the
     * stream ends with {@code [DONE]}; returns how many numbered events came.
     */
    private static int readEvents(InputStream in) throws IOException {
        StringBuilder pending = new StringBuilder();
        int expected = 0;
        boolean done = false;
        int size;
        while ((size = Integer.parseInt(RawHttp.readLine(in), 16)) > 0) {
            pending.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            RawHttp.readLine(in);
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
                String event = pending.substring(0, end);
                pending.delete(0, end + 2);
                assertFalse(done, "an event after [DONE]: " + event);
                if (event.equals("data: [DONE]")) {
                    done = true;
                    continue;
                }
                int mark = event.indexOf('#');
                assertTrue(mark > 0, "not a numbered event: " + event.substring(0, Math.min(200, event.length())));
                assertEquals("#" + expected + "#", event.substring(mark, event.indexOf('#', mark + 1) + 1));
                expected++;
            }
        }
        RawHttp.readLine(in);
        assertTrue(done, "the stream ended with [DONE]");
        assertEquals(0, pending.length(), "a partial event at the end: " + pending);
        return expected;
    }

}
