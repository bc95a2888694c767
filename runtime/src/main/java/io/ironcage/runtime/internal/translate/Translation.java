package io.ironcage.runtime.internal.translate;

import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Translation of one call between a client dialect and a provider dialect: the request, the JSON answer, errors and
 * the stream. Obtained with {@link #between}; same-dialect calls are never translated (pass-through).
 */
public final class Translation {

    private final Dialect client;
    private final Dialect provider;
    private final int defaultMaxTokens;

    private Translation(Dialect client, Dialect provider, int defaultMaxTokens) {
        this.client = client;
        this.provider = provider;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    /**
     * The translation from {@code client} to {@code provider}, or {@code null} when they are the same.
     *
     * @param defaultMaxTokens {@code max_tokens} sent to Anthropic when an OpenAI client sets none
     */
    public static Translation between(Dialect client, Dialect provider, int defaultMaxTokens) {
        return client == provider ? null : new Translation(client, provider, defaultMaxTokens);
    }

    public Dialect client() {
        return client;
    }

    public Dialect provider() {
        return provider;
    }

    /** The provider path the translated request goes to. */
    public String providerPath() {
        return provider.chatPath();
    }

    /** The client's request in the provider's dialect. For streams to OpenAI, usage is always asked for. */
    public JsonObject request(JsonObject clientRequest) throws UnsupportedParameterException {
        return client == Dialect.OPENAI ? OpenAiToAnthropicRequest.translate(clientRequest, defaultMaxTokens)
                : AnthropicToOpenAiRequest.translate(clientRequest);
    }

    /** A provider's successful JSON answer in the client's dialect. */
    public JsonObject answer(JsonObject providerAnswer) {
        return client == Dialect.OPENAI ? AnthropicToOpenAiAnswer.translate(providerAnswer)
                : OpenAiToAnthropicAnswer.translate(providerAnswer);
    }

    /** A provider's error answer (any body, maybe not JSON) in the client's dialect, keeping its message. */
    public JsonObject error(int status, Buffer providerBody) {
        return ErrorTranslation.toClient(client, status, providerBody);
    }

    /**
     * A fresh stream translator for one call.
     *
     * @param clientRequest the client's original request (model, {@code stream_options.include_usage} …)
     */
    public StreamTranslator stream(JsonObject clientRequest) {
        return client == Dialect.OPENAI ? new AnthropicToOpenAiStream(clientRequest)
                : new OpenAiToAnthropicStream(clientRequest);
    }
}
