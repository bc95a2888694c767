package io.ironcage.runtime.internal.usage;

import java.io.IOException;

import io.ironcage.runtime.internal.json.JsonCursor;
import io.ironcage.runtime.internal.json.StreamingJson;
import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;
import io.ironcage.runtime.spi.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * Reads token usage from provider answers of either dialect, with a {@link JsonCursor} and no tree: an answer's
 * {@code usage} object, or the few stream events that carry one. Counts that are missing, {@code null} or not
 * numbers are zero; a {@code usage} that is not an object carries nothing.
 */
public final class UsageReader {

    private static final byte[] USAGE = StreamingJson.fieldName("usage");

    private UsageReader() {
    }

    /**
     * Usage of a whole JSON answer, or {@code null} when it carries none. Only the top-level {@code usage} object is
     * read; the rest of the answer is skimmed for where that object is ({@link StreamingJson#fieldText}).
     *
     * @throws IOException when the usage object is not JSON
     */
    public static Usage fromAnswer(Dialect dialect, Buffer answer) throws IOException {
        String usage = StreamingJson.fieldText(answer, USAGE);
        return usage == null ? null : counts(new JsonCursor(usage), dialect);
    }

    /**
     * Usage carried by one stream event, or {@code null}. OpenAI sends it in a final chunk; Anthropic sends input
     * tokens in {@code message_start} and the output count in {@code message_delta} (the event's {@code type}
     * field says which; the {@code event:} name when it has none). Callers merge successive results with
     * {@link Usage#updatedBy(Usage)}. Events that do not name a non-null usage are not read at all.
     *
     * @throws IOException when an event that names usage is not JSON
     */
    public static Usage fromEvent(Dialect dialect, StreamEvent event) throws IOException {
        if (!mayCarryUsage(event.data())) {
            return null;
        }
        JsonCursor c = new JsonCursor(event.data());
        if (!c.enterObject()) {
            return null;
        }
        String type = null;
        Usage top = null;
        Usage message = null;
        while (c.nextField()) {
            if (c.fieldIs("usage")) {
                top = counts(c, dialect);
            } else if (dialect == Dialect.ANTHROPIC && c.fieldIs("type")) {
                type = c.stringValue();
            } else if (dialect != Dialect.ANTHROPIC || !c.fieldIs("message")) {
                c.skipValue();
            } else if (c.enterObject()) {
                message = messageUsage(c);
            }
        }
        if (dialect != Dialect.ANTHROPIC) {
            return top;
        }
        type = type != null ? type : event.event();
        return "message_start".equals(type) ? message : "message_delta".equals(type) ? top : null;
    }

    /**
     * Whether an event may carry usage, judged from its raw text without parsing it: it names a {@code usage} field
     * whose value is not {@code null} (OpenAI streams asked for usage carry {@code "usage":null} in every chunk).
     */
    static boolean mayCarryUsage(String data) {
        int at = data.indexOf("\"usage\"");
        while (at >= 0) {
            int i = at + 7;
            while (i < data.length() && (data.charAt(i) == ' ' || data.charAt(i) == ':')) {
                i++;
            }
            if (i < data.length() && data.charAt(i) != 'n') {
                return true;
            }
            at = data.indexOf("\"usage\"", i);
        }
        return false;
    }

    /** The usage of an Anthropic {@code message_start}'s message (the object entered). */
    private static Usage messageUsage(JsonCursor c) throws IOException {
        Usage usage = null;
        while (c.nextField()) {
            if (c.fieldIs("usage")) {
                usage = counts(c, Dialect.ANTHROPIC);
            } else {
                c.skipValue();
            }
        }
        return usage;
    }

    /** Reads the counts of the usage object that is the next value; {@code null} when it is not an object. */
    private static Usage counts(JsonCursor c, Dialect dialect) throws IOException {
        if (!c.enterObject()) {
            return null;
        }
        long input = 0;
        long output = 0;
        long cacheRead = 0;
        long cacheWrite = 0;
        boolean anthropic = dialect == Dialect.ANTHROPIC;
        while (c.nextField()) {
            if (c.fieldIs(anthropic ? "input_tokens" : "prompt_tokens")) {
                input = c.longValue(0);
            } else if (c.fieldIs(anthropic ? "output_tokens" : "completion_tokens")) {
                output = c.longValue(0);
            } else if (anthropic && c.fieldIs("cache_read_input_tokens")) {
                cacheRead = c.longValue(0);
            } else if (anthropic && c.fieldIs("cache_creation_input_tokens")) {
                cacheWrite = c.longValue(0);
            } else if (anthropic || !c.fieldIs("prompt_tokens_details")) {
                c.skipValue();
            } else if (c.enterObject()) {
                cacheRead = cachedTokens(c);
            }
        }
        // OpenAI's prompt_tokens include the cached ones (and it reports no cache writes); Anthropic's do not
        return anthropic ? new Usage(input, output, cacheRead, cacheWrite)
                : new Usage(Math.max(0, input - cacheRead), output, cacheRead, 0);
    }

    /** OpenAI's {@code cached_tokens} of the {@code prompt_tokens_details} object entered. */
    private static long cachedTokens(JsonCursor c) throws IOException {
        long cached = 0;
        while (c.nextField()) {
            if (c.fieldIs("cached_tokens")) {
                cached = c.longValue(0);
            } else {
                c.skipValue();
            }
        }
        return cached;
    }
}
