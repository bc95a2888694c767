package io.ironcage.runtime.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The mock's deterministic answers to chat requests, in the OpenAI ({@code /v1/chat/completions}) and Anthropic
 * ({@code /v1/messages}) formats, as one JSON document or as SSE events.
 * <h2>Text answers</h2>
 * The reply is {@code "Mock answer to: <last user text>"} (user text cut to 200 characters), streamed one word per
 * event; finish reason {@code stop} / stop reason {@code end_turn}.
 * <h2>Tool calls</h2>
 * When the request declares {@code tools}, its last message is a plain user message and {@code tool_choice} is not
 * {@code "none"} / {@code {"type":"none"}}, the mock calls a tool instead: the one {@code tool_choice} names
 * (OpenAI {@code {"type":"function","function":{"name"}}}, Anthropic {@code {"type":"tool","name"}}), else the first
 * declared one; or the first two, in one answer, when the last user text contains the word "both" (any case), at
 * least two tools are declared and parallel calls are not disabled ({@code parallel_tool_calls: false} /
 * {@code tool_choice.disable_parallel_tool_use: true}). Ids are {@code call_mock_<n>} (OpenAI) and
 * {@code toolu_mock_<n>} (Anthropic), n = 1, 2. The arguments give every property of the tool's schema
 * ({@code parameters} / {@code input_schema}) a value, in schema order: integers and numbers 42, booleans
 * {@code true}, arrays {@code []}, objects {@code {}}, strings (and untyped properties) {@code "mock-<name>"} except
 * {@code city}, which gets {@code "Zürich 東京"}. Streams send the compact arguments JSON in pieces of five Java
 * chars (four where five would split a surrogate pair). Anthropic answers start with a text block
 * {@code "Calling <name>."} ({@code "Calling <a> and <b>."} for two calls). Finish reason {@code tool_calls} / stop
 * reason {@code tool_use}.
 * <h2>Tool results</h2>
 * When the conversation ends with tool results (OpenAI: trailing {@code role: "tool"} messages; Anthropic: a last
 * user message holding {@code tool_result} blocks), the reply is a text answer
 * {@code "Tool result received: <result> | <result>"} (each result's string content, or its text parts
 * concatenated; the joined results cut to 200 characters).
 * <h2>Usage</h2>
 * One input token per four characters of the request's messages (at least one). Output tokens: one per word for text
 * answers; for tool calls, per call the number of argument pieces plus one (Anthropic's "Calling" text not counted).
 */
final class MockAnswers {

    private static final long CREATED = 1_700_000_000L;
    /** Java chars per streamed piece of tool-call arguments. */
    static final int ARGUMENT_PIECE = 5;
    private static final int MAX_ECHO = 200;
    private static final Pattern BOTH = Pattern.compile("\\bboth\\b", Pattern.CASE_INSENSITIVE);

    private final JsonObject request;
    private final boolean anthropic;
    private final String model;
    private final long inputTokens;
    /** Tool calls of this answer; empty for a text answer. */
    private final List<MockToolCall> toolCalls;
    /** The assistant text: the answer, or Anthropic's "Calling …" preamble before tool calls. */
    private final String text;
    /** How {@link #text} is streamed: word by word for an answer, whole for the preamble. */
    private final List<String> textPieces;
    private final long outputTokens;

    MockAnswers(JsonObject request, boolean anthropic) {
        this(request, anthropic, 1);
    }

    /** @param repeat how many times a text answer is said (the {@code x-mock-repeat} header), for long outputs */
    MockAnswers(JsonObject request, boolean anthropic, int repeat) {
        this(request, anthropic, repeat, null);
    }

    /** @param say the answer's text instead of the echo (the {@code x-mock-answer} header), or {@code null} */
    MockAnswers(JsonObject request, boolean anthropic, int repeat, String say) {
        this.request = request;
        this.anthropic = anthropic;
        this.model = request.getString("model", "mock-model");
        Object messages = request.getValue("messages");
        this.inputTokens = Math.max(1, (messages == null ? 0 : messages.toString().length()) / 4);

        Conversation conversation = new Conversation(request.getJsonArray("messages", new JsonArray()), anthropic);
        List<String> results = conversation.toolResults();
        this.toolCalls = say == null && results.isEmpty() && conversation.endsWithUserText()
                ? ToolPlan.of(request, anthropic).calls(conversation.lastUserText())
                : List.of();
        if (!toolCalls.isEmpty()) {
            this.text = "Calling " + String.join(" and ", toolCalls.stream().map(MockToolCall::name).toList()) + ".";
            this.textPieces = List.of(text);
            this.outputTokens = toolCalls.stream().mapToLong(MockToolCall::outputTokens).sum();
        } else {
            String once = say != null ? say
                    : results.isEmpty() ? "Mock answer to: " + truncate(conversation.lastUserText())
                            : "Tool result received: " + truncate(String.join(" | ", results));
            this.text = String.join(" ", java.util.Collections.nCopies(Math.max(1, repeat), once));
            this.textPieces = splitWords(text);
            this.outputTokens = textPieces.size();
        }
    }

    /** The whole answer as one JSON document. */
    JsonObject whole() {
        if (anthropic) {
            JsonArray content = new JsonArray().add(new JsonObject().put("type", "text").put("text", text));
            toolCalls.forEach(call -> content.add(call.anthropicBlock(call.arguments())));
            return new JsonObject().put("id", "msg_mock").put("type", "message").put("role", "assistant")
                    .put("model", model).put("content", content)
                    .put("stop_reason", callsTools() ? "tool_use" : "end_turn").putNull("stop_sequence")
                    .put("usage", anthropicUsage(inputTokens, outputTokens));
        }
        JsonObject message = new JsonObject().put("role", "assistant");
        if (callsTools()) {
            JsonArray calls = new JsonArray();
            toolCalls.forEach(call -> calls.add(call.openAiJson()));
            message.putNull("content").putNull("refusal").put("tool_calls", calls);
        } else {
            message.put("content", text).putNull("refusal");
        }
        return new JsonObject().put("id", "chatcmpl-mock").put("object", "chat.completion").put("created", CREATED)
                .put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
                        .putNull("logprobs").put("finish_reason", openAiFinishReason())))
                .put("usage", openAiUsage());
    }

    /** The answer as SSE events, each a complete {@code event:/data:} block. */
    List<String> streamEvents() {
        return anthropic ? anthropicEvents() : openAiEvents();
    }

    private boolean callsTools() {
        return !toolCalls.isEmpty();
    }

    private String openAiFinishReason() {
        return callsTools() ? "tool_calls" : "stop";
    }

    // ---- OpenAI stream

    private List<String> openAiEvents() {
        List<String> events = new ArrayList<>();
        boolean includeUsage = request.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage",
                false);
        JsonObject role = new JsonObject().put("role", "assistant");
        events.add(data(openAiChunk(callsTools() ? role.putNull("content") : role.put("content", ""), null,
                includeUsage)));
        for (JsonObject delta : openAiDeltas()) {
            events.add(data(openAiChunk(delta, null, includeUsage)));
        }
        events.add(data(openAiChunk(new JsonObject(), openAiFinishReason(), includeUsage)));
        if (includeUsage) {
            events.add(data(new JsonObject().put("id", "chatcmpl-mock").put("object", "chat.completion.chunk")
                    .put("created", CREATED).put("model", model).put("choices", new JsonArray())
                    .put("usage", openAiUsage())));
        }
        events.add("data: [DONE]\n\n");
        return events;
    }

    /** The deltas between the role chunk and the finish chunk: words, or tool-call heads and argument pieces. */
    private List<JsonObject> openAiDeltas() {
        List<JsonObject> deltas = new ArrayList<>();
        if (!callsTools()) {
            textPieces.forEach(word -> deltas.add(new JsonObject().put("content", word)));
            return deltas;
        }
        for (int i = 0; i < toolCalls.size(); i++) {
            MockToolCall call = toolCalls.get(i);
            deltas.add(toolCallDelta(i, call.openAiJson().put("function",
                    new JsonObject().put("name", call.name()).put("arguments", ""))));
            for (String piece : call.argumentPieces()) {
                deltas.add(toolCallDelta(i,
                        new JsonObject().put("function", new JsonObject().put("arguments", piece))));
            }
        }
        return deltas;
    }

    private static JsonObject toolCallDelta(int index, JsonObject fields) {
        JsonObject call = new JsonObject().put("index", index).mergeIn(fields);
        return new JsonObject().put("tool_calls", new JsonArray().add(call));
    }

    private JsonObject openAiChunk(JsonObject delta, String finishReason, boolean includeUsage) {
        JsonObject chunk = new JsonObject().put("id", "chatcmpl-mock").put("object", "chat.completion.chunk")
                .put("created", CREATED).put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                        .putNull("logprobs").put("finish_reason", finishReason)));
        return includeUsage ? chunk.putNull("usage") : chunk;
    }

    // ---- Anthropic stream

    private List<String> anthropicEvents() {
        List<String> events = new ArrayList<>();
        events.add(event("message_start", new JsonObject().put("type", "message_start").put("message",
                new JsonObject().put("id", "msg_mock").put("type", "message").put("role", "assistant")
                        .put("model", model).put("content", new JsonArray()).putNull("stop_reason")
                        .putNull("stop_sequence").put("usage", anthropicUsage(inputTokens, 1)))));
        List<String> textBlock = contentBlockEvents(0, new JsonObject().put("type", "text").put("text", ""),
                deltas("text_delta", "text", textPieces));
        textBlock.add(1, event("ping", new JsonObject().put("type", "ping"))); // after the first block's start
        events.addAll(textBlock);
        for (int i = 0; i < toolCalls.size(); i++) {
            MockToolCall call = toolCalls.get(i);
            events.addAll(contentBlockEvents(i + 1, call.anthropicBlock(new JsonObject()),
                    deltas("input_json_delta", "partial_json", call.argumentPieces())));
        }
        events.add(event("message_delta", new JsonObject().put("type", "message_delta")
                .put("delta", new JsonObject().put("stop_reason", callsTools() ? "tool_use" : "end_turn")
                        .putNull("stop_sequence"))
                .put("usage", new JsonObject().put("output_tokens", outputTokens))));
        events.add(event("message_stop", new JsonObject().put("type", "message_stop")));
        return events;
    }

    /** Anthropic deltas {@code {type, <field>: piece}}, one per piece. */
    private static List<JsonObject> deltas(String type, String field, List<String> pieces) {
        return pieces.stream().map(piece -> new JsonObject().put("type", type).put(field, piece)).toList();
    }

    /** {@code content_block_start}, one {@code content_block_delta} per delta, {@code content_block_stop}. */
    private static List<String> contentBlockEvents(int index, JsonObject block, List<JsonObject> deltas) {
        List<String> events = new ArrayList<>();
        events.add(event("content_block_start", new JsonObject().put("type", "content_block_start").put("index", index)
                .put("content_block", block)));
        for (JsonObject delta : deltas) {
            events.add(event("content_block_delta", new JsonObject().put("type", "content_block_delta")
                    .put("index", index).put("delta", delta)));
        }
        events.add(event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", index)));
        return events;
    }

    // ---- usage

    private JsonObject openAiUsage() {
        return new JsonObject().put("prompt_tokens", inputTokens).put("completion_tokens", outputTokens)
                .put("total_tokens", inputTokens + outputTokens)
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0));
    }

    private static JsonObject anthropicUsage(long input, long output) {
        return new JsonObject().put("input_tokens", input).put("output_tokens", output)
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
    }

    // ---- models and embeddings

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

    // ---- the conversation

    /** What the request's messages end with. */
    private record Conversation(JsonArray messages, boolean anthropic) {

        /** Whether the last message is a user message (tool results are checked separately). */
        boolean endsWithUserText() {
            return !messages.isEmpty() && "user".equals(role(messages.size() - 1));
        }

        private String role(int index) {
            return messages.getJsonObject(index).getString("role");
        }

        /**
         * The contents of the tool results the conversation ends with, in order; empty when it ends otherwise.
         * OpenAI: the trailing {@code role: "tool"} messages; Anthropic: the {@code tool_result} blocks of a last user
         * message.
         */
        List<String> toolResults() {
            List<String> results = new ArrayList<>();
            if (messages.isEmpty()) {
                return results;
            }
            if (!anthropic) {
                for (int i = messages.size() - 1; i >= 0 && "tool".equals(role(i)); i--) {
                    results.add(0, textOf(messages.getJsonObject(i).getValue("content")));
                }
                return results;
            }
            JsonObject last = messages.getJsonObject(messages.size() - 1);
            if ("user".equals(last.getString("role")) && last.getValue("content") instanceof JsonArray blocks) {
                blocks.forEach(b -> {
                    if (b instanceof JsonObject block && "tool_result".equals(block.getString("type"))) {
                        results.add(textOf(block.getValue("content")));
                    }
                });
            }
            return results;
        }

        /** The text of the last user message with string or array content ("" if none). */
        String lastUserText() {
            for (int i = messages.size() - 1; i >= 0; i--) {
                JsonObject m = messages.getJsonObject(i);
                if ("user".equals(m.getString("role"))) {
                    Object content = m.getValue("content");
                    if (content instanceof String || content instanceof JsonArray) {
                        return textOf(content);
                    }
                }
            }
            return "";
        }

        /** String content as is; for an array of parts or blocks, their {@code text} fields concatenated. */
        private static String textOf(Object content) {
            if (content instanceof String s) {
                return s;
            }
            StringBuilder sb = new StringBuilder();
            if (content instanceof JsonArray parts) {
                parts.forEach(p -> {
                    if (p instanceof JsonObject part && part.getString("text") != null) {
                        sb.append(part.getString("text"));
                    }
                });
            }
            return sb.toString();
        }
    }

    // ---- tool calls

    /**
     * The tools a request declares and what its {@code tool_choice} allows.
     *
     * @param tools declared tools, in order
     * @param enabled {@code false} when {@code tool_choice} is none
     * @param named the tool {@code tool_choice} names, or {@code null}
     * @param parallel whether more than one call per answer is allowed
     * @param anthropic which id format to use
     */
    private record ToolPlan(List<DeclaredTool> tools, boolean enabled, String named, boolean parallel,
            boolean anthropic) {

        static ToolPlan of(JsonObject request, boolean anthropic) {
            List<DeclaredTool> tools = new ArrayList<>();
            request.getJsonArray("tools", new JsonArray()).forEach(t -> {
                if (t instanceof JsonObject tool) {
                    JsonObject definition = anthropic ? tool : tool.getJsonObject("function");
                    DeclaredTool declared = DeclaredTool.of(definition, anthropic);
                    if (declared != null) {
                        tools.add(declared);
                    }
                }
            });
            Object choice = request.getValue("tool_choice");
            JsonObject choiceObject = choice instanceof JsonObject o ? o : new JsonObject();
            boolean none = "none".equals(choice) || "none".equals(choiceObject.getString("type"));
            String named = anthropic
                    ? ("tool".equals(choiceObject.getString("type")) ? choiceObject.getString("name") : null)
                    : ("function".equals(choiceObject.getString("type"))
                            ? choiceObject.getJsonObject("function", new JsonObject()).getString("name")
                            : null);
            boolean parallel = anthropic ? !choiceObject.getBoolean("disable_parallel_tool_use", false)
                    : request.getBoolean("parallel_tool_calls", true);
            return new ToolPlan(tools, !none, named, parallel, anthropic);
        }

        /** The calls to make after a user turn with this text; empty for a text answer. */
        List<MockToolCall> calls(String userText) {
            if (tools.isEmpty() || !enabled) {
                return List.of();
            }
            List<DeclaredTool> chosen;
            if (named != null) {
                chosen = List.of(tools.stream().filter(t -> t.name().equals(named)).findFirst()
                        .orElse(new DeclaredTool(named, new JsonObject())));
            } else if (parallel && tools.size() >= 2 && BOTH.matcher(userText).find()) {
                chosen = tools.subList(0, 2);
            } else {
                chosen = tools.subList(0, 1);
            }
            List<MockToolCall> calls = new ArrayList<>();
            for (DeclaredTool tool : chosen) {
                String id = (anthropic ? "toolu_mock_" : "call_mock_") + (calls.size() + 1);
                calls.add(new MockToolCall(id, tool.name(), tool.mockArguments()));
            }
            return calls;
        }
    }

    /** A declared tool: its name and the {@code properties} of its input schema. */
    private record DeclaredTool(String name, JsonObject properties) {

        /** From an Anthropic tool or an OpenAI tool's {@code function}; {@code null} if it has no name. */
        static DeclaredTool of(JsonObject definition, boolean anthropic) {
            if (definition == null || definition.getString("name") == null) {
                return null;
            }
            JsonObject schema = definition.getJsonObject(anthropic ? "input_schema" : "parameters", new JsonObject());
            return new DeclaredTool(definition.getString("name"), schema.getJsonObject("properties", new JsonObject()));
        }

        JsonObject mockArguments() {
            JsonObject arguments = new JsonObject();
            properties.forEach(p -> arguments.put(p.getKey(), mockValue(p.getKey(), p.getValue())));
            return arguments;
        }

        private static Object mockValue(String property, Object schema) {
            return switch (typeOf(schema)) {
                case "integer", "number" -> 42;
                case "boolean" -> true;
                case "array" -> new JsonArray();
                case "object" -> new JsonObject();
                default -> "city".equals(property) ? "Zürich 東京" : "mock-" + property;
            };
        }

        /** The schema's type: a string, or the first non-null type of a list; "string" when absent. */
        private static String typeOf(Object schema) {
            Object type = schema instanceof JsonObject s ? s.getValue("type") : null;
            if (type instanceof JsonArray types) {
                return types.stream().filter(t -> t instanceof String && !"null".equals(t)).map(String.class::cast)
                        .findFirst().orElse("string");
            }
            return type instanceof String s ? s : "string";
        }
    }

    /** One tool call of an answer, with its arguments as a JSON object. */
    record MockToolCall(String id, String name, JsonObject arguments) {

        /** The arguments as compact JSON, as OpenAI sends them. */
        String argumentsJson() {
            return arguments.encode();
        }

        List<String> argumentPieces() {
            return pieces(argumentsJson(), ARGUMENT_PIECE);
        }

        long outputTokens() {
            return argumentPieces().size() + 1L;
        }

        /** {@code {id, type: function, function: {name, arguments}}}. */
        JsonObject openAiJson() {
            return new JsonObject().put("id", id).put("type", "function")
                    .put("function", new JsonObject().put("name", name).put("arguments", argumentsJson()));
        }

        /** {@code {type: tool_use, id, name, input}}. */
        JsonObject anthropicBlock(JsonObject input) {
            return new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input.copy());
        }
    }

    /** Splits into pieces of {@code size} Java chars, one fewer where a piece would end inside a surrogate pair. */
    static List<String> pieces(String s, int size) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < s.length()) {
            int end = Math.min(start + size, s.length());
            if (end < s.length() && end - start > 1 && Character.isHighSurrogate(s.charAt(end - 1))
                    && Character.isLowSurrogate(s.charAt(end))) {
                end--;
            }
            out.add(s.substring(start, end));
            start = end;
        }
        return out;
    }

    // ---- helpers

    private static String truncate(String s) {
        return s.length() > MAX_ECHO ? s.substring(0, MAX_ECHO) : s;
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
