package io.ironcage.runtime.internal.usage;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;
import io.ironcage.runtime.spi.Usage;
import io.vertx.core.json.JsonObject;

/**
 * Reads token usage from provider answers of either dialect.
 */
public final class UsageReader {

    private UsageReader() {
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

    /** Whether an event of {@code dialect} may carry usage, judged from its raw text without parsing it. */
    public static boolean mayCarryUsage(String data) {
        return data.contains("\"usage\"");
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
