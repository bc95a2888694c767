package io.ironcage.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading HTTP/1.1 by hand, for tests that talk to the router (or act as a provider) over a plain socket. */
final class RawHttp {

    private RawHttp() {
    }

    /** The head of a JSON POST to {@code path} with a {@code content-length}, and the given header lines. */
    static byte[] postHead(String path, long length, String... headers) {
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Type: application/json\r\nContent-Length: ").append(length).append("\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A message's head, up to and including the blank line that ends it. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in a head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** A message with a {@code content-length} (the router's JSON answers have one): head and body. */
    static String readAnswer(InputStream in) throws IOException {
        String head = readHead(in);
        return head + new String(in.readNBytes(contentLength(head)), StandardCharsets.UTF_8);
    }

    /** A chunked body (a stream's), read to its last chunk: the chunks' data joined. */
    static String readChunked(InputStream in) throws IOException {
        StringBuilder body = new StringBuilder();
        int size;
        while ((size = Integer.parseInt(readLine(in).trim(), 16)) > 0) {
            body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            readLine(in); // the chunk's line end
        }
        readLine(in); // the blank line after the last chunk
        return body.toString();
    }

    /** The head's {@code content-length}, 0 when it has none. */
    static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    /** One line, without its line end ({@code \r\n} or {@code \n}). */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed mid-line: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
