package io.ironcage.runtime.internal.usage;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;
import io.ironcage.runtime.spi.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Reads token usage from provider answers of either dialect.
 */
public final class UsageReader {

    private UsageReader() {
    }

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Usage of a whole JSON answer, or {@code null} when it carries none. Only the top-level {@code usage} object is
     * materialised; the rest of the answer is skimmed by a streaming parser.
     */
    public static Usage fromAnswer(Dialect dialect, Buffer answer) {
        byte[] bytes = answer.getBytes();
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isUsage = "usage".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (isUsage && value == JsonToken.START_OBJECT) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getByteOffset();
                    JsonObject usage = new JsonObject(Buffer.buffer(bytes).slice(start, end));
                    return fromAnswer(dialect, new JsonObject().put("usage", usage));
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
        long prompt = count(usage, "prompt_tokens");
        long completion = count(usage, "completion_tokens");
        JsonObject details = usage.getJsonObject("prompt_tokens_details");
        long cached = details == null ? 0 : count(details, "cached_tokens");
        return new Usage(Math.max(0, prompt - cached), completion, cached, 0);
    }

    private static Usage fromAnthropic(JsonObject usage) {
        return new Usage(count(usage, "input_tokens"), count(usage, "output_tokens"),
                count(usage, "cache_read_input_tokens"), count(usage, "cache_creation_input_tokens"));
    }
}
