package io.ironcage.runtime.internal.translate;

import java.util.function.Consumer;

import io.ironcage.runtime.spi.StreamEvent;

/**
 * Translates one provider stream into the client's dialect, event by event, with explicit state per content block
 * and per tool index. One instance per call; not thread-safe (a call runs on one event loop).
 */
public interface StreamTranslator {

    /** Translates one provider event; emits zero or more client events to {@code out}, in order. */
    void onEvent(StreamEvent providerEvent, Consumer<StreamEvent> out);

    /**
     * The provider stream ended normally. Emits whatever the client's protocol still needs to end properly (e.g. the
     * OpenAI usage chunk when asked and {@code [DONE]}, or Anthropic {@code message_stop}), exactly once, even if the
     * provider omitted its own end markers.
     */
    void onEnd(Consumer<StreamEvent> out);

    /**
     * The stream must end early with an error ({@code type}, {@code message}): emits the client dialect's error event
     * followed by its proper end (OpenAI: {@code [DONE]}; Anthropic: nothing after the {@code error} event, as the
     * Anthropic API does).
     */
    void onError(String type, String message, Consumer<StreamEvent> out);
}
