package io.ironcage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.CompletedCall;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A client that leaves mid-stream makes the router close the upstream call: nothing keeps streaming for nobody. */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class ClientDisconnectTest extends RouterTestBase {

    @Test
    void upstreamIsClosedWhenTheClientLeavesMidStream() throws Exception {
        String body = CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");
        try (Socket socket = new Socket("127.0.0.1", router.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
                    + "x-mock-chunk-delay-ms: 300\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String seen = readUntil(in, "data: ");
            assertTrue(seen.startsWith("HTTP/1.1 200"), seen);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mock.abortedStreams() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, mock.abortedStreams(), "the router must close the upstream stream");
        List<CompletedCall> calls = router.recentCalls();
        CompletedCall last = calls.get(calls.size() - 1);
        assertTrue(last.outcome().clientAborted());
    }

    private static String readUntil(InputStream in, String marker) throws Exception {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[256];
        while (!sb.toString().contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
