package io.ironcage.runtime.internal.sse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_PREFIX = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;

    private final Consumer<StreamEvent> sink;
    /** The start of a line a chunk ended inside of; empty between lines. */
    private byte[] unfinished = new byte[0];
    private int unfinishedLength;
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
        int n = bytes.length;
        int start = 0;
        for (int i = lineBreak(bytes, 0, n); i < n; i = lineBreak(bytes, i + 1, n)) {
            boolean crlfSecondHalf = bytes[i] == '\n' && (i > 0 ? bytes[i - 1] == '\r' : lastWasCr);
            if (!crlfSecondHalf) {
                lineEnded(bytes, start, i);
            }
            start = i + 1;
        }
        if (n > 0) {
            lastWasCr = bytes[n - 1] == '\r';
        }
        holdUnfinished(bytes, start, n);
    }

    /**
     * The index of the first CR or LF in {@code bytes[from, to)}, or {@code to}. Eight bytes at a time: lines are
     * long (a JSON event each) and this is most of what reading them costs.
     */
    static int lineBreak(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            long word = (long) LONGS.get(bytes, i);
            long found = zeroBytes(word ^ LFS) | zeroBytes(word ^ CRS);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3); // the lowest flag is always a true one
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
        }
        return to;
    }

    /** The high bit of each zero byte of {@code x} set (and maybe of bytes above the lowest zero one). */
    private static long zeroBytes(long x) {
        return (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
    }

    /** Whether everything fed so far forms complete events (nothing pending that a new event would corrupt). */
    public boolean atEventBoundary() {
        return unfinishedLength == 0 && data == null && event == null;
    }

    /** Signals the end of the stream: an event not yet terminated by a blank line is dispatched. */
    public void end() {
        if (unfinishedLength > 0) {
            lineEnded(new byte[0], 0, 0);
        }
        dispatch();
    }

    /** A line ended at {@code to}: read in place unless an earlier chunk holds its start. */
    private void lineEnded(byte[] bytes, int from, int to) {
        if (unfinishedLength == 0) {
            line(bytes, from, to);
            return;
        }
        holdUnfinished(bytes, from, to);
        int length = unfinishedLength;
        unfinishedLength = 0;
        line(unfinished, 0, length);
    }

    /** Appends {@code bytes[from, to)} to the line held (a plain array: no lock per line, as a stream's has). */
    private void holdUnfinished(byte[] bytes, int from, int to) {
        int length = unfinishedLength + to - from;
        if (length > unfinished.length) {
            unfinished = Arrays.copyOf(unfinished, Math.max(length, 2 * unfinished.length));
        }
        System.arraycopy(bytes, from, unfinished, unfinishedLength, to - from);
        unfinishedLength = length;
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
            out.appendBytes(EVENT_PREFIX).appendString(e.event()).appendByte((byte) '\n');
        }
        String data = e.data();
        int start = 0;
        for (int nl = data.indexOf('\n'); ; nl = data.indexOf('\n', start)) {
            out.appendBytes(DATA_PREFIX).appendString(nl < 0 ? data.substring(start) : data.substring(start, nl))
                    .appendByte((byte) '\n');
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        return out.appendByte((byte) '\n');
    }
}
