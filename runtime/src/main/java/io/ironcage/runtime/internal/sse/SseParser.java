package io.ironcage.runtime.internal.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.buffer.Buffer;

/**
 * Incremental server-sent-events reader. Bytes may be split anywhere (inside a line, inside a multi-byte UTF-8
 * character, between {@code event:} and {@code data:}); lines end with LF, CRLF or CR; comments and fields other
 * than {@code event} and {@code data} are ignored. Only the current, unfinished line is held.
 */
public final class SseParser {

    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);

    private final Consumer<StreamEvent> sink;
    /** The start of a line a chunk ended inside of; empty between lines. */
    private final ByteArrayOutputStream unfinished = new ByteArrayOutputStream(256);
    private String event;
    /** The event's first data line; most events have only one, which needs no builder. */
    private String data;
    private StringBuilder moreData;
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
                boolean crlfSecondHalf = b == '\n' && lastWasCr;
                lastWasCr = b == '\r';
                if (!crlfSecondHalf) {
                    lineEnded(bytes, start, i);
                }
                start = i + 1;
            } else {
                lastWasCr = false;
            }
        }
        unfinished.write(bytes, start, bytes.length - start);
    }

    /** Whether everything fed so far forms complete events (nothing pending that a new event would corrupt). */
    public boolean atEventBoundary() {
        return unfinished.size() == 0 && data == null && event == null;
    }

    /** Signals the end of the stream: an event not yet terminated by a blank line is dispatched. */
    public void end() {
        if (unfinished.size() > 0) {
            lineEnded(new byte[0], 0, 0);
        }
        dispatch();
    }

    /** A line ended at {@code to}: read in place unless an earlier chunk holds its start. */
    private void lineEnded(byte[] bytes, int from, int to) {
        if (unfinished.size() == 0) {
            line(bytes, from, to);
            return;
        }
        unfinished.write(bytes, from, to - from);
        byte[] whole = unfinished.toByteArray();
        unfinished.reset();
        line(whole, 0, whole.length);
    }

    /** One whole line; decoded only here, so a UTF-8 character split between chunks is never cut. */
    private void line(byte[] bytes, int from, int to) {
        if (from == to) {
            dispatch();
            return;
        }
        if (bytes[from] == ':') {
            return; // comment / keep-alive
        }
        int colon = from;
        while (colon < to && bytes[colon] != ':') {
            colon++;
        }
        int valueFrom = colon == to ? to : colon + 1 < to && bytes[colon + 1] == ' ' ? colon + 2 : colon + 1;
        if (named(bytes, from, colon, DATA)) {
            addData(new String(bytes, valueFrom, to - valueFrom, StandardCharsets.UTF_8));
        } else if (named(bytes, from, colon, EVENT)) {
            event = new String(bytes, valueFrom, to - valueFrom, StandardCharsets.UTF_8);
        }
    }

    private static boolean named(byte[] bytes, int from, int to, byte[] name) {
        return to - from == name.length && Arrays.equals(bytes, from, to, name, 0, name.length);
    }

    private void addData(String value) {
        if (data == null) {
            data = value;
        } else {
            if (moreData == null) {
                moreData = new StringBuilder(data);
            }
            moreData.append('\n').append(value);
        }
    }

    private void dispatch() {
        if (data != null) {
            sink.accept(new StreamEvent(event, moreData != null ? moreData.toString() : data));
        }
        event = null;
        data = null;
        moreData = null;
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
