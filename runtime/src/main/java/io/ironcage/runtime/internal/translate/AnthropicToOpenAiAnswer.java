package io.ironcage.runtime.internal.translate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic {@code message} answer as an OpenAI {@code chat.completion}.
 * <p>
 * Decisions:
 * <ul>
 * <li><b>id</b>: the Anthropic message id is kept as it is ({@code msg_…}), so that the client's id can be found in
 * the provider's logs. OpenAI clients treat the id as an opaque string.</li>
 * <li><b>content</b>: the text blocks joined without separator (Anthropic splits one text around citations), or
 * {@code null} when the answer has no text block.</li>
 * <li><b>tool calls</b>: each {@code tool_use} block becomes a {@code function} tool call with the block's id and the
 * JSON encoding of its {@code input} as {@code arguments}. Anthropic server-side tool blocks
 * ({@code server_tool_use}, {@code *_tool_result}) are not client tool calls and are left out.</li>
 * <li><b>thinking</b>: {@code thinking} and {@code redacted_thinking} blocks are left out. Chat Completions has no field
 * for reasoning text (OpenAI's own reasoning models do not return it either); a non-standard
 * {@code reasoning_content} field would also lose the block signatures that Anthropic needs back, so it would
 * promise a round trip that cannot work. The thinking tokens are still counted in {@code completion_tokens}.</li>
 * <li><b>finish_reason</b>: {@link #finishReason(String)}; when the answer holds tool calls and Anthropic reports a
 * normal end, {@code tool_calls}.</li>
 * <li><b>usage</b>: {@link #usage(long, long, long, long)}. Cache writes are additionally reported in the non-standard
 * field {@code usage.cache_creation_input_tokens} (Anthropic's name, so its meaning is unambiguous), only when not
 * zero; OpenAI SDKs keep or ignore unknown fields.</li>
 * </ul>
 * Never throws on a well-formed JSON object; missing fields give empty values.
 */
public final class AnthropicToOpenAiAnswer {

    private AnthropicToOpenAiAnswer() {
    }

    public static JsonObject translate(JsonObject anthropicMessage) {
        StringBuilder text = null;
        JsonArray toolCalls = new JsonArray();
        JsonArray content = anthropicMessage.getJsonArray("content", new JsonArray());
        for (Object o : content) {
            if (!(o instanceof JsonObject block)) {
                continue;
            }
            String type = block.getString("type", "");
            if ("text".equals(type)) {
                if (text == null) {
                    text = new StringBuilder();
                }
                text.append(block.getString("text", ""));
            } else if ("tool_use".equals(type)) {
                Object input = block.getValue("input");
                String arguments = input == null ? "{}" : input instanceof JsonObject obj ? obj.encode()
                        : input instanceof JsonArray arr ? arr.encode() : String.valueOf(input);
                toolCalls.add(toolCall(block.getString("id", ""), block.getString("name", ""), arguments));
            }
            // thinking, redacted_thinking, server tool blocks: not part of an OpenAI message (see class comment)
        }
        JsonObject message = new JsonObject().put("role", "assistant")
                .put("content", text == null ? null : text.toString());
        if (!toolCalls.isEmpty()) {
            message.put("tool_calls", toolCalls);
        }
        message.putNull("refusal");

        String finish = finishReason(anthropicMessage.getString("stop_reason"));
        if (!toolCalls.isEmpty() && "stop".equals(finish)) {
            finish = "tool_calls";
        }
        JsonObject u = anthropicMessage.getJsonObject("usage", new JsonObject());
        return new JsonObject()
                .put("id", anthropicMessage.getString("id", ""))
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", anthropicMessage.getString("model", ""))
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
                        .putNull("logprobs").put("finish_reason", finish)))
                .put("usage", usage(count(u, "input_tokens"), count(u, "output_tokens"),
                        count(u, "cache_read_input_tokens"), count(u, "cache_creation_input_tokens")));
    }

    /** One OpenAI {@code function} tool call. */
    static JsonObject toolCall(String id, String name, String arguments) {
        return new JsonObject().put("id", id).put("type", "function")
                .put("function", new JsonObject().put("name", name).put("arguments", arguments));
    }

    /**
     * The OpenAI {@code finish_reason} for an Anthropic {@code stop_reason}: {@code end_turn}, {@code stop_sequence},
     * {@code pause_turn} (and {@code null} or unknown values) → {@code stop}; {@code max_tokens} and
     * {@code model_context_window_exceeded} → {@code length}; {@code tool_use} → {@code tool_calls}; {@code refusal}
     * → {@code content_filter}.
     */
    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * OpenAI usage from Anthropic counts. Anthropic's {@code input_tokens} excludes cached tokens, OpenAI's
     * {@code prompt_tokens} includes them: {@code prompt_tokens = input + cache_read + cache_creation},
     * {@code prompt_tokens_details.cached_tokens = cache_read}.
     */
    static JsonObject usage(long input, long output, long cacheRead, long cacheCreation) {
        long prompt = input + cacheRead + cacheCreation;
        JsonObject usage = new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", output)
                .put("total_tokens", prompt + output)
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", cacheRead));
        if (cacheCreation > 0) {
            usage.put("cache_creation_input_tokens", cacheCreation);
        }
        return usage;
    }

    /** A token count, 0 when absent, null or not a number. */
    static long count(JsonObject obj, String key) {
        Object value = obj == null ? null : obj.getValue(key);
        return value instanceof Number n ? Math.max(0, n.longValue()) : 0L;
    }
}
