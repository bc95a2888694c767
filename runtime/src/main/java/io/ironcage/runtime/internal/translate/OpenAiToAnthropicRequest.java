package io.ironcage.runtime.internal.translate;

import static io.ironcage.runtime.internal.translate.RequestSupport.array;
import static io.ironcage.runtime.internal.translate.RequestSupport.base64Source;
import static io.ironcage.runtime.internal.translate.RequestSupport.bool;
import static io.ironcage.runtime.internal.translate.RequestSupport.integer;
import static io.ironcage.runtime.internal.translate.RequestSupport.isDataUrl;
import static io.ironcage.runtime.internal.translate.RequestSupport.missing;
import static io.ironcage.runtime.internal.translate.RequestSupport.number;
import static io.ironcage.runtime.internal.translate.RequestSupport.object;
import static io.ironcage.runtime.internal.translate.RequestSupport.objectAt;
import static io.ironcage.runtime.internal.translate.RequestSupport.onlyKnown;
import static io.ironcage.runtime.internal.translate.RequestSupport.path;
import static io.ironcage.runtime.internal.translate.RequestSupport.putIfPresent;
import static io.ironcage.runtime.internal.translate.RequestSupport.requiredArray;
import static io.ironcage.runtime.internal.translate.RequestSupport.requiredObject;
import static io.ironcage.runtime.internal.translate.RequestSupport.requiredString;
import static io.ironcage.runtime.internal.translate.RequestSupport.string;
import static io.ironcage.runtime.internal.translate.RequestSupport.strings;
import static io.ironcage.runtime.internal.translate.RequestSupport.text;
import static io.ironcage.runtime.internal.translate.RequestSupport.thinkingBudget;
import static io.ironcage.runtime.internal.translate.RequestSupport.unsupported;
import static io.ironcage.runtime.internal.translate.RequestSupport.unsupportedValue;
import static io.ironcage.runtime.internal.translate.RequestSupport.wrongType;
import static java.util.Map.entry;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI Chat Completions request as an Anthropic Messages request. The input is never modified (everything taken
 * over is copied); a JSON {@code null} counts as absent; whatever cannot be honoured is rejected with an
 * {@link UnsupportedParameterException} naming its path, never silently dropped.
 *
 * <h2>Messages</h2>
 * <ul>
 * <li>{@code system} and {@code developer} messages, wherever they are, are hoisted in order into {@code system}: a
 * string when there is exactly one with string content, otherwise an array of text blocks (one per message or text
 * part). A {@code cache_control} on a text part (a common OpenAI-compatible extension) is kept on the block.</li>
 * <li>Content keeps its shape: a string stays a string, parts become blocks ({@code text}; {@code image_url} with an
 * http(s) URL becomes a {@code url} image source, a {@code data:<type>;base64,} URL a {@code base64} source; the
 * resolution hint {@code detail} has no Anthropic field and is dropped). Other parts ({@code input_audio},
 * {@code file}) are rejected.</li>
 * <li>Assistant {@code tool_calls} become {@code tool_use} blocks after the text (ids kept, {@code arguments} parsed:
 * an empty string is {@code {}}, anything but a JSON object is rejected). An assistant {@code refusal} is kept as
 * text.</li>
 * <li>{@code tool} messages become {@code tool_result} blocks in a user turn. Anthropic wants alternating turns, so
 * consecutive turns of the same role are merged into one message with several blocks: consecutive tool results end
 * up in one user turn, and a user message right after them joins that turn after the results.</li>
 * <li>Message-level {@code name} (participant names) has no Anthropic field and is rejected, except on {@code tool}
 * messages, where the call id already identifies the tool.</li>
 * </ul>
 *
 * <h2>Parameters</h2>
 * <ul>
 * <li>{@code max_completion_tokens} (else the legacy {@code max_tokens}, else {@code defaultMaxTokens}) becomes the
 * required {@code max_tokens}.</li>
 * <li>{@code temperature} (OpenAI 0..2, Anthropic 0..1) passes when at most 1, above is rejected; {@code top_p}
 * passes; {@code stop} (string or array) becomes {@code stop_sequences}; {@code user} (or {@code safety_identifier},
 * which must then agree) becomes {@code metadata.user_id}; {@code stream} is kept; {@code service_tier}
 * {@code auto}/{@code default} become {@code auto}/{@code standard_only}.</li>
 * <li>Tools: {@code function} tools become custom tools ({@code parameters} → {@code input_schema}, an object schema
 * without properties when absent; {@code strict} kept). {@code tool_choice} {@code auto}/{@code none}/
 * {@code required}/named function become {@code auto}/{@code none}/{@code any}/{@code tool}.
 * {@code parallel_tool_calls: false} becomes {@code tool_choice.disable_parallel_tool_use: true} (creating
 * {@code {"type":"auto"}} when needed); it is a no-op without tools or with {@code tool_choice: none}.</li>
 * <li>{@code response_format}: {@code json_schema} maps to Anthropic's structured outputs,
 * {@code output_config.format = {"type":"json_schema","schema":...}} (generally available, no beta header). Anthropic
 * always decodes against the schema, i.e. it behaves as {@code strict: true}; the schema {@code name} is only a label
 * and is dropped; a {@code description} (prompt text for the model) has no field and is rejected.
 * {@code json_object} has no Anthropic equivalent (output formats need a schema), so a system instruction asking for a
 * single JSON object is appended as the last system block. {@code text} is the default and maps to nothing.</li>
 * <li>{@code reasoning_effort} becomes {@code thinking: {"type":"enabled","budget_tokens":N}} with minimal/low 1024,
 * medium 4096, high 16384, xhigh/max 32768 ({@code none}: no thinking). Anthropic counts thinking inside
 * {@code max_tokens} and requires {@code max_tokens > budget_tokens}, so {@code max_tokens} is raised to the budget
 * plus the requested (or default) maximum, keeping the client's answer budget. Note: the newest Claude models accept
 * only adaptive thinking; a request for them with {@code reasoning_effort} will be refused by the provider.</li>
 * <li>Rejected when they would change the answer: {@code seed}, non-zero {@code frequency_penalty} /
 * {@code presence_penalty}, non-empty {@code logit_bias}, {@code logprobs: true}, {@code top_logprobs}, {@code n > 1},
 * {@code modalities} other than {@code ["text"]}, {@code audio}, {@code prediction}, {@code web_search_options},
 * {@code verbosity}, the legacy {@code functions} / {@code function_call}, {@code store: true} and a non-empty
 * {@code metadata} (both belong to OpenAI's stored completions, which Anthropic does not have).</li>
 * <li>Accepted as no-ops: {@code stream_options} (Anthropic streams always carry usage), the caching hints
 * {@code prompt_cache_key} / {@code prompt_cache_retention} (Anthropic caching is explicit, by {@code cache_control}),
 * and the default values of the rejected fields above ({@code n: 1}, {@code logprobs: false}, {@code store: false},
 * zero penalties, empty {@code logit_bias} / {@code metadata}, {@code modalities: ["text"]}).</li>
 * <li>Any other top-level field is rejected, naming it.</li>
 * </ul>
 */
final class OpenAiToAnthropicRequest {

    private static final String TARGET = "Anthropic Messages";

    /** The system instruction standing in for {@code response_format: {"type":"json_object"}}. */
    static final String JSON_OBJECT_INSTRUCTION = "Respond with a single valid JSON object only, with no text before"
            + " or after it.";

    private static final Set<String> MAPPED = Set.of("model", "messages", "stream", "max_tokens",
            "max_completion_tokens", "temperature", "top_p", "stop", "user", "safety_identifier", "tools",
            "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort", "service_tier");

    private static final Set<String> NO_OPS = Set.of("stream_options", "prompt_cache_key", "prompt_cache_retention");

    private static final JsonArray TEXT_ONLY = new JsonArray().add("text");

    /** Fields without an Anthropic equivalent, accepted only with the value for which they change nothing. */
    private static final Map<String, Predicate<Object>> ONLY_DEFAULT = Map.ofEntries(
            entry("seed", v -> false),
            entry("frequency_penalty", OpenAiToAnthropicRequest::isZero),
            entry("presence_penalty", OpenAiToAnthropicRequest::isZero),
            entry("logit_bias", OpenAiToAnthropicRequest::isEmptyObject),
            entry("logprobs", Boolean.FALSE::equals),
            entry("top_logprobs", v -> false),
            entry("n", v -> v instanceof Number n && n.doubleValue() == 1),
            entry("modalities", TEXT_ONLY::equals),
            entry("audio", v -> false),
            entry("prediction", v -> false),
            entry("web_search_options", v -> false),
            entry("verbosity", v -> false),
            entry("functions", v -> false),
            entry("function_call", v -> false),
            entry("store", Boolean.FALSE::equals),
            entry("metadata", OpenAiToAnthropicRequest::isEmptyObject));

    private static final Set<String> SYSTEM_FIELDS = Set.of("role", "content");
    private static final Set<String> USER_FIELDS = Set.of("role", "content");
    private static final Set<String> ASSISTANT_FIELDS = Set.of("role", "content", "tool_calls", "refusal");
    private static final Set<String> TOOL_MESSAGE_FIELDS = Set.of("role", "content", "tool_call_id", "name");
    private static final Set<String> TEXT_PART_FIELDS = Set.of("type", "text", "cache_control");
    private static final Set<String> REFUSAL_PART_FIELDS = Set.of("type", "refusal");
    private static final Set<String> IMAGE_PART_FIELDS = Set.of("type", "image_url", "cache_control");
    private static final Set<String> IMAGE_URL_FIELDS = Set.of("url", "detail");
    private static final Set<String> TOOL_CALL_FIELDS = Set.of("id", "type", "function");
    private static final Set<String> CALLED_FUNCTION_FIELDS = Set.of("name", "arguments");
    private static final Set<String> TOOL_FIELDS = Set.of("type", "function");
    private static final Set<String> FUNCTION_FIELDS = Set.of("name", "description", "parameters", "strict");
    private static final Set<String> NAMED_CHOICE_FIELDS = Set.of("type", "function");
    private static final Set<String> JSON_SCHEMA_FIELDS = Set.of("name", "schema", "strict");

    private final JsonObject in;
    private final JsonObject out = new JsonObject();
    /** The Anthropic turns built so far. */
    private final JsonArray turns = new JsonArray();
    /** The hoisted system text blocks, in order. */
    private final JsonArray systemBlocks = new JsonArray();
    private int systemMessages;
    private String onlySystemString;
    private boolean hasTools;

    private OpenAiToAnthropicRequest(JsonObject in) {
        this.in = in;
    }

    /**
     * The Anthropic Messages request for an OpenAI Chat Completions request.
     *
     * @param defaultMaxTokens the {@code max_tokens} to send when the client sets none
     */
    static JsonObject translate(JsonObject openAiChatRequest, int defaultMaxTokens)
            throws UnsupportedParameterException {
        OpenAiToAnthropicRequest translation = new OpenAiToAnthropicRequest(openAiChatRequest);
        translation.checkFields();
        translation.modelAndStream();
        translation.messages();
        translation.tools();
        translation.toolChoice();
        translation.sampling();
        translation.maxTokensAndThinking(defaultMaxTokens);
        translation.responseFormat();
        translation.system();
        translation.user();
        translation.serviceTier();
        return translation.out;
    }

    // ---- top-level fields

    private void checkFields() throws UnsupportedParameterException {
        for (String field : in.fieldNames()) {
            Object value = in.getValue(field);
            if (value == null || MAPPED.contains(field) || NO_OPS.contains(field)) {
                continue;
            }
            Predicate<Object> isDefault = ONLY_DEFAULT.get(field);
            if (isDefault != null && isDefault.test(value)) {
                continue;
            }
            boolean namesValue = isDefault != null && !(value instanceof JsonObject || value instanceof JsonArray);
            throw namesValue ? unsupportedValue(field, value, TARGET)
                    : unsupported(field, "'" + field + "' has no equivalent in the " + TARGET + " API");
        }
    }

    private static boolean isZero(Object value) {
        return value instanceof Number n && n.doubleValue() == 0;
    }

    private static boolean isEmptyObject(Object value) {
        return value instanceof JsonObject o && o.isEmpty();
    }

    private void modelAndStream() throws UnsupportedParameterException {
        putIfPresent(out, "model", string(in, "model", ""));
        putIfPresent(out, "stream", bool(in, "stream", ""));
    }

    // ---- messages

    private void messages() throws UnsupportedParameterException {
        JsonArray messages = requiredArray(in, "messages", "");
        for (int i = 0; i < messages.size(); i++) {
            JsonObject message = objectAt(messages, i, "messages");
            String p = path("messages", i);
            String role = requiredString(message, "role", p);
            switch (role) {
                case "system", "developer" -> addSystem(message, p);
                case "user" -> addTurn("user", userContent(message, p));
                case "assistant" -> addTurn("assistant", assistantContent(message, p));
                case "tool" -> addTurn("user", toolResult(message, p));
                default -> throw unsupportedValue(path(p, "role"), role, TARGET);
            }
        }
        out.put("messages", turns);
    }

    /** Appends a turn, merging it into the previous one when both have the same role. */
    private void addTurn(String role, Object content) {
        JsonObject last = turns.isEmpty() ? null : turns.getJsonObject(turns.size() - 1);
        if (last != null && role.equals(last.getString("role"))) {
            last.put("content", blocks(last.getValue("content")).addAll(blocks(content)));
        } else {
            turns.add(new JsonObject().put("role", role).put("content", content));
        }
    }

    private static JsonArray blocks(Object content) {
        return content instanceof String s ? new JsonArray().add(text(s)) : (JsonArray) content;
    }

    private void addSystem(JsonObject message, String p) throws UnsupportedParameterException {
        onlyKnown(message, p, SYSTEM_FIELDS, TARGET);
        Object content = message.getValue("content");
        String contentPath = path(p, "content");
        if (content instanceof String s) {
            systemBlocks.add(text(s));
            onlySystemString = systemMessages == 0 ? s : null;
        } else if (content instanceof JsonArray parts) {
            systemBlocks.addAll(textBlocks(parts, contentPath));
            onlySystemString = null;
        } else {
            throw content == null ? missing(contentPath) : wrongType(contentPath, "a string or an array of parts");
        }
        systemMessages++;
    }

    private void system() {
        if (systemBlocks.isEmpty()) {
            return;
        }
        boolean oneString = systemMessages == 1 && onlySystemString != null && systemBlocks.size() == 1;
        out.put("system", oneString ? onlySystemString : systemBlocks);
    }

    private static Object userContent(JsonObject message, String p) throws UnsupportedParameterException {
        onlyKnown(message, p, USER_FIELDS, TARGET);
        Object content = message.getValue("content");
        String contentPath = path(p, "content");
        if (content instanceof String s) {
            return s;
        }
        if (!(content instanceof JsonArray parts)) {
            throw content == null ? missing(contentPath) : wrongType(contentPath, "a string or an array of parts");
        }
        return blocks(parts, contentPath, (type, part, partPath) -> switch (type) {
            case "text" -> textBlock(part, partPath);
            case "image_url" -> imageBlock(part, partPath);
            default -> null;
        });
    }

    private static Object assistantContent(JsonObject message, String p) throws UnsupportedParameterException {
        onlyKnown(message, p, ASSISTANT_FIELDS, TARGET);
        Object content = message.getValue("content");
        String contentPath = path(p, "content");
        String refusal = string(message, "refusal", p);
        JsonArray toolCalls = array(message, "tool_calls", p);
        boolean hasCalls = toolCalls != null && !toolCalls.isEmpty();
        if (content instanceof String s && !hasCalls && refusal == null) {
            return s;
        }
        JsonArray blocks = new JsonArray();
        if (content instanceof String s) {
            if (!s.isEmpty()) { // an empty text block is invalid for Anthropic; OpenAI clients send "" with tool calls
                blocks.add(text(s));
            }
        } else if (content instanceof JsonArray parts) {
            blocks.addAll(assistantParts(parts, contentPath));
        } else if (content != null) {
            throw wrongType(contentPath, "a string or an array of parts");
        }
        if (refusal != null && !refusal.isEmpty()) {
            blocks.add(text(refusal));
        }
        if (hasCalls) {
            for (int j = 0; j < toolCalls.size(); j++) {
                blocks.add(toolUse(objectAt(toolCalls, j, path(p, "tool_calls")), path(path(p, "tool_calls"), j)));
            }
        }
        if (blocks.isEmpty()) {
            throw missing(contentPath);
        }
        return blocks;
    }

    private static JsonArray assistantParts(JsonArray parts, String contentPath) throws UnsupportedParameterException {
        return blocks(parts, contentPath, (type, part, partPath) -> switch (type) {
            case "text" -> textBlock(part, partPath);
            case "refusal" -> {
                onlyKnown(part, partPath, REFUSAL_PART_FIELDS, TARGET);
                yield text(requiredString(part, "refusal", partPath));
            }
            default -> null;
        });
    }

    /** Maps one content part to a block; {@code null} for a part type the turn cannot carry. */
    @FunctionalInterface
    private interface PartMapper {
        JsonObject map(String type, JsonObject part, String partPath) throws UnsupportedParameterException;
    }

    /** The blocks for an array of content parts; a part type the mapper does not take is a 400 naming it. */
    private static JsonArray blocks(JsonArray parts, String contentPath, PartMapper mapper)
            throws UnsupportedParameterException {
        JsonArray blocks = new JsonArray();
        for (int j = 0; j < parts.size(); j++) {
            JsonObject part = objectAt(parts, j, contentPath);
            String partPath = path(contentPath, j);
            String type = requiredString(part, "type", partPath);
            JsonObject block = mapper.map(type, part, partPath);
            if (block == null) {
                throw unsupportedValue(path(partPath, "type"), type, TARGET);
            }
            blocks.add(block);
        }
        return blocks;
    }

    private static JsonObject toolUse(JsonObject call, String p) throws UnsupportedParameterException {
        String type = string(call, "type", p);
        if (type != null && !type.equals("function")) {
            throw unsupportedValue(path(p, "type"), type, TARGET);
        }
        onlyKnown(call, p, TOOL_CALL_FIELDS, TARGET);
        JsonObject function = requiredObject(call, "function", p);
        String functionPath = path(p, "function");
        onlyKnown(function, functionPath, CALLED_FUNCTION_FIELDS, TARGET);
        return new JsonObject().put("type", "tool_use")
                .put("id", requiredString(call, "id", p))
                .put("name", requiredString(function, "name", functionPath))
                .put("input", arguments(string(function, "arguments", functionPath), path(functionPath, "arguments")));
    }

    /** Parses tool call arguments: blank means no arguments; anything but a JSON object is rejected. */
    private static JsonObject arguments(String arguments, String param) throws UnsupportedParameterException {
        if (arguments == null || arguments.isBlank()) {
            return new JsonObject();
        }
        if (arguments.strip().startsWith("{")) {
            try {
                return new JsonObject(arguments);
            } catch (DecodeException e) {
                // falls through to the rejection below
            }
        }
        throw unsupported(param, "'" + param + "' must be a JSON object encoded as a string");
    }

    private static JsonArray toolResult(JsonObject message, String p) throws UnsupportedParameterException {
        onlyKnown(message, p, TOOL_MESSAGE_FIELDS, TARGET);
        JsonObject result = new JsonObject().put("type", "tool_result")
                .put("tool_use_id", requiredString(message, "tool_call_id", p));
        Object content = message.getValue("content");
        String contentPath = path(p, "content");
        if (content instanceof String s) {
            result.put("content", s);
        } else if (content instanceof JsonArray parts) {
            result.put("content", textBlocks(parts, contentPath));
        } else if (content != null) {
            throw wrongType(contentPath, "a string or an array of text parts");
        }
        return new JsonArray().add(result);
    }

    /** Parts that may only be text (system and tool messages). */
    private static JsonArray textBlocks(JsonArray parts, String contentPath) throws UnsupportedParameterException {
        JsonArray blocks = new JsonArray();
        for (int j = 0; j < parts.size(); j++) {
            JsonObject part = objectAt(parts, j, contentPath);
            String partPath = path(contentPath, j);
            String type = requiredString(part, "type", partPath);
            if (!type.equals("text")) {
                throw unsupportedValue(path(partPath, "type"), type, TARGET);
            }
            blocks.add(textBlock(part, partPath));
        }
        return blocks;
    }

    private static JsonObject textBlock(JsonObject part, String p) throws UnsupportedParameterException {
        onlyKnown(part, p, TEXT_PART_FIELDS, TARGET);
        return withCacheControl(text(requiredString(part, "text", p)), part, p);
    }

    private static JsonObject imageBlock(JsonObject part, String p) throws UnsupportedParameterException {
        onlyKnown(part, p, IMAGE_PART_FIELDS, TARGET);
        JsonObject image = requiredObject(part, "image_url", p);
        String imagePath = path(p, "image_url");
        onlyKnown(image, imagePath, IMAGE_URL_FIELDS, TARGET);
        string(image, "detail", imagePath); // type check only: a resolution hint without Anthropic field
        String url = requiredString(image, "url", imagePath);
        String urlPath = path(imagePath, "url");
        JsonObject source;
        if (isDataUrl(url)) {
            source = base64Source(url, urlPath);
        } else if (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7)) {
            source = new JsonObject().put("type", "url").put("url", url);
        } else {
            throw unsupported(urlPath, "'" + urlPath + "' must be an http(s) URL or a base64 data URL");
        }
        return withCacheControl(new JsonObject().put("type", "image").put("source", source), part, p);
    }

    private static JsonObject withCacheControl(JsonObject block, JsonObject part, String p)
            throws UnsupportedParameterException {
        JsonObject cacheControl = object(part, "cache_control", p);
        if (cacheControl != null) {
            block.put("cache_control", cacheControl.copy());
        }
        return block;
    }

    // ---- tools

    private void tools() throws UnsupportedParameterException {
        JsonArray tools = array(in, "tools", "");
        if (tools == null) {
            return;
        }
        JsonArray anthropicTools = new JsonArray();
        for (int i = 0; i < tools.size(); i++) {
            anthropicTools.add(tool(objectAt(tools, i, "tools"), path("tools", i)));
        }
        hasTools = !anthropicTools.isEmpty();
        out.put("tools", anthropicTools);
    }

    private static JsonObject tool(JsonObject tool, String p) throws UnsupportedParameterException {
        String type = requiredString(tool, "type", p);
        if (!type.equals("function")) {
            throw unsupportedValue(path(p, "type"), type, TARGET);
        }
        onlyKnown(tool, p, TOOL_FIELDS, TARGET);
        JsonObject function = requiredObject(tool, "function", p);
        String functionPath = path(p, "function");
        onlyKnown(function, functionPath, FUNCTION_FIELDS, TARGET);
        JsonObject anthropicTool = new JsonObject().put("name", requiredString(function, "name", functionPath));
        putIfPresent(anthropicTool, "description", string(function, "description", functionPath));
        JsonObject parameters = object(function, "parameters", functionPath);
        anthropicTool.put("input_schema", parameters != null ? parameters.copy()
                : new JsonObject().put("type", "object").put("properties", new JsonObject()));
        putIfPresent(anthropicTool, "strict", bool(function, "strict", functionPath));
        return anthropicTool;
    }

    private void toolChoice() throws UnsupportedParameterException {
        Object choice = in.getValue("tool_choice");
        JsonObject anthropicChoice;
        if (choice == null) {
            anthropicChoice = null;
        } else if (choice instanceof String mode) {
            anthropicChoice = new JsonObject().put("type", switch (mode) {
                case "auto" -> "auto";
                case "none" -> "none";
                case "required" -> "any";
                default -> throw unsupportedValue("tool_choice", mode, TARGET);
            });
        } else if (choice instanceof JsonObject named) {
            anthropicChoice = namedToolChoice(named);
        } else {
            throw wrongType("tool_choice", "a string or an object");
        }
        if (Boolean.FALSE.equals(bool(in, "parallel_tool_calls", "")) && hasTools) {
            if (anthropicChoice == null) {
                anthropicChoice = new JsonObject().put("type", "auto");
            }
            if (!anthropicChoice.getString("type").equals("none")) { // "none" has no such field: no call anyway
                anthropicChoice.put("disable_parallel_tool_use", true);
            }
        }
        putIfPresent(out, "tool_choice", anthropicChoice);
    }

    private static JsonObject namedToolChoice(JsonObject choice) throws UnsupportedParameterException {
        String type = requiredString(choice, "type", "tool_choice");
        if (!type.equals("function")) {
            throw unsupportedValue("tool_choice.type", type, TARGET);
        }
        onlyKnown(choice, "tool_choice", NAMED_CHOICE_FIELDS, TARGET);
        JsonObject function = requiredObject(choice, "function", "tool_choice");
        onlyKnown(function, "tool_choice.function", Set.of("name"), TARGET);
        return new JsonObject().put("type", "tool").put("name", requiredString(function, "name", "tool_choice.function"));
    }

    // ---- parameters

    private void sampling() throws UnsupportedParameterException {
        Number temperature = number(in, "temperature", "");
        if (temperature != null && temperature.doubleValue() > 1) {
            throw unsupported("temperature", "'temperature' " + temperature + " is above 1, the maximum of the "
                    + TARGET + " API");
        }
        putIfPresent(out, "temperature", temperature);
        putIfPresent(out, "top_p", number(in, "top_p", ""));
        Object stop = in.getValue("stop");
        if (stop instanceof String s) {
            out.put("stop_sequences", new JsonArray().add(s));
        } else if (stop instanceof JsonArray sequences) {
            out.put("stop_sequences", strings(sequences, "stop"));
        } else if (stop != null) {
            throw wrongType("stop", "a string or an array of strings");
        }
    }

    private void maxTokensAndThinking(int defaultMaxTokens) throws UnsupportedParameterException {
        Integer maxCompletionTokens = integer(in, "max_completion_tokens", "");
        Integer legacyMaxTokens = integer(in, "max_tokens", "");
        int maxTokens = maxCompletionTokens != null ? maxCompletionTokens
                : legacyMaxTokens != null ? legacyMaxTokens : defaultMaxTokens;
        String effort = string(in, "reasoning_effort", "");
        int budget = effort == null ? 0 : thinkingBudget(effort, "reasoning_effort");
        if (budget > 0) {
            out.put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", budget));
            maxTokens += budget;
        }
        out.put("max_tokens", maxTokens);
    }

    private void responseFormat() throws UnsupportedParameterException {
        JsonObject format = object(in, "response_format", "");
        if (format == null) {
            return;
        }
        String type = requiredString(format, "type", "response_format");
        switch (type) {
            case "text" -> onlyKnown(format, "response_format", Set.of("type"), TARGET);
            case "json_object" -> {
                onlyKnown(format, "response_format", Set.of("type"), TARGET);
                systemBlocks.add(text(JSON_OBJECT_INSTRUCTION));
            }
            case "json_schema" -> out.put("output_config", new JsonObject().put("format", jsonSchemaFormat(format)));
            default -> throw unsupportedValue("response_format.type", type, TARGET);
        }
    }

    private static JsonObject jsonSchemaFormat(JsonObject format) throws UnsupportedParameterException {
        onlyKnown(format, "response_format", Set.of("type", "json_schema"), TARGET);
        JsonObject jsonSchema = requiredObject(format, "json_schema", "response_format");
        String p = "response_format.json_schema";
        onlyKnown(jsonSchema, p, JSON_SCHEMA_FIELDS, TARGET);
        string(jsonSchema, "name", p); // type checks only: see the class comment
        bool(jsonSchema, "strict", p);
        return new JsonObject().put("type", "json_schema").put("schema", requiredObject(jsonSchema, "schema", p).copy());
    }

    private void user() throws UnsupportedParameterException {
        String user = string(in, "user", "");
        String safetyIdentifier = string(in, "safety_identifier", "");
        if (user != null && safetyIdentifier != null && !user.equals(safetyIdentifier)) {
            throw unsupported("safety_identifier", "'user' and 'safety_identifier' both map to the Anthropic"
                    + " metadata.user_id and differ");
        }
        String userId = user != null ? user : safetyIdentifier;
        if (userId != null) {
            out.put("metadata", new JsonObject().put("user_id", userId));
        }
    }

    private void serviceTier() throws UnsupportedParameterException {
        String tier = string(in, "service_tier", "");
        if (tier != null) {
            out.put("service_tier", switch (tier) {
                case "auto" -> "auto";
                case "default" -> "standard_only";
                default -> throw unsupportedValue("service_tier", tier, TARGET);
            });
        }
    }
}
