package io.ironcage.runtime.internal.provider;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.ProviderAdapter;

/** Anthropic: {@code claude-*} models, {@code sk-ant-…} keys. */
public final class AnthropicAdapter implements ProviderAdapter {

    public static final String ID = "anthropic";
    static final String KEY_PREFIX = "sk-ant-";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Dialect dialect() {
        return Dialect.ANTHROPIC;
    }

    @Override
    public String defaultBaseUrl() {
        return "https://api.anthropic.com";
    }

    @Override
    public boolean claimsModel(String model) {
        return model.startsWith("claude-");
    }

    @Override
    public boolean claimsKey(String apiKey) {
        return apiKey.startsWith(KEY_PREFIX);
    }
}
