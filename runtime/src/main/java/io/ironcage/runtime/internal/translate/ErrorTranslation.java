package io.ironcage.runtime.internal.translate;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A provider's error answer in the client's dialect.
 * <p>
 * The provider body may be OpenAI-shaped ({@code {"error":{"message","type","param","code"}}}, or
 * {@code {"error":"text"}} from some compatible servers), Anthropic-shaped
 * ({@code {"type":"error","error":{"type","message"}}}), any other JSON with a top-level {@code message}, plain text
 * (e.g. a proxy's HTML page) or empty. The message is always kept (whitespace-trimmed, at most
 * {@value #MAX_MESSAGE} characters); an answer without one says {@code Provider returned HTTP <status>}.
 * <p>
 * Error types: an Anthropic client gets the type Anthropic uses for the HTTP status ({@link #anthropicType}). An
 * OpenAI client gets the provider's type as it is (the Anthropic names are self-explanatory and OpenAI SDKs pick their
 * exception by HTTP status, not by type), or a type derived from the status when the provider gave none;
 * {@code param} and {@code code} are kept when the provider gave them, and {@code code} is
 * {@code context_length_exceeded} for Anthropic's "prompt is too long" errors, which OpenAI clients look for.
 */
public final class ErrorTranslation {

    static final int MAX_MESSAGE = 4000;

    private static final Set<String> ANTHROPIC_TYPES = Set.of("invalid_request_error", "authentication_error",
            "billing_error", "permission_error", "not_found_error", "request_too_large", "rate_limit_error", "api_error",
            "overloaded_error", "timeout_error");

    private ErrorTranslation() {
    }

    /**
     * The client-dialect error body for a provider error.
     *
     * @param client the client's dialect
     * @param status the provider's HTTP status
     * @param providerBody the provider's body, maybe {@code null}, empty or not JSON
     */
    public static JsonObject toClient(Dialect client, int status, Buffer providerBody) {
        Parsed p = parse(providerBody);
        String message = p.message == null || p.message.isBlank() ? "Provider returned HTTP " + status : p.message;
        if (client == Dialect.ANTHROPIC) {
            return anthropicError(anthropicType(p.type, p.code, status), message);
        }
        String type = p.type != null && !p.type.isBlank() ? p.type : openAiType(status);
        String code = p.code;
        if (code == null && message.startsWith("prompt is too long")) {
            code = "context_length_exceeded";
        }
        return openAiError(type, message, p.param, code);
    }

    /** {@code {"type":"error","error":{"type","message"}}}. */
    static JsonObject anthropicError(String type, String message) {
        return DialectErrors.body(Dialect.ANTHROPIC, type, null, message);
    }

    /** {@code {"error":{"message","type","param","code"}}}. */
    static JsonObject openAiError(String type, String message, String param, String code) {
        return DialectErrors.body(Dialect.OPENAI, type, code, param, message);
    }

    /**
     * The Anthropic error type. With a status, the status decides, as Anthropic's own errors do (400
     * {@code invalid_request_error}, 401 {@code authentication_error}, 402 {@code billing_error}, 403
     * {@code permission_error}, 404 {@code not_found_error}, 413 {@code request_too_large}, 429
     * {@code rate_limit_error}, 503 and 529 {@code overloaded_error}, 504 {@code timeout_error}, other 4xx
     * {@code invalid_request_error}); OpenAI's own type names do not follow the status (a 401 says
     * {@code invalid_request_error}). OpenAI's {@code insufficient_quota} is {@code billing_error}. For other 5xx the
     * provider's type is kept when it is an Anthropic type, else {@code api_error}. Without a status ({@code 0},
     * errors inside a stream) an Anthropic type is kept and OpenAI types are mapped by name.
     */
    static String anthropicType(String providerType, String code, int status) {
        if ("insufficient_quota".equals(providerType) || "insufficient_quota".equals(code)) {
            return "billing_error";
        }
        if (status >= 400 && status < 500 || status == 503 || status == 504 || status == 529) {
            return DialectErrors.typeFor(Dialect.ANTHROPIC, status);
        }
        if (providerType != null && ANTHROPIC_TYPES.contains(providerType)) {
            return providerType;
        }
        if (status == 0 && providerType != null) {
            if (providerType.contains("rate_limit") || "requests".equals(providerType)
                    || "tokens".equals(providerType)) {
                return "rate_limit_error";
            }
            if (providerType.contains("overloaded") || providerType.contains("unavailable")) {
                return "overloaded_error";
            }
            if (providerType.contains("timeout")) {
                return "timeout_error";
            }
            if (providerType.contains("invalid_request")) {
                return "invalid_request_error";
            }
        }
        return "api_error";
    }

    /** The OpenAI-style type for a status, when the provider gave none. */
    static String openAiType(int status) {
        return DialectErrors.typeFor(Dialect.OPENAI, status);
    }

    private record Parsed(String message, String type, String param, String code) {
    }

    private static Parsed parse(Buffer body) {
        if (body == null || body.length() == 0) {
            return new Parsed(null, null, null, null);
        }
        String text = body.toString(StandardCharsets.UTF_8).strip();
        JsonObject json = null;
        if (text.startsWith("{")) {
            try {
                json = new JsonObject(text);
            } catch (RuntimeException e) {
                json = null;
            }
        }
        if (json == null) {
            return new Parsed(cap(text), null, null, null);
        }
        Object error = json.getValue("error");
        if (error instanceof JsonObject e) {
            // OpenAI {"error":{...}} and Anthropic {"type":"error","error":{...}} share these field names
            String message = string(e.getValue("message"));
            if (message == null) {
                message = string(json.getValue("message"));
            }
            return new Parsed(cap(message), string(e.getValue("type")), string(e.getValue("param")),
                    string(e.getValue("code")));
        }
        if (error instanceof String s) {
            return new Parsed(cap(s), string(json.getValue("type")), null, string(json.getValue("code")));
        }
        String message = string(json.getValue("message"));
        if (message == null) {
            message = string(json.getValue("detail"));
        }
        return new Parsed(cap(message == null ? text : message), null, null, null);
    }

    /** A JSON value as a string: strings as they are, numbers (OpenAI codes may be numbers) as text. */
    private static String string(Object value) {
        if (value instanceof String s) {
            return s;
        }
        return value instanceof Number n ? n.toString() : null;
    }

    private static String cap(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (t.length() <= MAX_MESSAGE) {
            return t;
        }
        int end = MAX_MESSAGE;
        if (Character.isHighSurrogate(t.charAt(end - 1))) {
            end--;
        }
        return t.substring(0, end) + "…";
    }
}
