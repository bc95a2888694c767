package io.ironcage.runtime.internal.translate;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.ironcage.runtime.internal.translate.AnthropicToOpenAiStream.StreamJson;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI {@code chat.completion.chunk} stream as an Anthropic Messages stream. Every event's SSE name is its JSON
 * {@code type}.
 * <p>
 * <b>message_start</b> is sent with the first chunk: the chunk's id and model (as in {@link OpenAiToAnthropicAnswer};
 * the client request's model when the chunk names none), empty content and zero usage. OpenAI reports usage only at
 * the very end, so {@code message_start.message.usage.input_tokens} is 0 (unless the first chunk already carries
 * usage); the true input, cache-read and output counts are in {@code message_delta.usage}, whose counts the current
 * Messages API defines as cumulative and which Anthropic SDKs apply over those of {@code message_start}. No estimate is
 * made up: a guessed count would be silently wrong for billing and context accounting.
 * <p>
 * <b>Content blocks</b> are kept as explicit state: text deltas ({@code delta.content}, and {@code delta.refusal},
 * which also makes the stop reason {@code refusal}) go to a text block; each tool call (a new {@code index} in
 * {@code delta.tool_calls}, or a new {@code id} at a known index) gets its own {@code tool_use} block
 * ({@code id}, {@code name}, {@code input: {}}) and its argument fragments become {@code input_json_delta} events,
 * verbatim. Empty text is never sent (no empty text blocks). Reasoning fields of compatible servers are left out.
 * <p>
 * <b>Interleaved tool calls.</b> Anthropic blocks cannot interleave, but OpenAI-compatible servers may interleave the
 * argument fragments of parallel tool calls by index. Each tool call's arguments are scanned (strings and escapes
 * aware) to know when they form a complete JSON value. A block that must start while a tool block is open:
 * <ul>
 * <li>if the open tool's arguments are complete, the open block is closed and the new one opened at once: sequential
 * tool calls, the common case, stream with no buffering at all;</li>
 * <li>otherwise the new block waits, its fragments buffered in arrival order, until the open tool's arguments are
 * complete (or the answer finishes); waiting blocks are then opened in the order they first appeared, each with its
 * buffered fragments as one delta, and streamed live from there.</li>
 * </ul>
 * A text block is closed whenever another block must start. Fragments for a tool call whose block is already closed
 * can only follow its complete arguments (or a new id at its index); they could not extend valid JSON and are dropped.
 * <p>
 * <b>End.</b> {@code finish_reason} closes every block (waiting ones are opened and flushed first), but
 * {@code message_delta} is held until the usage arrives (the usage-only chunk after the finish chunk, or usage in the
 * finish chunk itself) or the stream ends ({@code [DONE]} or {@link #onEnd}); then {@code message_delta}
 * ({@code stop_reason} per {@link OpenAiToAnthropicAnswer#stopReason}, {@code tool_use} whenever tool blocks were
 * sent and the stop is a normal one, {@code stop_sequence: null}, usage) and {@code message_stop}, exactly once. An
 * OpenAI error chunk or {@link #onError} gives an Anthropic {@code error} event, after which nothing is sent, as the
 * Anthropic API does.
 */
public final class OpenAiToAnthropicStream implements StreamTranslator {

    /** Key of the legacy {@code delta.function_call} among tool indexes. */
    private static final int LEGACY_FUNCTION_CALL = Integer.MIN_VALUE;

    /** Incremental check that a JSON text is complete (an object or array whose brackets all closed). */
    static final class JsonScan {
        private int depth;
        private boolean inString;
        private boolean escape;
        private boolean started;
        private boolean scalar;
        private boolean complete;

        void feed(CharSequence s) {
            for (int i = 0; i < s.length() && !complete && !scalar; i++) {
                char c = s.charAt(i);
                if (inString) {
                    if (escape) {
                        escape = false;
                    } else if (c == '\\') {
                        escape = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (!started) {
                    if (c == '{' || c == '[') {
                        started = true;
                        depth = 1;
                    } else if (!Character.isWhitespace(c)) {
                        scalar = true; // not an object: its end cannot be told, it ends with the answer
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    complete = true;
                }
            }
        }

        boolean complete() {
            return complete;
        }

        void markComplete() {
            complete = true;
        }
    }

    /** One Anthropic content block to be: waiting (not opened), open, or closed. */
    private static final class Item {
        final boolean tool;
        final JsonScan scan = new JsonScan();
        final StringBuilder pending = new StringBuilder();
        String id;
        String name;
        int index = -1;
        boolean queued;
        boolean opened;
        boolean closed;
        String carry = "";

        Item(boolean tool) {
            this.tool = tool;
        }
    }

    private final String requestModel;
    private final ArrayDeque<Item> waiting = new ArrayDeque<>();
    private final Map<Integer, Item> toolsByIndex = new HashMap<>();

    private String id;
    private String model;
    private boolean started;
    private boolean ended;
    private boolean finishSeen;
    private String finishReason;
    private JsonObject usage;
    private boolean refusal;
    private boolean toolBlocks;
    private int nextIndex;
    private Item open;
    private Item text;
    private Item lastTool;
    private int syntheticIndex = -1;

    /** @param anthropicClientRequest the client's request ({@code model}) */
    public OpenAiToAnthropicStream(JsonObject anthropicClientRequest) {
        this.requestModel = anthropicClientRequest != null && anthropicClientRequest.getValue("model") instanceof String m
                ? m
                : "";
    }

    @Override
    public void onEvent(StreamEvent providerEvent, Consumer<StreamEvent> out) {
        if (ended || providerEvent == null || providerEvent.data() == null) {
            return;
        }
        String data = providerEvent.data();
        if ("[DONE]".equals(data.strip())) {
            complete(out);
            return;
        }
        JsonObject chunk = StreamJson.object(data);
        if (chunk == null) {
            return; // not JSON: nothing a client could use
        }
        Object error = chunk.getValue("error");
        if (error != null) {
            JsonObject e = error instanceof JsonObject o ? o : new JsonObject().put("message", String.valueOf(error));
            String message = StreamJson.string(e, "message");
            String type = StreamJson.string(e, "type");
            emitError(ErrorTranslation.anthropicType(type, StreamJson.string(e, "code"), 0),
                    message == null || message.isBlank() ? "Provider stream error" : message, out);
            return;
        }
        JsonObject chunkUsage = chunk.getValue("usage") instanceof JsonObject u ? u : null;
        if (chunkUsage != null) {
            usage = chunkUsage;
        }
        if (!started) {
            id = StreamJson.string(chunk, "id");
            model = StreamJson.string(chunk, "model");
            ensureStarted(out);
        }
        if (chunk.getValue("choices") instanceof JsonArray choices) {
            for (Object o : choices) {
                if (o instanceof JsonObject choice && StreamJson.integer(choice, "index", 0) == 0) {
                    choice(choice, out);
                }
            }
        }
        if (chunkUsage != null && finishSeen) {
            complete(out);
        }
    }

    @Override
    public void onEnd(Consumer<StreamEvent> out) {
        complete(out);
    }

    @Override
    public void onError(String type, String message, Consumer<StreamEvent> out) {
        emitError(ErrorTranslation.anthropicType(type, null, 0), message == null ? "Stream error" : message, out);
    }

    // ---- provider chunks ------------------------------------------------------------------------------------------

    private void choice(JsonObject choice, Consumer<StreamEvent> out) {
        if (choice.getValue("delta") instanceof JsonObject delta) {
            String content = StreamJson.string(delta, "content");
            if (content != null && !content.isEmpty()) {
                text(content, out);
            }
            String refusalText = StreamJson.string(delta, "refusal");
            if (refusalText != null && !refusalText.isEmpty()) {
                refusal = true;
                text(refusalText, out);
            }
            if (delta.getValue("tool_calls") instanceof JsonArray calls) {
                for (Object c : calls) {
                    if (c instanceof JsonObject call) {
                        toolCall(call, out);
                    }
                }
            }
            if (delta.getValue("function_call") instanceof JsonObject function) {
                toolCall(new JsonObject().put("index", LEGACY_FUNCTION_CALL).put("function", function), out);
            }
        }
        String finish = StreamJson.string(choice, "finish_reason");
        if (finish != null) {
            finishReason = finish;
            finishSeen = true;
            flushAll(out);
        }
    }

    private void text(String fragment, Consumer<StreamEvent> out) {
        if (text == null || text.closed) {
            text = new Item(false);
        }
        deliver(text, fragment, out);
    }

    private void toolCall(JsonObject call, Consumer<StreamEvent> out) {
        String callId = StreamJson.string(call, "id");
        if (callId != null && callId.isEmpty()) {
            callId = null;
        }
        JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
        String name = StreamJson.string(function, "name");
        Object args = function.getValue("arguments");
        String fragment = args == null ? "" : args instanceof String s ? s
                : args instanceof JsonObject o ? o.encode() : String.valueOf(args);

        int key;
        if (call.getValue("index") instanceof Number n) {
            key = n.intValue();
        } else if (callId != null && (lastTool == null || !callId.equals(lastTool.id)) || lastTool == null) {
            key = syntheticIndex--; // no index: a new id (or the first call) is a new tool call
        } else {
            key = keyOf(lastTool);
        }
        Item tool = toolsByIndex.get(key);
        if (tool == null || callId != null && tool.id != null && !callId.equals(tool.id)) {
            if (tool != null) {
                tool.scan.markComplete(); // a new call at the same index: the previous one has ended
            }
            tool = new Item(true);
            if (key == LEGACY_FUNCTION_CALL) {
                tool.id = OpenAiToAnthropicAnswer.generatedToolId();
            }
            toolsByIndex.put(key, tool);
            text = null; // text after this call is a new block after it
        }
        if (tool.id == null && callId != null) {
            tool.id = callId;
        }
        if (tool.name == null && name != null && !name.isEmpty()) {
            tool.name = name;
        }
        lastTool = tool;
        deliver(tool, fragment, out);
    }

    private int keyOf(Item tool) {
        for (Map.Entry<Integer, Item> e : toolsByIndex.entrySet()) {
            if (e.getValue() == tool) {
                return e.getKey();
            }
        }
        return syntheticIndex--;
    }

    /** A fragment for {@code item}: streamed when it is the open block, else buffered until it can be opened. */
    private void deliver(Item item, String fragment, Consumer<StreamEvent> out) {
        if (item.closed) {
            return; // see the class comment: cannot extend complete arguments
        }
        if (item.tool) {
            item.scan.feed(fragment);
        }
        if (item == open) {
            delta(item, fragment, out);
        } else {
            item.pending.append(fragment);
            if (!item.queued) {
                item.queued = true;
                waiting.add(item);
            }
        }
        advance(false, out);
    }

    /**
     * Opens waiting blocks in order while the open block may be closed (a text block, or a tool block whose arguments
     * are complete); with {@code force}, regardless (the answer is finishing).
     */
    private void advance(boolean force, Consumer<StreamEvent> out) {
        while (!waiting.isEmpty()) {
            Item next = waiting.peek();
            if (!force) {
                if (open != null && open.tool && !open.scan.complete()) {
                    return;
                }
                if (next.tool && next.name == null) {
                    return; // its content_block_start needs the name
                }
            }
            closeOpen(out);
            waiting.poll();
            openItem(next, out);
        }
    }

    /** Opens every waiting block in order and closes the last one. */
    private void flushAll(Consumer<StreamEvent> out) {
        advance(true, out);
        closeOpen(out);
    }

    private void openItem(Item item, Consumer<StreamEvent> out) {
        item.index = nextIndex++;
        item.opened = true;
        open = item;
        JsonObject block;
        if (item.tool) {
            toolBlocks = true;
            if (item.id == null) {
                item.id = OpenAiToAnthropicAnswer.generatedToolId();
            }
            block = new JsonObject().put("type", "tool_use").put("id", item.id)
                    .put("name", item.name == null ? "" : item.name).put("input", new JsonObject());
        } else {
            block = new JsonObject().put("type", "text").put("text", "");
        }
        emit(out, new JsonObject().put("type", "content_block_start").put("index", item.index)
                .put("content_block", block));
        if (item.pending.length() > 0) {
            String pending = item.pending.toString();
            item.pending.setLength(0);
            delta(item, pending, out);
        }
    }

    private void delta(Item item, String fragment, Consumer<StreamEvent> out) {
        String joined = item.carry + fragment;
        item.carry = StreamJson.heldBack(joined);
        sendDelta(item, StreamJson.sendable(joined), out);
    }

    private void sendDelta(Item item, String fragment, Consumer<StreamEvent> out) {
        if (fragment.isEmpty()) {
            return;
        }
        JsonObject delta = item.tool
                ? new JsonObject().put("type", "input_json_delta").put("partial_json", fragment)
                : new JsonObject().put("type", "text_delta").put("text", fragment);
        emit(out, new JsonObject().put("type", "content_block_delta").put("index", item.index).put("delta", delta));
    }

    private void closeOpen(Consumer<StreamEvent> out) {
        if (open == null) {
            return;
        }
        Item item = open;
        open = null;
        if (!item.carry.isEmpty()) {
            String rest = item.carry;
            item.carry = "";
            sendDelta(item, rest, out);
        }
        item.closed = true;
        emit(out, new JsonObject().put("type", "content_block_stop").put("index", item.index));
    }

    private void ensureStarted(Consumer<StreamEvent> out) {
        if (started) {
            return;
        }
        started = true;
        if (id == null || id.isEmpty()) {
            id = "msg_" + OpenAiToAnthropicAnswer.generatedToolId().substring("call_".length());
        }
        if (model == null || model.isEmpty()) {
            model = requestModel;
        }
        JsonObject startUsage = new JsonObject().put("input_tokens", 0).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", 0);
        if (usage != null) {
            JsonObject known = OpenAiToAnthropicAnswer.usage(usage);
            startUsage.put("input_tokens", known.getValue("input_tokens"))
                    .put("cache_read_input_tokens", known.getValue("cache_read_input_tokens"));
        }
        emit(out, new JsonObject().put("type", "message_start").put("message", new JsonObject()
                .put("id", id).put("type", "message").put("role", "assistant").put("model", model)
                .put("content", new JsonArray()).putNull("stop_reason").putNull("stop_sequence")
                .put("usage", startUsage)));
    }

    /** The proper end, once: every block closed, {@code message_delta}, {@code message_stop}. */
    private void complete(Consumer<StreamEvent> out) {
        if (ended) {
            return;
        }
        ensureStarted(out);
        flushAll(out);
        String stop = OpenAiToAnthropicAnswer.stopReason(finishReason);
        if ("end_turn".equals(stop)) {
            if (refusal) {
                stop = "refusal";
            } else if (toolBlocks) {
                stop = "tool_use";
            }
        }
        JsonObject deltaUsage;
        if (usage != null) {
            deltaUsage = OpenAiToAnthropicAnswer.usage(usage);
        } else {
            deltaUsage = new JsonObject().put("output_tokens", 0);
        }
        ended = true;
        emit(out, new JsonObject().put("type", "message_delta")
                .put("delta", new JsonObject().put("stop_reason", stop).putNull("stop_sequence"))
                .put("usage", deltaUsage));
        emit(out, new JsonObject().put("type", "message_stop"));
    }

    private void emitError(String type, String message, Consumer<StreamEvent> out) {
        if (ended) {
            return;
        }
        ended = true;
        emit(out, ErrorTranslation.anthropicError(type, message));
    }

    private static void emit(Consumer<StreamEvent> out, JsonObject event) {
        out.accept(new StreamEvent(event.getString("type"), event.encode()));
    }
}
