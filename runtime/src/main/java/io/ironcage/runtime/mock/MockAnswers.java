package io.ironcage.runtime.mock;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The mock's deterministic answers: the reply to a chat request is {@code "Mock answer to: <last user text>"},
 * streamed one word per event; usage counts one input token per four bytes of the request's messages and one output
 * token per word.
 */
final class MockAnswers {

    private static final long CREATED = 1_700_000_000L;

    private final JsonObject request;
    private final boolean anthropic;
    private final String model;
    private final List<String> words;
    private final long inputTokens;

    MockAnswers(JsonObject request, boolean anthropic) {
        this.request = request;
        this.anthropic = anthropic;
        this.model = request.getString("model", "mock-model");
        String text = "Mock answer to: " + truncate(lastUserText(request.getJsonArray("messages", new JsonArray())));
        this.words = splitWords(text);
        Object messages = request.getValue("messages");
        this.inputTokens = Math.max(1, (messages == null ? 0 : messages.toString().length()) / 4);
    }

    /** The whole answer as one JSON document. */
    JsonObject whole() {
        String text = String.join("", words);
        if (anthropic) {
            return new JsonObject().put("id", "msg_mock").put("type", "message").put("role", "assistant")
                    .put("model", model)
                    .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)))
                    .put("stop_reason", "end_turn").putNull("stop_sequence")
                    .put("usage", anthropicUsage(inputTokens, words.size()));
        }
        return new JsonObject().put("id", "chatcmpl-mock").put("object", "chat.completion").put("created", CREATED)
                .put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", text).putNull("refusal"))
                        .putNull("logprobs").put("finish_reason", "stop")))
                .put("usage", openAiUsage());
    }

    /** The answer as SSE events, each a complete {@code event:/data:} block. */
    List<String> streamEvents() {
        return anthropic ? anthropicEvents() : openAiEvents();
    }

    private List<String> openAiEvents() {
        List<String> events = new ArrayList<>();
        boolean includeUsage = request.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage",
                false);
        events.add(data(openAiChunk(new JsonObject().put("role", "assistant").put("content", ""), null, includeUsage)));
        for (String word : words) {
            events.add(data(openAiChunk(new JsonObject().put("content", word), null, includeUsage)));
        }
        events.add(data(openAiChunk(new JsonObject(), "stop", includeUsage)));
        if (includeUsage) {
            events.add(data(new JsonObject().put("id", "chatcmpl-mock").put("object", "chat.completion.chunk")
                    .put("created", CREATED).put("model", model).put("choices", new JsonArray())
                    .put("usage", openAiUsage())));
        }
        events.add("data: [DONE]\n\n");
        return events;
    }

    private JsonObject openAiChunk(JsonObject delta, String finishReason, boolean includeUsage) {
        JsonObject chunk = new JsonObject().put("id", "chatcmpl-mock").put("object", "chat.completion.chunk")
                .put("created", CREATED).put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                        .putNull("logprobs").put("finish_reason", finishReason)));
        return includeUsage ? chunk.putNull("usage") : chunk;
    }

    private List<String> anthropicEvents() {
        List<String> events = new ArrayList<>();
        events.add(event("message_start", new JsonObject().put("type", "message_start").put("message",
                new JsonObject().put("id", "msg_mock").put("type", "message").put("role", "assistant")
                        .put("model", model).put("content", new JsonArray()).putNull("stop_reason")
                        .putNull("stop_sequence").put("usage", anthropicUsage(inputTokens, 1)))));
        events.add(event("content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
                .put("content_block", new JsonObject().put("type", "text").put("text", ""))));
        events.add(event("ping", new JsonObject().put("type", "ping")));
        for (String word : words) {
            events.add(event("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
                    .put("delta", new JsonObject().put("type", "text_delta").put("text", word))));
        }
        events.add(event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0)));
        events.add(event("message_delta", new JsonObject().put("type", "message_delta")
                .put("delta", new JsonObject().put("stop_reason", "end_turn").putNull("stop_sequence"))
                .put("usage", new JsonObject().put("output_tokens", words.size()))));
        events.add(event("message_stop", new JsonObject().put("type", "message_stop")));
        return events;
    }

    private JsonObject openAiUsage() {
        return new JsonObject().put("prompt_tokens", inputTokens).put("completion_tokens", words.size())
                .put("total_tokens", inputTokens + words.size())
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0));
    }

    private static JsonObject anthropicUsage(long input, long output) {
        return new JsonObject().put("input_tokens", input).put("output_tokens", output)
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
    }

    static JsonObject models() {
        JsonArray data = new JsonArray();
        for (String id : List.of("gpt-4o-mini", "gpt-4.1", "claude-sonnet-4-5", "claude-haiku-4-5")) {
            data.add(new JsonObject().put("id", id).put("object", "model").put("created", CREATED)
                    .put("owned_by", "iron-mock"));
        }
        return new JsonObject().put("object", "list").put("data", data);
    }

    static JsonObject embeddings(JsonObject request) {
        Object input = request.getValue("input");
        int n = input instanceof JsonArray array ? array.size() : 1;
        JsonArray data = new JsonArray();
        for (int i = 0; i < n; i++) {
            data.add(new JsonObject().put("object", "embedding").put("index", i)
                    .put("embedding", new JsonArray().add(0.1 * (i + 1)).add(0.2).add(0.3)));
        }
        return new JsonObject().put("object", "list").put("data", data)
                .put("model", request.getString("model", "text-embedding-3-small"))
                .put("usage", new JsonObject().put("prompt_tokens", 8 * n).put("total_tokens", 8 * n));
    }

    private static String lastUserText(JsonArray messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonObject m = messages.getJsonObject(i);
            if ("user".equals(m.getString("role"))) {
                Object content = m.getValue("content");
                if (content instanceof String s) {
                    return s;
                }
                if (content instanceof JsonArray parts) {
                    StringBuilder sb = new StringBuilder();
                    parts.forEach(p -> {
                        if (p instanceof JsonObject part && part.getString("text") != null) {
                            sb.append(part.getString("text"));
                        }
                    });
                    return sb.toString();
                }
            }
        }
        return "";
    }

    private static String truncate(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    /** Words with their leading space, so that joining them gives back the text. */
    private static List<String> splitWords(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    private static String data(JsonObject json) {
        return "data: " + json.encode() + "\n\n";
    }

    private static String event(String name, JsonObject json) {
        return "event: " + name + "\ndata: " + json.encode() + "\n\n";
    }
}
