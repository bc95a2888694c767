package io.ironcage.runtime.internal.pii;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.ironcage.runtime.internal.json.AnthropicEvent;
import io.ironcage.runtime.spi.ChunkDecision;
import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.PiiMatch;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The PII guard of one streamed answer, in the client's dialect. Each text channel (an OpenAI choice's content, one
 * tool call's arguments; an Anthropic content block) has its own {@link StreamScanner}. When redacting, the text of
 * each delta is replaced by what has settled, and what is still held back goes out with the event that ends its
 * channel (OpenAI: the chunk with {@code finish_reason}; Anthropic: one more delta just before
 * {@code content_block_stop}). When blocking, the stream is cut at the first value, before any of it went out.
 * Not thread-safe: one per stream (a stream's events arrive on one event loop).
 */
final class PiiStreamGuard {

    private final PiiScanner scanner;
    private final StreamScanner.Mode mode;
    private final boolean block;
    private final Dialect dialect;
    private final Consumer<PiiMatch> found;
    private final Map<String, StreamScanner> channels = new HashMap<>();
    /** Anthropic: the delta type of each block, to release its held-back text in a delta of the same type. */
    private final Map<Integer, String> blockDeltaTypes = new HashMap<>();
    private String firstKind;

    PiiStreamGuard(PiiScanner scanner, boolean redact, boolean block, Dialect dialect, Consumer<PiiMatch> found) {
        this.scanner = scanner;
        this.mode = redact || block ? StreamScanner.Mode.REDACT : StreamScanner.Mode.DETECT;
        this.block = block;
        this.dialect = dialect;
        this.found = found;
    }

    /** @throws PiiScanException when a detector fails (the caller fails closed) */
    ChunkDecision onEvent(StreamEvent event) {
        if (mode == StreamScanner.Mode.DETECT) {
            detect(event);
            return ChunkDecision.pass();
        }
        ChunkDecision decision = dialect == Dialect.ANTHROPIC ? anthropic(event) : openAi(event);
        return block && firstKind != null ? ChunkDecision.cut(PiiPolicy.DETECTED, "The answer contained "
                + firstKind + " (quarkus.iron.pii.response-mode=block); the stream was ended.") : decision;
    }

    /** Only detecting: the event passes as it is, so its texts are read without a tree. */
    private void detect(StreamEvent event) {
        if (dialect == Dialect.OPENAI && event.data().startsWith("[DONE]")) {
            return;
        }
        try {
            if (dialect == Dialect.ANTHROPIC) {
                EventTexts.anthropic(event.data(), this::accept, index -> finish(Channels.block(index)));
            } else {
                EventTexts.openAi(event.data(), this::accept, this::finishChoice);
            }
        } catch (java.io.IOException notJson) {
            // not an event with text: as the tree path, it passes unscanned
        }
    }

    /** Ends the channels of an OpenAI choice (detecting: their last values are reported, nothing is released). */
    private void finishChoice(int index) {
        finish(Channels.content(index));
        finish(Channels.refusal(index));
        for (String channel : toolChannels(index)) {
            finish(channel);
        }
    }

    /** The tool-call channels of an OpenAI choice that are open. */
    private List<String> toolChannels(int index) {
        List<String> open = null;
        String prefix = null;
        for (String channel : channels.keySet()) {
            if (channel.charAt(0) == 't') { // most streams have none: no prefix built, nothing allocated
                prefix = prefix != null ? prefix : Channels.toolCallPrefix(index);
                if (channel.startsWith(prefix)) {
                    open = open != null ? open : new ArrayList<>(2);
                    open.add(channel);
                }
            }
        }
        return open != null ? open : List.of();
    }

    private String accept(String channel, String text) {
        return channels.computeIfAbsent(channel, c -> new StreamScanner(scanner, mode, this::onFound)).accept(text);
    }

    private String finish(String channel) {
        StreamScanner s = channels.remove(channel);
        return s == null ? "" : s.finish();
    }

    private void onFound(PiiMatch match) {
        if (firstKind == null) {
            firstKind = match.kind();
        }
        found.accept(match);
    }

    private ChunkDecision openAi(StreamEvent event) {
        String data = event.data();
        if (data.startsWith("[DONE]")) {
            return ChunkDecision.pass(); // every channel was released with its finish_reason
        }
        JsonObject chunk = parse(data);
        JsonArray choices = chunk == null ? null : chunk.getJsonArray("choices");
        if (choices == null) {
            return ChunkDecision.pass();
        }
        boolean changed = false;
        for (int c = 0; c < choices.size(); c++) {
            JsonObject choice = choices.getJsonObject(c);
            int index = choice.getInteger("index", 0);
            JsonObject delta = choice.getJsonObject("delta");
            if (delta != null) {
                changed |= replaceText(delta, "content", Channels.content(index));
                changed |= replaceText(delta, "refusal", Channels.refusal(index));
                JsonArray calls = delta.getJsonArray("tool_calls");
                for (int t = 0; calls != null && t < calls.size(); t++) {
                    JsonObject call = calls.getJsonObject(t);
                    JsonObject function = call.getJsonObject("function");
                    if (function != null) {
                        changed |= replaceText(function, "arguments",
                                Channels.toolCall(index, call.getInteger("index", 0)));
                    }
                }
            }
            if (choice.getValue("finish_reason") != null) {
                changed |= releaseChoice(choice, index);
            }
        }
        return changed ? ChunkDecision.replace(new StreamEvent(event.event(), chunk.encode())) : ChunkDecision.pass();
    }

    /** Appends what {@code channel} still holds to the delta's text {@code field}; true when there was some. */
    private boolean releaseText(JsonObject delta, String field, String channel) {
        String held = finish(channel);
        if (held.isEmpty()) {
            return false;
        }
        delta.put(field, (delta.getValue(field) instanceof String sent ? sent : "") + held);
        return true;
    }

    /** Puts what the choice's channels still hold into its finishing chunk. */
    private boolean releaseChoice(JsonObject choice, int index) {
        JsonObject delta = choice.getJsonObject("delta");
        if (delta == null) {
            delta = new JsonObject();
            choice.put("delta", delta);
        }
        boolean changed = releaseText(delta, "content", Channels.content(index));
        changed |= releaseText(delta, "refusal", Channels.refusal(index));
        for (String channel : toolChannels(index)) {
            String args = finish(channel);
            if (!args.isEmpty()) {
                JsonArray calls = delta.getJsonArray("tool_calls");
                if (calls == null) {
                    calls = new JsonArray();
                    delta.put("tool_calls", calls);
                }
                calls.add(new JsonObject().put("index", Channels.toolCallIndex(channel))
                        .put("function", new JsonObject().put("arguments", args)));
                changed = true;
            }
        }
        return changed;
    }

    private ChunkDecision anthropic(StreamEvent event) {
        JsonObject e = parse(event.data());
        if (e == null) {
            return ChunkDecision.pass();
        }
        String type = e.getString("type", "");
        if (type.equals("content_block_delta")) {
            int index = e.getInteger("index", 0);
            JsonObject delta = e.getJsonObject("delta");
            String field = delta == null ? null : AnthropicEvent.textField(delta.getString("type", ""));
            if (field == null) {
                return ChunkDecision.pass();
            }
            blockDeltaTypes.put(index, delta.getString("type"));
            return replaceText(delta, field, Channels.block(index))
                    ? ChunkDecision.replace(new StreamEvent(event.event(), e.encode()))
                    : ChunkDecision.pass();
        }
        if (type.equals("content_block_stop")) {
            int index = e.getInteger("index", 0);
            String rest = finish(Channels.block(index));
            String deltaType = blockDeltaTypes.remove(index);
            if (!rest.isEmpty() && deltaType != null) {
                JsonObject delta = new JsonObject().put("type", deltaType)
                        .put(AnthropicEvent.textField(deltaType), rest);
                StreamEvent released = new StreamEvent("content_block_delta", new JsonObject()
                        .put("type", "content_block_delta").put("index", index).put("delta", delta).encode());
                return ChunkDecision.replace(List.of(released, event));
            }
        }
        return ChunkDecision.pass();
    }

    /** Passes the field's text through its channel; true when what goes out differs. */
    private boolean replaceText(JsonObject holder, String field, String channel) {
        Object value = holder.getValue(field);
        if (!(value instanceof String text) || text.isEmpty()) {
            return false;
        }
        String out = accept(channel, text);
        if (out.equals(text)) {
            return false;
        }
        holder.put(field, out);
        return true;
    }

    private static JsonObject parse(String data) {
        try {
            return new JsonObject(data);
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
