package io.ironcage.runtime.internal.translate;

import static io.ironcage.runtime.internal.translate.RequestSupport.array;
import static io.ironcage.runtime.internal.translate.RequestSupport.bool;
import static io.ironcage.runtime.internal.translate.RequestSupport.dataUrl;
import static io.ironcage.runtime.internal.translate.RequestSupport.integer;
import static io.ironcage.runtime.internal.translate.RequestSupport.missing;
import static io.ironcage.runtime.internal.translate.RequestSupport.number;
import static io.ironcage.runtime.internal.translate.RequestSupport.object;
import static io.ironcage.runtime.internal.translate.RequestSupport.objectAt;
import static io.ironcage.runtime.internal.translate.RequestSupport.onlyKnown;
import static io.ironcage.runtime.internal.translate.RequestSupport.path;
import static io.ironcage.runtime.internal.translate.RequestSupport.putIfPresent;
import static io.ironcage.runtime.internal.translate.RequestSupport.reasoningEffort;
import static io.ironcage.runtime.internal.translate.RequestSupport.requiredArray;
import static io.ironcage.runtime.internal.translate.RequestSupport.requiredObject;
import static io.ironcage.runtime.internal.translate.RequestSupport.requiredString;
import static io.ironcage.runtime.internal.translate.RequestSupport.string;
import static io.ironcage.runtime.internal.translate.RequestSupport.strings;
import static io.ironcage.runtime.internal.translate.RequestSupport.text;
import static io.ironcage.runtime.internal.translate.RequestSupport.unsupported;
import static io.ironcage.runtime.internal.translate.RequestSupport.unsupportedValue;
import static io.ironcage.runtime.internal.translate.RequestSupport.wrongType;

import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic Messages request as an OpenAI Chat Completions request. The input is never modified (everything taken
 * over is copied); a JSON {@code null} counts as absent; whatever cannot be honoured is rejected with an
 * {@link UnsupportedParameterException} naming its path, never silently dropped, with the exceptions listed here.
 *
 * <h2>Messages</h2>
 * <ul>
 * <li>{@code system} becomes leading {@code system} messages: a string one message, an array one message per text
 * block (every OpenAI-compatible server accepts string system content).</li>
 * <li>Content keeps its shape: a string stays a string, user blocks become parts ({@code text}; {@code image} with a
 * {@code url} source an {@code image_url} with that URL, with a {@code base64} source a {@code data:} URL). Documents,
 * file sources and every other block type have no safe Chat Completions mapping and are rejected.</li>
 * <li>An assistant turn becomes one assistant message: its text blocks joined (Anthropic splits text around
 * citations, so they are one text) as string {@code content}, its {@code tool_use} blocks {@code tool_calls} (ids
 * kept, {@code input} encoded as the {@code arguments} string). {@code thinking} and {@code redacted_thinking} blocks
 * are dropped: Chat Completions has no field to send reasoning back (OpenAI keeps reasoning server-side), and they
 * only matter to the Anthropic model that signed them.</li>
 * <li>{@code tool_result} blocks become {@code tool} messages placed before the rest of their user turn (OpenAI
 * wants tool messages right after the assistant's calls); the remaining blocks follow as one user message. Result
 * content becomes a string (text blocks joined with a newline; an image in a result is rejected). OpenAI has no
 * error flag, so {@code is_error: true} is kept in the content as an {@code "Error: "} prefix.</li>
 * <li>{@code cache_control} hints (top level, blocks, tools) have no Chat Completions field and are dropped; OpenAI
 * caches prompt prefixes automatically.</li>
 * </ul>
 *
 * <h2>Parameters</h2>
 * <ul>
 * <li>{@code max_tokens} becomes {@code max_completion_tokens}; {@code temperature} and {@code top_p} pass;
 * {@code stop_sequences} becomes {@code stop}; {@code metadata.user_id} becomes {@code user}; {@code stream} is kept,
 * and a stream always asks for {@code stream_options: {"include_usage": true}} (the router needs the usage);
 * {@code service_tier} {@code auto}/{@code standard_only} become {@code auto}/{@code default}.</li>
 * <li>Custom tools become function tools ({@code input_schema} → {@code parameters}, {@code strict} kept); a tool
 * without {@code input_schema} and server tools (any other {@code type}, e.g. web search) are rejected.
 * {@code tool_choice} {@code auto}/{@code any}/{@code tool}/{@code none} become {@code "auto"}/{@code "required"}/a
 * named function/{@code "none"}; {@code disable_parallel_tool_use: true} becomes {@code parallel_tool_calls: false}.
 * </li>
 * <li>Reasoning: {@code output_config.effort} (low, medium, high, xhigh, max: the same names exist in OpenAI) becomes
 * {@code reasoning_effort}. Without it, {@code thinking} decides: {@code enabled} maps its {@code budget_tokens} back
 * through the table of {@link RequestSupport} (below 4096 low, below 16384 medium, else high), {@code adaptive} is
 * {@code high} (Anthropic's default effort), {@code disabled} is nothing. {@code thinking.display} is accepted: Chat
 * Completions never returns reasoning text anyway.</li>
 * <li>Structured outputs: {@code output_config.format} (or the deprecated beta {@code output_format}) of type
 * {@code json_schema} becomes {@code response_format: {"type":"json_schema","json_schema":{"name":"response",
 * "schema":...,"strict":true}}}: OpenAI needs a name, and Anthropic always enforces the schema, hence strict.</li>
 * <li>{@code top_k} has no OpenAI equivalent and, like every other unknown field, is rejected naming it.</li>
 * </ul>
 */
final class AnthropicToOpenAiRequest {

    private static final String TARGET = "OpenAI Chat Completions";

    /** The {@code json_schema.name} OpenAI requires; Anthropic output formats have none. */
    static final String RESPONSE_FORMAT_NAME = "response";

    private static final Set<String> MAPPED = Set.of("model", "messages", "system", "max_tokens", "metadata",
            "stop_sequences", "stream", "temperature", "top_p", "tools", "tool_choice", "thinking", "service_tier",
            "output_config", "output_format");

    /** Top-level automatic prompt caching: a hint. */
    private static final Set<String> NO_OPS = Set.of("cache_control");

    private static final Set<String> EFFORTS = Set.of("low", "medium", "high", "xhigh", "max");

    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content");
    private static final Set<String> TEXT_FIELDS = Set.of("type", "text", "cache_control", "citations");
    private static final Set<String> IMAGE_FIELDS = Set.of("type", "source", "cache_control");
    private static final Set<String> TOOL_USE_FIELDS = Set.of("type", "id", "name", "input", "cache_control");
    private static final Set<String> TOOL_RESULT_FIELDS = Set.of("type", "tool_use_id", "content", "is_error",
            "cache_control");
    private static final Set<String> TOOL_FIELDS = Set.of("type", "name", "description", "input_schema", "strict",
            "cache_control");
    private static final Set<String> TOOL_CHOICE_FIELDS = Set.of("type", "name", "disable_parallel_tool_use");
    private static final Set<String> THINKING_FIELDS = Set.of("type", "budget_tokens", "display");
    private static final Set<String> OUTPUT_CONFIG_FIELDS = Set.of("effort", "format");
    private static final Set<String> FORMAT_FIELDS = Set.of("type", "schema");

    private final JsonObject in;
    private final JsonObject out = new JsonObject();
    private final JsonArray messages = new JsonArray();

    private AnthropicToOpenAiRequest(JsonObject in) {
        this.in = in;
    }

    /** The OpenAI Chat Completions request for an Anthropic Messages request. */
    static JsonObject translate(JsonObject anthropicRequest) throws UnsupportedParameterException {
        AnthropicToOpenAiRequest translation = new AnthropicToOpenAiRequest(anthropicRequest);
        translation.checkFields();
        translation.modelAndStream();
        translation.system();
        translation.messages();
        translation.limitsAndSampling();
        translation.user();
        translation.tools();
        translation.toolChoice();
        translation.reasoning();
        translation.responseFormat();
        translation.serviceTier();
        return translation.out;
    }

    // ---- top-level fields

    private void checkFields() throws UnsupportedParameterException {
        for (String field : in.fieldNames()) {
            if (in.getValue(field) != null && !MAPPED.contains(field) && !NO_OPS.contains(field)) {
                throw unsupported(field, "'" + field + "' has no equivalent in the " + TARGET + " API");
            }
        }
    }

    private void modelAndStream() throws UnsupportedParameterException {
        putIfPresent(out, "model", string(in, "model", ""));
        Boolean stream = bool(in, "stream", "");
        putIfPresent(out, "stream", stream);
        if (Boolean.TRUE.equals(stream)) {
            out.put("stream_options", new JsonObject().put("include_usage", true));
        }
    }

    // ---- messages

    private void system() throws UnsupportedParameterException {
        Object system = in.getValue("system");
        if (system instanceof String s) {
            messages.add(message("system", s));
        } else if (system instanceof JsonArray blocks) {
            for (int j = 0; j < blocks.size(); j++) {
                messages.add(message("system", textOf(objectAt(blocks, j, "system"), path("system", j))));
            }
        } else if (system != null) {
            throw wrongType("system", "a string or an array of text blocks");
        }
    }

    private void messages() throws UnsupportedParameterException {
        JsonArray turns = requiredArray(in, "messages", "");
        for (int i = 0; i < turns.size(); i++) {
            JsonObject turn = objectAt(turns, i, "messages");
            String p = path("messages", i);
            onlyKnown(turn, p, MESSAGE_FIELDS, TARGET);
            String role = requiredString(turn, "role", p);
            Object content = turn.getValue("content");
            String contentPath = path(p, "content");
            if (content == null) {
                throw missing(contentPath);
            }
            if (!(content instanceof String || content instanceof JsonArray)) {
                throw wrongType(contentPath, "a string or an array of content blocks");
            }
            switch (role) {
                case "user" -> addUser(content, contentPath);
                case "assistant" -> messages.add(assistant(content, contentPath));
                default -> throw unsupportedValue(path(p, "role"), role, TARGET);
            }
        }
        out.put("messages", messages);
    }

    /** Tool results first, as {@code tool} messages, then the other blocks as one user message. */
    private void addUser(Object content, String contentPath) throws UnsupportedParameterException {
        if (content instanceof String s) {
            messages.add(message("user", s));
            return;
        }
        JsonArray blocks = (JsonArray) content;
        JsonArray parts = new JsonArray();
        boolean hadToolResults = false;
        for (int j = 0; j < blocks.size(); j++) {
            JsonObject block = objectAt(blocks, j, contentPath);
            String p = path(contentPath, j);
            String type = requiredString(block, "type", p);
            switch (type) {
                case "text" -> parts.add(text(textOf(block, p)));
                case "image" -> parts.add(imagePart(block, p));
                case "tool_result" -> {
                    messages.add(toolMessage(block, p));
                    hadToolResults = true;
                }
                default -> throw unsupportedValue(path(p, "type"), type, TARGET);
            }
        }
        if (!parts.isEmpty() || !hadToolResults) {
            messages.add(message("user", parts));
        }
    }

    private static JsonObject assistant(Object content, String contentPath) throws UnsupportedParameterException {
        if (content instanceof String s) {
            return message("assistant", s);
        }
        JsonArray blocks = (JsonArray) content;
        StringBuilder text = new StringBuilder();
        JsonArray toolCalls = new JsonArray();
        for (int j = 0; j < blocks.size(); j++) {
            JsonObject block = objectAt(blocks, j, contentPath);
            String p = path(contentPath, j);
            String type = requiredString(block, "type", p);
            switch (type) {
                case "text" -> text.append(textOf(block, p));
                case "tool_use" -> toolCalls.add(toolCall(block, p));
                case "thinking", "redacted_thinking" -> {
                    // dropped on purpose: see the class comment
                }
                default -> throw unsupportedValue(path(p, "type"), type, TARGET);
            }
        }
        JsonObject message = new JsonObject().put("role", "assistant");
        if (text.length() > 0 || toolCalls.isEmpty()) {
            message.put("content", text.toString());
        }
        if (!toolCalls.isEmpty()) {
            message.put("tool_calls", toolCalls);
        }
        return message;
    }

    private static JsonObject toolCall(JsonObject block, String p) throws UnsupportedParameterException {
        onlyKnown(block, p, TOOL_USE_FIELDS, TARGET);
        JsonObject input = object(block, "input", p);
        JsonObject function = new JsonObject().put("name", requiredString(block, "name", p))
                .put("arguments", input == null ? "{}" : input.encode());
        return new JsonObject().put("id", requiredString(block, "id", p)).put("type", "function")
                .put("function", function);
    }

    private static JsonObject toolMessage(JsonObject block, String p) throws UnsupportedParameterException {
        onlyKnown(block, p, TOOL_RESULT_FIELDS, TARGET);
        String id = requiredString(block, "tool_use_id", p);
        Object content = block.getValue("content");
        String contentPath = path(p, "content");
        String text;
        if (content == null) {
            text = "";
        } else if (content instanceof String s) {
            text = s;
        } else if (content instanceof JsonArray blocks) {
            text = joinedText(blocks, contentPath);
        } else {
            throw wrongType(contentPath, "a string or an array of content blocks");
        }
        if (Boolean.TRUE.equals(bool(block, "is_error", p))) {
            text = text.isEmpty() ? "Error" : "Error: " + text;
        }
        return new JsonObject().put("role", "tool").put("tool_call_id", id).put("content", text);
    }

    /** The text blocks of a tool result, joined by newlines; any other block is rejected. */
    private static String joinedText(JsonArray blocks, String contentPath) throws UnsupportedParameterException {
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < blocks.size(); k++) {
            JsonObject block = objectAt(blocks, k, contentPath);
            String p = path(contentPath, k);
            String type = requiredString(block, "type", p);
            if (!type.equals("text")) {
                throw unsupported(path(p, "type"), "'" + path(p, "type") + "' value '" + type + "' is not supported"
                        + " in a tool result by the " + TARGET + " API (tool messages carry text only)");
            }
            if (k > 0) {
                text.append('\n');
            }
            text.append(textOf(block, p));
        }
        return text.toString();
    }

    /** The text of a block that must be a text block. */
    private static String textOf(JsonObject block, String p) throws UnsupportedParameterException {
        String type = requiredString(block, "type", p);
        if (!type.equals("text")) {
            throw unsupportedValue(path(p, "type"), type, TARGET);
        }
        onlyKnown(block, p, TEXT_FIELDS, TARGET);
        return requiredString(block, "text", p);
    }

    private static JsonObject imagePart(JsonObject block, String p) throws UnsupportedParameterException {
        onlyKnown(block, p, IMAGE_FIELDS, TARGET);
        JsonObject source = requiredObject(block, "source", p);
        String sourcePath = path(p, "source");
        String type = requiredString(source, "type", sourcePath);
        String url = switch (type) {
            case "base64" -> {
                onlyKnown(source, sourcePath, Set.of("type", "media_type", "data"), TARGET);
                yield dataUrl(requiredString(source, "media_type", sourcePath),
                        requiredString(source, "data", sourcePath));
            }
            case "url" -> {
                onlyKnown(source, sourcePath, Set.of("type", "url"), TARGET);
                yield requiredString(source, "url", sourcePath);
            }
            default -> throw unsupportedValue(path(sourcePath, "type"), type, TARGET);
        };
        return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
    }

    private static JsonObject message(String role, Object content) {
        return new JsonObject().put("role", role).put("content", content);
    }

    // ---- parameters

    private void limitsAndSampling() throws UnsupportedParameterException {
        putIfPresent(out, "max_completion_tokens", integer(in, "max_tokens", ""));
        putIfPresent(out, "temperature", number(in, "temperature", ""));
        putIfPresent(out, "top_p", number(in, "top_p", ""));
        JsonArray stopSequences = array(in, "stop_sequences", "");
        if (stopSequences != null) {
            out.put("stop", strings(stopSequences, "stop_sequences"));
        }
    }

    private void user() throws UnsupportedParameterException {
        JsonObject metadata = object(in, "metadata", "");
        if (metadata != null) {
            onlyKnown(metadata, "metadata", Set.of("user_id"), TARGET);
            putIfPresent(out, "user", string(metadata, "user_id", "metadata"));
        }
    }

    private void tools() throws UnsupportedParameterException {
        JsonArray tools = array(in, "tools", "");
        if (tools == null) {
            return;
        }
        JsonArray functions = new JsonArray();
        for (int i = 0; i < tools.size(); i++) {
            functions.add(function(objectAt(tools, i, "tools"), path("tools", i)));
        }
        out.put("tools", functions);
    }

    private static JsonObject function(JsonObject tool, String p) throws UnsupportedParameterException {
        String type = string(tool, "type", p);
        if (type != null && !type.equals("custom")) {
            throw unsupported(path(p, "type"), "'" + path(p, "type") + "' value '" + type + "' is a server tool,"
                    + " which the " + TARGET + " API does not have");
        }
        onlyKnown(tool, p, TOOL_FIELDS, TARGET);
        JsonObject function = new JsonObject().put("name", requiredString(tool, "name", p));
        putIfPresent(function, "description", string(tool, "description", p));
        function.put("parameters", requiredObject(tool, "input_schema", p).copy());
        putIfPresent(function, "strict", bool(tool, "strict", p));
        return new JsonObject().put("type", "function").put("function", function);
    }

    private void toolChoice() throws UnsupportedParameterException {
        JsonObject choice = object(in, "tool_choice", "");
        if (choice == null) {
            return;
        }
        onlyKnown(choice, "tool_choice", TOOL_CHOICE_FIELDS, TARGET);
        String type = requiredString(choice, "type", "tool_choice");
        out.put("tool_choice", switch (type) {
            case "auto" -> "auto";
            case "any" -> "required";
            case "none" -> "none";
            case "tool" -> new JsonObject().put("type", "function")
                    .put("function", new JsonObject().put("name", requiredString(choice, "name", "tool_choice")));
            default -> throw unsupportedValue("tool_choice.type", type, TARGET);
        });
        if (Boolean.TRUE.equals(bool(choice, "disable_parallel_tool_use", "tool_choice"))) {
            out.put("parallel_tool_calls", false);
        }
    }

    private void reasoning() throws UnsupportedParameterException {
        JsonObject config = object(in, "output_config", "");
        if (config != null) {
            onlyKnown(config, "output_config", OUTPUT_CONFIG_FIELDS, TARGET);
        }
        String effort = config == null ? null : string(config, "effort", "output_config");
        if (effort != null && !EFFORTS.contains(effort)) {
            throw unsupportedValue("output_config.effort", effort, TARGET);
        }
        String thinkingEffort = thinkingEffort(); // validated even when the effort decides
        putIfPresent(out, "reasoning_effort", effort != null ? effort : thinkingEffort);
    }

    /** The reasoning effort {@code thinking} asks for, or null. */
    private String thinkingEffort() throws UnsupportedParameterException {
        JsonObject thinking = object(in, "thinking", "");
        if (thinking == null) {
            return null;
        }
        onlyKnown(thinking, "thinking", THINKING_FIELDS, TARGET);
        string(thinking, "display", "thinking");
        String type = requiredString(thinking, "type", "thinking");
        return switch (type) {
            case "enabled" -> {
                Integer budget = integer(thinking, "budget_tokens", "thinking");
                if (budget == null) {
                    throw missing("thinking.budget_tokens");
                }
                yield reasoningEffort(budget);
            }
            case "adaptive" -> "high";
            case "disabled" -> null;
            default -> throw unsupportedValue("thinking.type", type, TARGET);
        };
    }

    private void responseFormat() throws UnsupportedParameterException {
        JsonObject config = object(in, "output_config", "");
        JsonObject format = config == null ? null : object(config, "format", "output_config");
        String formatPath = "output_config.format";
        JsonObject betaFormat = object(in, "output_format", "");
        if (betaFormat != null) {
            if (format != null) {
                throw unsupported("output_format", "'output_format' is the deprecated form of"
                        + " 'output_config.format': send only one");
            }
            format = betaFormat;
            formatPath = "output_format";
        }
        if (format == null) {
            return;
        }
        String type = requiredString(format, "type", formatPath);
        if (!type.equals("json_schema")) {
            throw unsupportedValue(path(formatPath, "type"), type, TARGET);
        }
        onlyKnown(format, formatPath, FORMAT_FIELDS, TARGET);
        JsonObject jsonSchema = new JsonObject().put("name", RESPONSE_FORMAT_NAME)
                .put("schema", requiredObject(format, "schema", formatPath).copy())
                .put("strict", true);
        out.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", jsonSchema));
    }

    private void serviceTier() throws UnsupportedParameterException {
        String tier = string(in, "service_tier", "");
        if (tier != null) {
            out.put("service_tier", switch (tier) {
                case "auto" -> "auto";
                case "standard_only" -> "default";
                default -> throw unsupportedValue("service_tier", tier, TARGET);
            });
        }
    }
}
