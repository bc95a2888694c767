package io.ironcage.runtime.spi;

/**
 * The wire format a client speaks or a provider understands natively.
 */
public enum Dialect {
    /** OpenAI Chat Completions ({@code POST /v1/chat/completions}). */
    OPENAI("/v1/chat/completions"),
    /** Anthropic Messages ({@code POST /v1/messages}). */
    ANTHROPIC("/v1/messages");

    private final String chatPath;

    Dialect(String chatPath) {
        this.chatPath = chatPath;
    }

    /** The path of this dialect's chat endpoint, e.g. {@code /v1/chat/completions}. */
    public String chatPath() {
        return chatPath;
    }

    /** The dialect whose chat endpoint is {@code path}, or {@code null} for any other path. */
    public static Dialect ofChatPath(String path) {
        for (Dialect d : values()) {
            if (d.chatPath.equals(path)) {
                return d;
            }
        }
        return null;
    }
}
