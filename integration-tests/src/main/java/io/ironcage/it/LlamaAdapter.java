package io.ironcage.it;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.ProviderAdapter;
import io.vertx.core.MultiMap;

/**
 * A provider plugin as a user writes one: local Llama models served by an OpenAI-compatible server (Ollama's default
 * address), with an extra header that server wants.
 */
public class LlamaAdapter implements ProviderAdapter {

    @Override
    public String id() {
        return "llama";
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    @Override
    public String defaultBaseUrl() {
        return "http://127.0.0.1:11434";
    }

    @Override
    public boolean claimsModel(String model) {
        return model.startsWith("llama-");
    }

    @Override
    public void authenticate(MultiMap upstreamHeaders, String apiKey) {
        ProviderAdapter.super.authenticate(upstreamHeaders, apiKey);
        upstreamHeaders.set("x-served-by-plugin", "llama");
    }
}
