package io.ironcage.runtime.analytics;

import java.time.Instant;

/**
 * One analytics event, with the reference's event kinds ({@code llm_request_completed}, {@code llm_request_failed}).
 *
 * @param kind the event kind
 * @param timestamp when the call ended
 * @param requestId the call's id
 * @param provider the provider the call went to
 * @param model the requested model, or {@code null}
 * @param inputTokens input tokens (cached included)
 * @param outputTokens output tokens
 * @param status HTTP status the client received
 * @param errorMessage what went wrong, for failed calls
 */
public record AnalyticsEvent(String kind, Instant timestamp, String requestId, String provider, String model,
        long inputTokens, long outputTokens, int status, String errorMessage) {

    public static final String COMPLETED = "llm_request_completed";
    public static final String FAILED = "llm_request_failed";
}
