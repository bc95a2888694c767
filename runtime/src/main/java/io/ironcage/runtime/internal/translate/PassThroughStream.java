package io.ironcage.runtime.internal.translate;

import java.io.IOException;
import java.util.function.Consumer;

import io.ironcage.runtime.internal.json.JsonCursor;
import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;

/**
 * A same-dialect stream passed through event by event. For OpenAI streams where the router asked for usage on the
 * client's behalf ({@code hideUsage}), the extra usage chunk is dropped and the {@code "usage":null} field removed,
 * so the client sees exactly the stream it asked for. Also writes errors in the dialect's in-stream form.
 */
public final class PassThroughStream implements StreamTranslator {

    private static final String NULL_USAGE = "\"usage\":null";

    private final Dialect dialect;
    private final boolean hideUsage;

    public PassThroughStream(Dialect dialect, boolean hideUsage) {
        this.dialect = dialect;
        this.hideUsage = hideUsage;
    }

    @Override
    public void onEvent(StreamEvent event, Consumer<StreamEvent> out) {
        if (hideUsage) {
            String data = event.data();
            if (data.contains(NULL_USAGE)) {
                // An ordinary chunk: drop the field textually, no JSON round trip.
                event = new StreamEvent(event.event(), withoutNullUsage(data));
            } else if (data.contains("\"usage\"") && isUsageOnlyChunk(data)) {
                return;
            }
        }
        out.accept(event);
    }

    @Override
    public void onEnd(Consumer<StreamEvent> out) {
        // the provider's own end markers ([DONE], message_stop) were passed through
    }

    @Override
    public void onError(String type, String message, Consumer<StreamEvent> out) {
        out.accept(DialectErrors.event(dialect, type, message));
        if (dialect == Dialect.OPENAI) {
            out.accept(DialectErrors.DONE);
        }
    }

    /** A chunk (one JSON object, nothing after it) whose {@code usage} is an object and {@code choices} empty. */
    private static boolean isUsageOnlyChunk(String data) {
        try {
            JsonCursor c = new JsonCursor(data);
            if (!c.enterObject()) {
                return false;
            }
            boolean usage = false;
            boolean noChoices = false;
            while (c.nextField()) {
                if (c.fieldIs("usage")) {
                    usage = c.nextIsObject();
                } else if (c.fieldIs("choices")) {
                    noChoices = c.nextIsEmptyArray();
                }
                c.skipValue();
            }
            return usage && noChoices && c.atEnd();
        } catch (IOException notJson) {
            return false;
        }
    }

    private static String withoutNullUsage(String data) {
        String trailing = "," + NULL_USAGE;
        return data.contains(trailing) ? data.replace(trailing, "") : data.replace(NULL_USAGE + ",", "");
    }
}
