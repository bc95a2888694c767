package io.ironcage.runtime.spi;

/**
 * One server-sent event of a streamed answer.
 *
 * @param event the {@code event:} field, or {@code null} when absent (OpenAI streams)
 * @param data the {@code data:} payload (several data lines joined by {@code \n})
 */
public record StreamEvent(String event, String data) {
}
