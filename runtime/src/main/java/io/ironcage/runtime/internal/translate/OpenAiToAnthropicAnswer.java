package io.ironcage.runtime.internal.translate;

import java.util.concurrent.ThreadLocalRandom;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI {@code chat.completion} answer as an Anthropic {@code message}.
 * <p>
 * Decisions:
 * <ul>
 * <li><b>id</b>: the completion id is kept as it is ({@code chatcmpl-…}); Anthropic clients treat it as opaque. Tool
 * call ids are kept too (the client sends them back in {@code tool_result} blocks, which must match); a tool call
 * without id (some OpenAI-compatible servers) gets a generated {@code call_…} id.</li>
 * <li><b>content</b>: a text block with {@code message.content} when not empty, then one {@code tool_use} block per
 * tool call (and one for a legacy {@code function_call}).</li>
 * <li><b>arguments</b>: parsed as JSON. Empty or {@code null} arguments give {@code {}}. Arguments that are not a JSON
 * object (invalid JSON, or an array / scalar) are kept verbatim as {@code {"_raw": "<arguments>"}}: the tool call is
 * not lost, nothing throws, and the tool sees an unexpected input instead of a silently empty one.</li>
 * <li><b>refusal</b>: {@code message.refusal} becomes a text block (after any content) and {@code stop_reason}
 * {@code refusal}.</li>
 * <li><b>stop_reason</b>: {@link #stopReason(String)}; an answer with tool calls always says {@code tool_use} unless
 * it was cut by the length limit (some OpenAI-compatible servers say {@code stop} with tool calls).
 * {@code stop_sequence} stays {@code null}: which stop sequence matched is not reported by OpenAI.</li>
 * <li><b>usage</b>: {@link #usage(JsonObject)}.</li>
 * <li>Reasoning fields of OpenAI-compatible servers ({@code reasoning_content}) are left out: an Anthropic
 * {@code thinking} block needs a signature that cannot be made up.</li>
 * </ul>
 * Only {@code choices[0]} is translated (Anthropic has no {@code n}). Never throws on a JSON object.
 */
public final class OpenAiToAnthropicAnswer {

    private OpenAiToAnthropicAnswer() {
    }

    public static JsonObject translate(JsonObject chatCompletion) {
        JsonArray choices = chatCompletion.getJsonArray("choices", new JsonArray());
        JsonObject choice = choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject c) ? new JsonObject() : c;
        JsonObject message = choice.getJsonObject("message", new JsonObject());

        JsonArray content = new JsonArray();
        String text = text(message.getValue("content"));
        if (!text.isEmpty()) {
            content.add(textBlock(text));
        }
        String refusal = message.getValue("refusal") instanceof String r && !r.isEmpty() ? r : null;
        if (refusal != null) {
            content.add(textBlock(refusal));
        }
        boolean tools = false;
        for (Object o : message.getJsonArray("tool_calls", new JsonArray())) {
            if (o instanceof JsonObject call) {
                JsonObject function = call.getJsonObject("function", new JsonObject());
                String id = call.getValue("id") instanceof String s && !s.isEmpty() ? s : generatedToolId();
                content.add(toolUse(id, function.getString("name", ""), function.getValue("arguments")));
                tools = true;
            }
        }
        if (message.getValue("function_call") instanceof JsonObject function) {
            content.add(toolUse(generatedToolId(), function.getString("name", ""), function.getValue("arguments")));
            tools = true;
        }

        String stop = stopReason(choice.getString("finish_reason"));
        if (refusal != null) {
            stop = "refusal";
        } else if (tools && !"max_tokens".equals(stop)) {
            stop = "tool_use";
        }
        return new JsonObject()
                .put("id", chatCompletion.getString("id", ""))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", chatCompletion.getString("model", ""))
                .put("content", content)
                .put("stop_reason", stop)
                .putNull("stop_sequence")
                .put("usage", usage(chatCompletion.getJsonObject("usage")));
    }

    /**
     * The Anthropic {@code stop_reason} for an OpenAI {@code finish_reason}: {@code stop} (and {@code null} or unknown
     * values) → {@code end_turn}; {@code length} → {@code max_tokens}; {@code tool_calls} and {@code function_call} →
     * {@code tool_use}; {@code content_filter} → {@code refusal}.
     */
    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /**
     * Anthropic usage from an OpenAI usage object (may be {@code null}): OpenAI's {@code prompt_tokens} includes the
     * cached tokens, Anthropic's {@code input_tokens} does not. OpenAI reports no cache writes.
     */
    static JsonObject usage(JsonObject openAiUsage) {
        long prompt = AnthropicToOpenAiAnswer.count(openAiUsage, "prompt_tokens");
        long completion = AnthropicToOpenAiAnswer.count(openAiUsage, "completion_tokens");
        long cached = AnthropicToOpenAiAnswer.count(
                openAiUsage == null ? null : openAiUsage.getJsonObject("prompt_tokens_details"), "cached_tokens");
        return new JsonObject().put("input_tokens", Math.max(0, prompt - cached))
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", cached)
                .put("output_tokens", completion);
    }

    /** The text of an OpenAI message content: a string, or an array of {@code text} parts; "" otherwise. */
    private static String text(Object content) {
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof JsonArray parts) {
            StringBuilder sb = new StringBuilder();
            for (Object p : parts) {
                if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
                    sb.append(t);
                }
            }
            return sb.toString();
        }
        return "";
    }

    private static JsonObject textBlock(String text) {
        return new JsonObject().put("type", "text").put("text", text);
    }

    private static JsonObject toolUse(String id, String name, Object arguments) {
        return new JsonObject().put("type", "tool_use").put("id", id).put("name", name)
                .put("input", toolInput(arguments));
    }

    /** Tool arguments (normally a JSON string) as an Anthropic {@code input} object; see the class comment. */
    static JsonObject toolInput(Object arguments) {
        if (arguments == null) {
            return new JsonObject();
        }
        if (arguments instanceof JsonObject obj) {
            return obj; // some OpenAI-compatible servers send the object itself
        }
        String raw = String.valueOf(arguments);
        if (raw.isBlank()) {
            return new JsonObject();
        }
        try {
            Object parsed = Json.decodeValue(raw);
            if (parsed instanceof JsonObject obj) {
                return obj;
            }
            if (parsed == null) {
                return new JsonObject();
            }
        } catch (DecodeException | ClassCastException e) {
            // not JSON: kept verbatim below
        }
        return new JsonObject().put("_raw", raw);
    }

    /** A fresh tool call id for a call that has none. */
    static String generatedToolId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder("call_");
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
