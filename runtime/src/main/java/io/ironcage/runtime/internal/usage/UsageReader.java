package io.ironcage.runtime.internal.usage;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.ironcage.runtime.internal.json.StreamingJson;
import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;
import io.ironcage.runtime.spi.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Reads token usage from provider answers of either dialect.
 */
public final class UsageReader {

    private static final byte[] USAGE = StreamingJson.fieldName("usage");

    private UsageReader() {
    }

    /**
     * Usage of a whole JSON answer, or {@code null} when it carries none. Only the top-level {@code usage} object is
     * parsed; the rest of the answer is skimmed for where that object is ({@link StreamingJson#parserAtField}).
     */
    public static Usage fromAnswer(Dialect dialect, Buffer answer) {
        try (JsonParser p = StreamingJson.parserAtField(answer, USAGE)) {
            return p != null && p.nextToken() == JsonToken.START_OBJECT ? readCounts(p, dialect) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Reads the counts of a usage object the parser is positioned at (its START_OBJECT). */
    private static Usage readCounts(JsonParser p, Dialect dialect) throws IOException {
        long input = 0;
        long output = 0;
        long cacheRead = 0;
        long cacheWrite = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT && "prompt_tokens_details".equals(name)) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean cached = "cached_tokens".equals(p.currentName());
                    JsonToken v = p.nextToken();
                    if (cached && v == JsonToken.VALUE_NUMBER_INT) {
                        cacheRead = p.getLongValue();
                    }
                    p.skipChildren();
                }
                continue;
            }
            if (value != JsonToken.VALUE_NUMBER_INT) {
                p.skipChildren();
                continue;
            }
            long n = p.getLongValue();
            switch (name) {
                case "prompt_tokens", "input_tokens" -> input = n;
                case "completion_tokens", "output_tokens" -> output = n;
                case "cache_read_input_tokens" -> cacheRead = n;
                case "cache_creation_input_tokens" -> cacheWrite = n;
                default -> {
                }
            }
        }
        return normalised(dialect, input, output, cacheRead, cacheWrite);
    }

    /** OpenAI's {@code prompt_tokens} include the cached ones (and it reports no cache writes); Anthropic's do not. */
    private static Usage normalised(Dialect dialect, long input, long output, long cacheRead, long cacheWrite) {
        return dialect == Dialect.ANTHROPIC ? new Usage(input, output, cacheRead, cacheWrite)
                : new Usage(Math.max(0, input - cacheRead), output, cacheRead, 0);
    }

    /** Usage of a whole JSON answer, or {@code null} when it carries none. */
    public static Usage fromAnswer(Dialect dialect, JsonObject answer) {
        JsonObject usage = answer.getJsonObject("usage");
        if (usage == null) {
            return null;
        }
        return dialect == Dialect.ANTHROPIC ? fromAnthropic(usage) : fromOpenAi(usage);
    }

    /**
     * Usage carried by one stream event, or {@code null}. OpenAI sends it in a final chunk; Anthropic sends input
     * tokens in {@code message_start} and the output count in {@code message_delta}. Callers merge successive
     * results with {@link Usage#updatedBy(Usage)}.
     */
    public static Usage fromEvent(Dialect dialect, StreamEvent event, JsonObject json) {
        if (dialect == Dialect.ANTHROPIC) {
            String type = json.getString("type", event.event());
            if ("message_start".equals(type)) {
                JsonObject message = json.getJsonObject("message");
                JsonObject usage = message == null ? null : message.getJsonObject("usage");
                return usage == null ? null : fromAnthropic(usage);
            }
            if ("message_delta".equals(type)) {
                JsonObject usage = json.getJsonObject("usage");
                return usage == null ? null : fromAnthropic(usage);
            }
            return null;
        }
        JsonObject usage = json.getJsonObject("usage");
        return usage == null ? null : fromOpenAi(usage);
    }

    /**
     * Whether an event may carry usage, judged from its raw text without parsing it: it names a {@code usage} field
     * whose value is not {@code null} (OpenAI streams asked for usage carry {@code "usage":null} in every chunk).
     */
    public static boolean mayCarryUsage(String data) {
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

    private static long count(JsonObject obj, String key) {
        Object value = obj.getValue(key);
        return value instanceof Number n ? n.longValue() : 0L;
    }

    private static Usage fromOpenAi(JsonObject usage) {
        JsonObject details = usage.getValue("prompt_tokens_details") instanceof JsonObject d ? d : null;
        return normalised(Dialect.OPENAI, count(usage, "prompt_tokens"), count(usage, "completion_tokens"),
                details == null ? 0 : count(details, "cached_tokens"), 0);
    }

    private static Usage fromAnthropic(JsonObject usage) {
        return normalised(Dialect.ANTHROPIC, count(usage, "input_tokens"), count(usage, "output_tokens"),
                count(usage, "cache_read_input_tokens"), count(usage, "cache_creation_input_tokens"));
    }
}
