package io.ironcage.runtime;

/**
 * Something the reliability policy did or saw: a retry, a fallback, a breaker that changed state or refused a call.
 * Fired as an asynchronous CDI event ({@code @ObservesAsync ReliabilityEvent}).
 *
 * @param kind what happened
 * @param provider the provider concerned
 * @param model the model concerned, or {@code null} for a provider-wide breaker
 * @param callId the call concerned ({@code x-iron-request-id}), or {@code null} for breaker state changes
 * @param detail a short human-readable reason (never a key or a prompt)
 */
public record ReliabilityEvent(Kind kind, String provider, String model, String callId, String detail) {

    public enum Kind {
        /** A failed attempt is tried again. */
        RETRY,
        /** A call goes on with a fallback model. */
        FALLBACK,
        /** A breaker opened: the provider (or model) failed too often. */
        BREAKER_OPEN,
        /** A breaker lets trial calls through. */
        BREAKER_HALF_OPEN,
        /** A breaker closed again. */
        BREAKER_CLOSED,
        /** An open breaker refused a call. */
        BREAKER_REJECTED
    }
}
