package io.ironcage.runtime.internal.translate;

/**
 * A request carries something the target dialect cannot honour (e.g. {@code n} > 1 for Anthropic, {@code logprobs}),
 * or is malformed in a way that prevents translation. The client gets a 400 that names {@link #param()}; nothing is
 * silently dropped.
 */
public final class UnsupportedParameterException extends Exception {

    private final String param;

    public UnsupportedParameterException(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    /** The offending request field, e.g. {@code n} or {@code messages[2].content[0].type}. */
    public String param() {
        return param;
    }
}
