package io.ironcage.runtime.internal.router;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.ironcage.runtime.internal.sse.SseParser;
import io.ironcage.runtime.internal.translate.PassThroughStream;
import io.ironcage.runtime.internal.translate.StreamTranslator;
import io.ironcage.runtime.spi.ChunkDecision;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.RouterRequest;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The way a provider's event stream reaches the client. Piped byte for byte when nothing needs to change (only
 * usage is read on the side); otherwise relayed event by event through a {@link StreamTranslator} (translation, or
 * usage hiding) and the stream-inspecting policies.
 *
 * <p>What one read from the provider's connection brought (often several events, each its own HTTP chunk) leaves in
 * one write, flushed by a task that runs on the event loop once that read has been handled: a write costs the
 * router, the kernel and the client about as much for one event as for ten, and waiting for the end of the read
 * delays nothing that had not arrived together anyway.
 */
final class StreamRelay {

    private final RouterRequest call;
    private final Context context;
    private final HttpServerResponse response;
    private final SseParser parser;
    /** {@code null} when the stream is piped byte for byte. */
    private final StreamTranslator translator;
    private final List<Policy> inspecting;
    private final Consumer<StreamEvent> usage;
    private final BiConsumer<String, String> cut;
    private final Runnable clientBehind;
    /** What the client gets with the next write. */
    private Buffer relayed = Buffer.buffer();
    private boolean writeScheduled;
    private boolean stopped;

    /**
     * @param context the call's context, on whose event loop the provider's chunks arrive
     * @param translator how provider events become client events, or {@code null} to pipe bytes unchanged
     * @param usage reads the usage a provider event carries
     * @param cut ends the call with an in-stream error (type, message) when a policy cuts the stream
     * @param clientBehind told when a write filled the client's queue (the provider should wait for it to drain)
     */
    StreamRelay(RouterRequest call, Context context, HttpServerResponse response, StreamTranslator translator,
            List<Policy> inspecting, Consumer<StreamEvent> usage, BiConsumer<String, String> cut,
            Runnable clientBehind) {
        this.call = call;
        this.context = context;
        this.response = response;
        this.translator = translator;
        this.inspecting = inspecting;
        this.usage = usage;
        this.cut = cut;
        this.clientBehind = clientBehind;
        this.parser = new SseParser(translator != null ? this::relay : usage);
    }

    /** One chunk from the provider. */
    void feed(Buffer chunk) {
        if (translator == null) {
            relayed.appendBuffer(chunk);
        }
        parser.feed(chunk);
        if (relayed.length() > 0 && !writeScheduled) {
            writeScheduled = true;
            context.runOnContext(v -> write());
        }
    }

    /**
     * The provider's stream ended: returns what the client has yet to get, including whatever its protocol still
     * needs, for the response's end (which then leaves in one write with the stream's terminating chunk).
     */
    Buffer end() {
        parser.end();
        if (translator != null && !stopped) {
            translator.onEnd(this::deliver);
        }
        return take();
    }

    /**
     * What to send to end the stream early with an error of the client's dialect: the events relayed so far, a
     * terminator if the byte pipe stopped mid-event, the error event and the dialect's proper end.
     */
    Buffer errorTail(String type, String message) {
        stopped = true;
        Buffer tail = take();
        if (translator == null && !parser.atEventBoundary()) {
            tail.appendString("\n\n");
        }
        StreamTranslator errors = translator != null ? translator : new PassThroughStream(call.dialect(), false);
        errors.onError(type, message, e -> SseParser.encodeInto(e, tail));
        return tail;
    }

    private void relay(StreamEvent event) {
        if (stopped) {
            return;
        }
        usage.accept(event);
        translator.onEvent(event, this::deliver);
    }

    /** Sends one client event after the stream-inspecting policies. */
    private void deliver(StreamEvent event) {
        deliver(event, 0);
    }

    /** Runs the policies from {@code first} on; an event one of them expands into several goes on to the next. */
    private void deliver(StreamEvent event, int first) {
        if (stopped) {
            return;
        }
        for (int i = first; i < inspecting.size(); i++) {
            ChunkDecision decision = inspecting.get(i).onChunk(call, event);
            if (decision instanceof ChunkDecision.Drop) {
                return;
            }
            if (decision instanceof ChunkDecision.Replace replace) {
                event = replace.event();
            } else if (decision instanceof ChunkDecision.ReplaceAll all) {
                for (StreamEvent e : all.events()) {
                    deliver(e, i + 1);
                }
                return;
            } else if (decision instanceof ChunkDecision.Cut c) {
                cut.accept(c.type(), c.message());
                return;
            }
        }
        SseParser.encodeInto(event, relayed);
    }

    /**
     * The scheduled write: what the last read brought, unless the call ended meanwhile (it took it then). Only a write
     * fills the client's queue, so this is where it is looked at (once per read, not per chunk).
     */
    private void write() {
        writeScheduled = false;
        if (relayed.length() > 0 && !response.ended() && !response.closed()) {
            response.write(take());
            if (response.writeQueueFull()) {
                clientBehind.run();
            }
        }
    }

    private Buffer take() {
        Buffer taken = relayed;
        relayed = Buffer.buffer(Math.max(64, taken.length()));
        return taken;
    }
}
