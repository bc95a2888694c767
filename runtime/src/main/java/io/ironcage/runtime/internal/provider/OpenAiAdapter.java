package io.ironcage.runtime.internal.provider;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.ProviderAdapter;

/** OpenAI: {@code gpt-*}, {@code o1*}, {@code o3*}, {@code o4*}, {@code chatgpt-*}, {@code text-embedding-*}. */
public final class OpenAiAdapter implements ProviderAdapter {

    public static final String ID = "openai";
    private static final String[] PREFIXES = { "gpt-", "o1", "o3", "o4", "chatgpt-", "text-embedding-" };

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    @Override
    public String defaultBaseUrl() {
        return "https://api.openai.com";
    }

    @Override
    public boolean claimsModel(String model) {
        for (String prefix : PREFIXES) {
            if (model.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean claimsKey(String apiKey) {
        return apiKey.startsWith("sk-") && !apiKey.startsWith(AnthropicAdapter.KEY_PREFIX);
    }
}
