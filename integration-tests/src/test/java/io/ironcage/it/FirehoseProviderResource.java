package io.ironcage.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A provider that streams as fast as its connection takes it: {@value #EVENTS} OpenAI chunks of about 1 KB each,
 * written with blocking writes, so it can only get ahead of the reader as far as buffers allow. It counts what its
 * writes handed over, which shows whether the router keeps reading from it while its own client does not, and answers
 * {@code GET /stats} with it ({@code written finished}, e.g. {@code 1048576 false}). Points provider {@code firehose}
 * (models {@code firehose-*}) at it, and {@code firehose.url} too; a call may take a minute (the tests' total timeout
 * is 6 s).
 */
public class FirehoseProviderResource implements QuarkusTestResourceLifecycleManager {

    static final int EVENTS = 100_000;
    /** Said by every chunk: long enough that the whole stream is about 100 MB. */
    private static final String TEXT = "x".repeat(900);

    private static final String DONE = "data: [DONE]\n\n";

    /** Stream bytes (the events, without the chunk framing) the current answer's writes handed over so far. */
    private final AtomicLong written = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();

    private ServerSocket listener;

    @Override
    public Map<String, String> start() {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("could not start the firehose provider", e);
        }
        Thread acceptor = new Thread(this::accept, "firehose-provider");
        acceptor.setDaemon(true);
        acceptor.start();
        String url = "http://127.0.0.1:" + listener.getLocalPort();
        return Map.of(
                "firehose.url", url,
                "quarkus.iron.providers.firehose.base-url", url,
                "quarkus.iron.providers.firehose.api-key", "sk-firehose",
                "quarkus.iron.providers.firehose.models", "firehose-",
                "quarkus.iron.router.total-timeout", "60s");
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket connection = listener.accept();
                Thread t = new Thread(() -> serve(connection), "firehose-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Answers every request on the connection: the stats, or the whole stream. */
    private void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            while (true) { // until the router closes the connection (IOException)
                String requestLine = skipRequest(in);
                if (requestLine.startsWith("GET /stats")) {
                    byte[] stats = (written.get() + " " + finished.get()).getBytes(StandardCharsets.US_ASCII);
                    out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: " + stats.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(stats);
                    out.flush();
                    continue;
                }
                written.set(0);
                finished.set(false);
                out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < EVENTS; i++) {
                    writeChunk(out, event(i));
                }
                writeChunk(out, DONE);
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                finished.set(true);
            }
        } catch (IOException gone) {
            // the router closed the connection
        }
    }

    /** The {@code i}th event: an OpenAI chunk whose text starts with {@code #i#}. */
    static String event(int i) {
        return "data: {\"id\":\"fh\",\"object\":\"chat.completion.chunk\",\"model\":\"firehose-1\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"#" + i + "#" + TEXT
                + "\"},\"finish_reason\":null}]}\n\n";
    }

    /** The bytes of the whole stream's events, as {@code GET /stats} counts them. */
    static long streamBytes() {
        long total = DONE.length();
        for (int i = 0; i < EVENTS; i++) {
            total += event(i).length();
        }
        return total;
    }

    private void writeChunk(OutputStream out, String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        written.addAndGet(bytes.length);
    }

    /** Reads one request (head, then a body of its content-length): its request line. */
    private static String skipRequest(InputStream in) throws IOException {
        String head = RawHttp.readHead(in);
        in.readNBytes(RawHttp.contentLength(head));
        return head.substring(0, head.indexOf("\r\n"));
    }

    @Override
    public void stop() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
