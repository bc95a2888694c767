package io.ironcage.runtime.internal.provider;

import java.util.List;

import io.ironcage.runtime.spi.Dialect;
import io.ironcage.runtime.spi.ProviderAdapter;

/**
 * A provider defined by configuration alone ({@code quarkus.iron.providers.<id>.base-url|api-key|models}) that
 * speaks the OpenAI dialect: Groq, Mistral, DeepSeek, Ollama, vLLM and the like.
 */
public final class OpenAiCompatibleAdapter implements ProviderAdapter {

    private final String id;
    private final String baseUrl;
    private final List<String> modelPrefixes;

    public OpenAiCompatibleAdapter(String id, String baseUrl, List<String> modelPrefixes) {
        this.id = id;
        this.baseUrl = baseUrl;
        this.modelPrefixes = List.copyOf(modelPrefixes);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    @Override
    public String defaultBaseUrl() {
        return baseUrl;
    }

    @Override
    public boolean claimsModel(String model) {
        for (String prefix : modelPrefixes) {
            if (model.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
