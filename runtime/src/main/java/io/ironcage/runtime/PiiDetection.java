package io.ironcage.runtime;

/**
 * A PII value the {@code pii} policy found, fired as an asynchronous CDI event ({@code @ObservesAsync PiiDetection}).
 * It never carries the value.
 *
 * @param kind what was found, e.g. {@code EMAIL}, {@code CARD}, or a custom kind
 * @param direction {@code request} (what the agent sent) or {@code response} (what the model answered)
 * @param action what was done: {@code detected}, {@code redacted} or {@code blocked}
 * @param agent the agent ({@code agent_id} of its IC token, else {@code default})
 * @param callId the call ({@code x-iron-request-id})
 * @param provider the call's provider
 * @param model the call's model
 */
public record PiiDetection(String kind, String direction, String action, String agent, String callId,
        String provider, String model) {
}
