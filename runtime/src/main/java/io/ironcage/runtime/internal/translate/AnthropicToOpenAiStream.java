package io.ironcage.runtime.internal.translate;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.ironcage.runtime.internal.json.AnthropicEvent;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic Messages stream as an OpenAI {@code chat.completion.chunk} stream.
 * <p>
 * Events and what they become:
 * <ul>
 * <li>{@code message_start}: the first chunk, {@code delta: {role: assistant, content: ""}}. Its message id and model
 * become every chunk's {@code id} and {@code model} (as in {@link AnthropicToOpenAiAnswer}: the id is kept; the model
 * is the provider's, or the client request's when the provider named none); {@code created} is the translator's
 * creation time. Its usage gives the input and cache counts.</li>
 * <li>{@code content_block_start}/{@code _delta} of a {@code text} block: {@code delta.content}.</li>
 * <li>a {@code tool_use} block: one {@code tool_calls} entry with its own OpenAI {@code index} (0, 1, 2… in the order
 * of the tool blocks, not the Anthropic block index): its first chunk carries {@code id}, {@code type: function},
 * {@code function.name} and {@code arguments: ""}; each {@code input_json_delta} then gives
 * {@code function.arguments} fragments verbatim (empty fragments are not sent). A block whose input arrives whole in
 * {@code content_block_start} instead of in deltas gets it as one fragment at its end.</li>
 * <li>{@code thinking}, {@code redacted_thinking} and server tool blocks, {@code signature_delta},
 * {@code citations_delta}, {@code ping}: nothing (see {@link AnthropicToOpenAiAnswer} on thinking).</li>
 * <li>{@code message_delta}: a chunk with an empty delta and the {@code finish_reason}
 * ({@link AnthropicToOpenAiAnswer#finishReason}; {@code tool_calls} whenever tool calls were sent and the stop is a
 * normal one). Its usage gives the output count (and input counts when present: they are cumulative).</li>
 * <li>{@code message_stop}: when the client asked for {@code stream_options.include_usage}, the usage chunk
 * ({@code choices: []}); then {@code [DONE]}. With {@code include_usage} every other chunk carries
 * {@code "usage": null}, as OpenAI's do.</li>
 * <li>{@code error}: an OpenAI error chunk {@code {"error":{"message","type","param":null,"code":null}}} (the
 * Anthropic error type is kept), then {@code [DONE]}.</li>
 * </ul>
 * Whatever the provider sends or omits, the client sees exactly one finish chunk (unless the stream ends in an error)
 * and exactly one {@code [DONE]}, last. A fragment ending in the first half of a UTF-16 surrogate pair is held back
 * until the second half arrives, so no chunk carries a broken character.
 */
public final class AnthropicToOpenAiStream implements StreamTranslator {

    private static final StreamEvent DONE = new StreamEvent(null, "[DONE]");

    private enum Kind {
        TEXT,
        TOOL,
        SKIPPED
    }

    /** State of one Anthropic content block, by Anthropic block index. */
    private static final class Block {
        final Kind kind;
        final int toolIndex;
        final JsonObject initialInput;
        boolean sawJson;
        boolean closed;
        String carry = "";

        Block(Kind kind, int toolIndex, JsonObject initialInput) {
            this.kind = kind;
            this.toolIndex = toolIndex;
            this.initialInput = initialInput;
        }
    }

    private final String requestModel;
    private final boolean includeUsage;
    private final long created = System.currentTimeMillis() / 1000;
    /** The encoded start every chunk shares, and the id and model it was encoded for (see {@link #sharedHead()}). */
    private String head;
    private String headId;
    private String headModel;
    private final Map<Integer, Block> blocks = new HashMap<>();

    private String id;
    private String model;
    private boolean started;
    private boolean finishSent;
    private boolean done;
    private String stopReason;
    private int toolCount;
    private long inputTokens;
    private long outputTokens;
    private long cacheReadTokens;
    private long cacheCreationTokens;

    /** @param openAiClientRequest the client's request: {@code model}, {@code stream_options.include_usage} */
    public AnthropicToOpenAiStream(JsonObject openAiClientRequest) {
        JsonObject request = openAiClientRequest == null ? new JsonObject() : openAiClientRequest;
        this.requestModel = request.getValue("model") instanceof String m ? m : "";
        this.includeUsage = request.getValue("stream_options") instanceof JsonObject options
                && Boolean.TRUE.equals(options.getValue("include_usage"));
    }

    @Override
    public void onEvent(StreamEvent providerEvent, Consumer<StreamEvent> out) {
        if (done || providerEvent == null || providerEvent.data() == null || "ping".equals(providerEvent.event())) {
            return; // pings carry nothing: not even parsed
        }
        if ("content_block_delta".equals(providerEvent.event()) && textDelta(providerEvent.data(), out)) {
            return;
        }
        JsonObject json = StreamJson.object(providerEvent.data());
        if (json == null) {
            return; // not JSON: nothing a client could use
        }
        String type = StreamJson.string(json, "type");
        if (type == null) {
            type = providerEvent.event() == null ? "" : providerEvent.event();
        }
        switch (type) {
            case "message_start" -> messageStart(json, out);
            case "content_block_start" -> blockStart(json, out);
            case "content_block_delta" -> blockDelta(json, out);
            case "content_block_stop" -> blockStop(json, out);
            case "message_delta" -> messageDelta(json, out);
            case "message_stop" -> finish(out);
            case "error" -> {
                JsonObject error = json.getValue("error") instanceof JsonObject e ? e : new JsonObject();
                String errorType = StreamJson.string(error, "type");
                String message = StreamJson.string(error, "message");
                fail(errorType == null ? "api_error" : errorType, message == null ? "Provider stream error" : message,
                        out);
            }
            default -> {
                // ping and unknown events: nothing
            }
        }
    }

    @Override
    public void onEnd(Consumer<StreamEvent> out) {
        finish(out);
    }

    @Override
    public void onError(String type, String message, Consumer<StreamEvent> out) {
        fail(type == null ? "server_error" : type, message == null ? "Stream error" : message, out);
    }

    // ---- provider events ----------------------------------------------------------------------------------------

    private void messageStart(JsonObject json, Consumer<StreamEvent> out) {
        JsonObject message = json.getValue("message") instanceof JsonObject m ? m : new JsonObject();
        if (!started) {
            id = StreamJson.string(message, "id");
            model = StreamJson.string(message, "model");
        }
        readUsage(message.getValue("usage") instanceof JsonObject u ? u : null);
        ensureStarted(out);
    }

    private void blockStart(JsonObject json, Consumer<StreamEvent> out) {
        ensureStarted(out);
        int index = StreamJson.integer(json, "index", blocks.size());
        JsonObject block = json.getValue("content_block") instanceof JsonObject b ? b : new JsonObject();
        String type = StreamJson.string(block, "type");
        if ("text".equals(type)) {
            Block b = new Block(Kind.TEXT, -1, null);
            blocks.put(index, b);
            String text = StreamJson.string(block, "text");
            if (text != null) {
                text(b, text, out);
            }
        } else if ("tool_use".equals(type)) {
            int toolIndex = toolCount++;
            JsonObject input = block.getValue("input") instanceof JsonObject i ? i : null;
            blocks.put(index, new Block(Kind.TOOL, toolIndex, input));
            String toolId = StreamJson.string(block, "id");
            String name = StreamJson.string(block, "name");
            JsonObject call = AnthropicToOpenAiAnswer.toolCall(
                    toolId == null ? OpenAiToAnthropicAnswer.generatedToolId() : toolId, name == null ? "" : name, "");
            out.accept(chunk(new JsonObject().put("tool_calls", new JsonArray().add(call.put("index", toolIndex))),
                    null));
        } else {
            blocks.put(index, new Block(Kind.SKIPPED, -1, null));
        }
    }

    /**
     * Most of a stream: a {@code content_block_delta} read with a {@link JsonCursor} instead of as a tree. True when
     * it was one (its fields read as the tree path reads them); false, with nothing done, for anything else (a data
     * {@code type} that says otherwise, a delta that is not an object, text that is not one JSON object), left to the
     * tree path.
     */
    private boolean textDelta(String data, Consumer<StreamEvent> out) {
        AnthropicEvent e;
        try {
            e = AnthropicEvent.read(data);
        } catch (IOException notJson) {
            return false;
        }
        if (e == null || e.delta() == null || e.type() != null && !e.type().equals("content_block_delta")) {
            return false;
        }
        blockDelta(e.index(), e.delta().type(), e.delta().text(), e.delta().partialJson(), out);
        return true;
    }

    private void blockDelta(JsonObject json, Consumer<StreamEvent> out) {
        JsonObject delta = json.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
        blockDelta(StreamJson.integer(json, "index", -1), StreamJson.string(delta, "type"),
                StreamJson.string(delta, "text"), StreamJson.string(delta, "partial_json"), out);
    }

    private void blockDelta(int index, String type, String text, String partial, Consumer<StreamEvent> out) {
        ensureStarted(out);
        Block block = blocks.get(index);
        if ("text_delta".equals(type)) {
            if (block == null) { // a text delta without its content_block_start: still text
                block = new Block(Kind.TEXT, -1, null);
                blocks.put(index, block);
            }
            if (block.kind == Kind.TEXT && !block.closed && text != null) {
                text(block, text, out);
            }
        } else if ("input_json_delta".equals(type)) {
            if (block != null && block.kind == Kind.TOOL && !block.closed && partial != null && !partial.isEmpty()) {
                block.sawJson = true;
                arguments(block, partial, out);
            }
        }
        // thinking_delta, signature_delta, citations_delta and unknown deltas: nothing
    }

    private void blockStop(JsonObject json, Consumer<StreamEvent> out) {
        Block block = blocks.get(StreamJson.integer(json, "index", -1));
        if (block != null) {
            close(block, out);
        }
    }

    private void messageDelta(JsonObject json, Consumer<StreamEvent> out) {
        JsonObject delta = json.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
        String reason = StreamJson.string(delta, "stop_reason");
        if (reason != null) {
            stopReason = reason;
        }
        readUsage(json.getValue("usage") instanceof JsonObject u ? u : null);
        emitFinish(out);
    }

    // ---- output ---------------------------------------------------------------------------------------------------

    private void ensureStarted(Consumer<StreamEvent> out) {
        if (started) {
            return;
        }
        started = true;
        if (id == null || id.isEmpty()) {
            id = "chatcmpl-" + OpenAiToAnthropicAnswer.generatedToolId().substring("call_".length());
        }
        if (model == null || model.isEmpty()) {
            model = requestModel;
        }
        out.accept(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
    }

    private void text(Block block, String fragment, Consumer<StreamEvent> out) {
        String joined = block.carry + fragment;
        String text = StreamJson.sendable(joined);
        block.carry = StreamJson.heldBack(joined);
        if (!text.isEmpty()) {
            out.accept(textChunk(text));
        }
    }

    private void arguments(Block block, String fragment, Consumer<StreamEvent> out) {
        String joined = block.carry + fragment;
        String text = StreamJson.sendable(joined);
        block.carry = StreamJson.heldBack(joined);
        if (!text.isEmpty()) {
            JsonObject call = new JsonObject().put("index", block.toolIndex)
                    .put("function", new JsonObject().put("arguments", text));
            out.accept(chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null));
        }
    }

    /** Ends a block: what it still holds is sent. */
    private void close(Block block, Consumer<StreamEvent> out) {
        if (block.closed) {
            return;
        }
        if (block.kind == Kind.TOOL && !block.sawJson && block.initialInput != null
                && !block.initialInput.isEmpty()) {
            block.sawJson = true;
            arguments(block, block.initialInput.encode(), out);
        }
        if (!block.carry.isEmpty()) {
            String rest = block.carry;
            block.carry = "";
            if (block.kind == Kind.TEXT) {
                out.accept(textChunk(rest));
            } else if (block.kind == Kind.TOOL) {
                JsonObject call = new JsonObject().put("index", block.toolIndex)
                        .put("function", new JsonObject().put("arguments", rest));
                out.accept(chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null));
            }
        }
        block.closed = true;
    }

    private void emitFinish(Consumer<StreamEvent> out) {
        if (finishSent) {
            return;
        }
        ensureStarted(out);
        blocks.keySet().stream().sorted().forEach(i -> close(blocks.get(i), out));
        String finish;
        if (stopReason == null) {
            finish = toolCount > 0 ? "tool_calls" : "stop";
        } else {
            finish = AnthropicToOpenAiAnswer.finishReason(stopReason);
            if (toolCount > 0 && "stop".equals(finish)) {
                finish = "tool_calls";
            }
        }
        finishSent = true;
        out.accept(chunk(new JsonObject(), finish));
    }

    /** The proper end: the finish chunk if not sent yet, the usage chunk when asked, {@code [DONE]}. Once. */
    private void finish(Consumer<StreamEvent> out) {
        if (done) {
            return;
        }
        emitFinish(out);
        if (includeUsage) {
            out.accept(new StreamEvent(null, base().put("choices", new JsonArray())
                    .put("usage", AnthropicToOpenAiAnswer.usage(inputTokens, outputTokens, cacheReadTokens,
                            cacheCreationTokens))
                    .encode()));
        }
        done = true;
        out.accept(DONE);
    }

    private void fail(String type, String message, Consumer<StreamEvent> out) {
        if (done) {
            return;
        }
        done = true;
        out.accept(new StreamEvent(null, ErrorTranslation.openAiError(type, message, null, null).encode()));
        out.accept(DONE);
    }

    private void readUsage(JsonObject usage) {
        if (usage == null) {
            return;
        }
        // counts are cumulative: a present value replaces the previous one
        if (usage.getValue("input_tokens") instanceof Number) {
            inputTokens = AnthropicToOpenAiAnswer.count(usage, "input_tokens");
        }
        if (usage.getValue("output_tokens") instanceof Number) {
            outputTokens = AnthropicToOpenAiAnswer.count(usage, "output_tokens");
        }
        if (usage.getValue("cache_read_input_tokens") instanceof Number) {
            cacheReadTokens = AnthropicToOpenAiAnswer.count(usage, "cache_read_input_tokens");
        }
        if (usage.getValue("cache_creation_input_tokens") instanceof Number) {
            cacheCreationTokens = AnthropicToOpenAiAnswer.count(usage, "cache_creation_input_tokens");
        }
    }

    private JsonObject base() {
        return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
    }

    /**
     * One chunk. Only the delta is encoded per chunk; the part every chunk shares (id, object, created, model) is
     * encoded once and reused, which keeps text deltas cheap.
     */
    private StreamEvent chunk(JsonObject delta, String finishReason) {
        return chunk(delta.encode(), finishReason);
    }

    /** A chunk whose delta is {@code {"content": text}}, encoded without building it. */
    private StreamEvent textChunk(String text) {
        StringBuilder delta = new StringBuilder(text.length() + 16).append("{\"content\":");
        return chunk(quoted(delta, text).append('}').toString(), null);
    }

    /** Appends {@code text} as a JSON string (or {@code null}), quoted and escaped as Jackson writes it. */
    private static StringBuilder quoted(StringBuilder out, String text) {
        if (text == null) {
            return out.append("null");
        }
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        return out.append('"');
    }

    private StreamEvent chunk(String delta, String finishReason) {
        StringBuilder sb = new StringBuilder(160 + delta.length()).append(sharedHead())
                .append("\"choices\":[{\"index\":0,\"delta\":").append(delta)
                .append(",\"logprobs\":null,\"finish_reason\":")
                .append(finishReason == null ? "null" : "\"" + finishReason + "\"").append("}]");
        if (includeUsage) {
            sb.append(",\"usage\":null");
        }
        return new StreamEvent(null, sb.append('}').toString());
    }

    /** {@code {"id":…,"object":"chat.completion.chunk","created":…,"model":…,} encoded once per id and model. */
    private String sharedHead() {
        if (head == null || !Objects.equals(headId, id) || !Objects.equals(headModel, model)) {
            StringBuilder sb = quoted(new StringBuilder(96).append("{\"id\":"), id)
                    .append(",\"object\":\"chat.completion.chunk\",\"created\":").append(created).append(",\"model\":");
            head = quoted(sb, model).append(',').toString();
            headId = id;
            headModel = model;
        }
        return head;
    }

    /** Small JSON and text helpers shared by the stream translators. */
    static final class StreamJson {

        private StreamJson() {
        }

        /** {@code data} as a JSON object, or {@code null} when it is not one. */
        static JsonObject object(String data) {
            String d = data.strip();
            if (!d.startsWith("{")) {
                return null;
            }
            try {
                return new JsonObject(d);
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** A string member, {@code null} when absent or not a string. */
        static String string(JsonObject json, String key) {
            return json != null && json.getValue(key) instanceof String s ? s : null;
        }

        /** An integer member, {@code fallback} when absent or not a number. */
        static int integer(JsonObject json, String key, int fallback) {
            return json != null && json.getValue(key) instanceof Number n ? n.intValue() : fallback;
        }

        /** {@code text} without a trailing lone high surrogate (the first half of a pair that is still to come). */
        static String sendable(String text) {
            return endsInHighSurrogate(text) ? text.substring(0, text.length() - 1) : text;
        }

        /** What {@link #sendable} holds back: the trailing high surrogate, or "". */
        static String heldBack(String text) {
            return endsInHighSurrogate(text) ? text.substring(text.length() - 1) : "";
        }

        private static boolean endsInHighSurrogate(String text) {
            return !text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1));
        }
    }
}
