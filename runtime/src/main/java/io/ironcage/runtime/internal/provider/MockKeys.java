package io.ironcage.runtime.internal.provider;

/** The keys the router uses for, and the built-in mock provider expects from, each built-in provider. */
public final class MockKeys {

    public static final String OPENAI = "sk-iron-mock-openai";
    public static final String ANTHROPIC = "sk-ant-iron-mock";

    private MockKeys() {
    }

    public static String forProvider(String id) {
        return AnthropicAdapter.ID.equals(id) ? ANTHROPIC : OPENAI;
    }
}
