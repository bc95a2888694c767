package io.ironcage.runtime.internal.translate;

import java.util.function.Consumer;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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

    private static boolean isUsageOnlyChunk(String data) {
        try {
            JsonObject json = new JsonObject(data);
            return json.getValue("usage") instanceof JsonObject && json.getValue("choices") instanceof JsonArray c
                    && c.isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String withoutNullUsage(String data) {
        String trailing = "," + NULL_USAGE;
        return data.contains(trailing) ? data.replace(trailing, "") : data.replace(NULL_USAGE + ",", "");
    }
}
