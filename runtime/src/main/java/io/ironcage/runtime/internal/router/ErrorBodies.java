package io.ironcage.runtime.internal.router;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.json.JsonObject;

/**
 * Error payloads in each client dialect: OpenAI {@code {"error":{"message","type","param","code"}}} and Anthropic
 * {@code {"type":"error","error":{"type","message"}}}.
 */
final class ErrorBodies {

    private ErrorBodies() {
    }

    /** The error type a client of {@code dialect} expects for {@code status}. */
    static String typeFor(Dialect dialect, int status) {
        if (dialect == Dialect.ANTHROPIC) {
            return switch (status) {
                case 400, 405 -> "invalid_request_error";
                case 401 -> "authentication_error";
                case 402 -> "billing_error";
                case 403 -> "permission_error";
                case 404 -> "not_found_error";
                case 413 -> "request_too_large";
                case 429 -> "rate_limit_error";
                case 504 -> "timeout_error";
                case 529, 503 -> "overloaded_error";
                default -> "api_error";
            };
        }
        return switch (status) {
            case 400, 404, 405, 413, 501 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 429 -> "rate_limit_error";
            default -> "api_error";
        };
    }

    /** A complete JSON error body. {@code code} may be {@code null}. */
    static JsonObject body(Dialect dialect, String type, String code, String message) {
        if (dialect == Dialect.ANTHROPIC) {
            return new JsonObject().put("type", "error")
                    .put("error", new JsonObject().put("type", type).put("message", message));
        }
        return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
                .putNull("param").put("code", code));
    }

    /** The error as one event of a stream of {@code dialect}. */
    static StreamEvent streamEvent(Dialect dialect, String type, String message) {
        return new StreamEvent(dialect == Dialect.ANTHROPIC ? "error" : null,
                body(dialect, type, null, message).encode());
    }
}
