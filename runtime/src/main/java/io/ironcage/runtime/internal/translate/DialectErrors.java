package io.ironcage.runtime.internal.translate;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.json.JsonObject;

/** Error payloads of each dialect, whole and in-stream, and the error type each expects for a status. */
public final class DialectErrors {

    /** OpenAI's end-of-stream marker. */
    public static final StreamEvent DONE = new StreamEvent(null, "[DONE]");

    private DialectErrors() {
    }

    /** The error type a client of {@code dialect} expects for {@code status}. */
    public static String typeFor(Dialect dialect, int status) {
        if (dialect == Dialect.ANTHROPIC) {
            return switch (status) {
                case 401 -> "authentication_error";
                case 402 -> "billing_error";
                case 403 -> "permission_error";
                case 404 -> "not_found_error";
                case 413 -> "request_too_large";
                case 429 -> "rate_limit_error";
                case 503, 529 -> "overloaded_error";
                case 504 -> "timeout_error";
                default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
            };
        }
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "server_error";
        };
    }

    /** The error as one stream event: OpenAI {@code data: {"error":…}}, Anthropic {@code event: error}. */
    public static StreamEvent event(Dialect dialect, String type, String message) {
        return new StreamEvent(dialect == Dialect.ANTHROPIC ? "error" : null, body(dialect, type, null, message).encode());
    }

    /** A complete JSON error body of {@code dialect}. {@code code} may be {@code null}. */
    public static JsonObject body(Dialect dialect, String type, String code, String message) {
        return body(dialect, type, code, null, message);
    }

    /**
     * A complete JSON error body: OpenAI {@code {"error":{"message","type","param","code"}}}, Anthropic
     * {@code {"type":"error","error":{"type","message"}}} (which has no code or param). {@code code} and
     * {@code param} may be {@code null}.
     */
    public static JsonObject body(Dialect dialect, String type, String code, String param, String message) {
        if (dialect == Dialect.ANTHROPIC) {
            return new JsonObject().put("type", "error")
                    .put("error", new JsonObject().put("type", type).put("message", message));
        }
        return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
                .put("param", param).put("code", code));
    }
}
