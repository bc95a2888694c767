package io.ironcage.runtime.analytics;

import java.time.Instant;

import io.vertx.core.json.JsonObject;

/**
 * One analytics event, with the reference's event kinds and fields. {@link #toJson()} is what the control server
 * receives ({@code POST /api/v1/analytics/events}, with the router's IC token added).
 */
public sealed interface AnalyticsEvent {

    String COMPLETED = "llm_request_completed";
    String FAILED = "llm_request_failed";
    String STARTED = "router_started";
    String STOPPED = "router_stopped";

    /** A random UUID: the control server takes an event once per id. */
    String id();

    Instant timestamp();

    /** The {@code event_type}. */
    String kind();

    /** The event as the control server takes it (without {@code ic_token}); fields without a value are left out. */
    default JsonObject toJson() {
        JsonObject json = new JsonObject().put("event_id", id()).put("timestamp_ms", timestamp().toEpochMilli())
                .put("event_type", kind());
        fields(json);
        return json;
    }

    /** Adds the kind's own fields. */
    void fields(JsonObject json);

    /**
     * A call answered with a 2xx status, whole.
     *
     * @param agent the agent whose token the call carried
     * @param requestId the call's id ({@code x-iron-request-id})
     * @param provider the provider it went to (its configured id)
     * @param costMicros what it cost, in microdollars (0 when its model has no price)
     */
    record RequestCompleted(String id, Instant timestamp, String agent, String requestId, String provider,
            String model, long inputTokens, long outputTokens, long costMicros) implements AnalyticsEvent {

        @Override
        public String kind() {
            return COMPLETED;
        }

        @Override
        public void fields(JsonObject json) {
            providerFields(json, provider, model);
            json.put("input_tokens", inputTokens).put("output_tokens", outputTokens)
                    .put("cost_micros", costMicros);
        }
    }

    /**
     * A call that did not end with a whole 2xx answer.
     *
     * @param status the HTTP status the client got (the provider's, or the router's own)
     * @param errorMessage what went wrong
     */
    record RequestFailed(String id, Instant timestamp, String agent, String requestId, String provider, String model,
            int status, String errorMessage) implements AnalyticsEvent {

        @Override
        public String kind() {
            return FAILED;
        }

        @Override
        public void fields(JsonObject json) {
            providerFields(json, provider, model);
            json.put("error_code", String.valueOf(status));
            if (errorMessage != null) {
                json.put("error_message", errorMessage);
            }
        }
    }

    /** The router started listening on {@code port}. */
    record RouterStarted(String id, Instant timestamp, int port) implements AnalyticsEvent {

        @Override
        public String kind() {
            return STARTED;
        }

        @Override
        public void fields(JsonObject json) {
            json.put("port", port);
        }
    }

    /** The router stopped, after {@code totalRequests} calls that cost {@code totalCostMicros} since it started. */
    record RouterStopped(String id, Instant timestamp, long totalRequests, long totalCostMicros)
            implements AnalyticsEvent {

        @Override
        public String kind() {
            return STOPPED;
        }

        @Override
        public void fields(JsonObject json) {
            json.put("total_requests", totalRequests).put("total_cost_micros", totalCostMicros);
        }
    }

    /**
     * {@code provider} is the family the control server knows ({@code openai}, {@code anthropic}, else
     * {@code unknown}); a provider of another id (an OpenAI-compatible one, a plugin) is named in {@code provider_id}.
     */
    private static void providerFields(JsonObject json, String provider, String model) {
        if (model != null) {
            json.put("model", model);
        }
        if ("openai".equals(provider) || "anthropic".equals(provider)) {
            json.put("provider", provider);
        } else {
            json.put("provider", "unknown");
            if (provider != null) {
                json.put("provider_id", provider);
            }
        }
    }
}
