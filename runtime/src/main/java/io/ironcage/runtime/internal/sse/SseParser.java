package io.ironcage.runtime.internal.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.buffer.Buffer;

/**
 * Incremental server-sent-events reader. Bytes may be split anywhere (inside a line, inside a multi-byte UTF-8
 * character, between {@code event:} and {@code data:}); lines end with LF, CRLF or CR; comments and fields other
 * than {@code event} and {@code data} are ignored. Only the current, unfinished line is held.
 */
public final class SseParser {

    private final Consumer<StreamEvent> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private String event;
    private StringBuilder data;
    private boolean lastWasCr;

    public SseParser(Consumer<StreamEvent> sink) {
        this.sink = sink;
    }

    /** Feeds the next bytes of the stream. */
    public void feed(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                line.write(bytes, start, i - start);
                start = i + 1;
                boolean crlfSecondHalf = b == '\n' && lastWasCr;
                lastWasCr = b == '\r';
                if (!crlfSecondHalf) {
                    endLine();
                }
            } else {
                lastWasCr = false;
            }
        }
        line.write(bytes, start, bytes.length - start);
    }

    /** Whether everything fed so far forms complete events (nothing pending that a new event would corrupt). */
    public boolean atEventBoundary() {
        return line.size() == 0 && data == null && event == null;
    }

    /** Signals the end of the stream: an event not yet terminated by a blank line is dispatched. */
    public void end() {
        if (line.size() > 0) {
            endLine();
        }
        dispatch();
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            return; // comment / keep-alive
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(text.length() > colon + 1 && text.charAt(colon + 1) == ' '
                ? colon + 2
                : colon + 1);
        if ("data".equals(field)) {
            if (data == null) {
                data = new StringBuilder(value);
            } else {
                data.append('\n').append(value);
            }
        } else if ("event".equals(field)) {
            event = value;
        }
    }

    private void dispatch() {
        if (data != null) {
            sink.accept(new StreamEvent(event, data.toString()));
        }
        event = null;
        data = null;
    }

    /** Encodes one event in SSE wire format, terminated by a blank line. */
    public static Buffer encode(StreamEvent e) {
        return encodeInto(e, Buffer.buffer(e.data().length() + 32));
    }

    /** Appends one event in SSE wire format to {@code out}; returns {@code out}. */
    public static Buffer encodeInto(StreamEvent e, Buffer out) {
        if (e.event() != null) {
            out.appendString("event: ").appendString(e.event()).appendByte((byte) '\n');
        }
        String data = e.data();
        int start = 0;
        for (int nl = data.indexOf('\n'); ; nl = data.indexOf('\n', start)) {
            out.appendString("data: ").appendString(nl < 0 ? data.substring(start) : data.substring(start, nl))
                    .appendByte((byte) '\n');
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        return out.appendByte((byte) '\n');
    }
}
