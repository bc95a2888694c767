package io.ironcage.runtime.spi;

import io.vertx.core.buffer.Buffer;

/**
 * The outcome of {@link Policy#onRequest(RouterRequest)}: go on (optionally with a rewritten body) or refuse.
 */
public sealed interface PolicyDecision {

    /** Forward the call as it is. */
    static PolicyDecision proceed() {
        return Proceed.INSTANCE;
    }

    /** Forward the call with {@code body} instead of the client's body. */
    static PolicyDecision rewrite(Buffer body) {
        return new Rewrite(body);
    }

    /**
     * Refuse the call. The client gets {@code status} and an error of its dialect whose type (and, for OpenAI, code)
     * is {@code type}, with {@code message}; nothing reaches the provider.
     */
    static PolicyDecision reject(int status, String type, String message) {
        return new Reject(status, type, message);
    }

    /** See {@link #proceed()}. */
    final class Proceed implements PolicyDecision {
        static final Proceed INSTANCE = new Proceed();

        private Proceed() {
        }
    }

    /** See {@link #rewrite(Buffer)}. */
    record Rewrite(Buffer body) implements PolicyDecision {
    }

    /** See {@link #reject(int, String, String)}. */
    record Reject(int status, String type, String message) implements PolicyDecision {
    }
}
