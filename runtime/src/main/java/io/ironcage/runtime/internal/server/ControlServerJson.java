package io.ironcage.runtime.internal.server;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON bodies of the control server, field for field as the reference server reads and writes them. */
public final class ControlServerJson {

    private ControlServerJson() {
    }

    /** {@code POST /api/v1/agents/provider-key}. */
    public record ProviderKeyRequest(@JsonProperty("ic_token") String icToken) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ProviderKeyResponse(@JsonProperty("provider_key") String providerKey,
            @JsonProperty("provider") String provider, @JsonProperty("base_url") String baseUrl) {

        /** Never the key. */
        @Override
        public String toString() {
            return "ProviderKeyResponse[provider=" + provider + ", baseUrl=" + baseUrl + "]";
        }
    }

    /** {@code POST /api/v1/budget/handshake}; amounts in microdollars. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HandshakeRequest(@JsonProperty("ic_token") String icToken, @JsonProperty("provider") String provider,
            @JsonProperty("requested_budget") Long requestedBudget) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HandshakeResponse(@JsonProperty("lease_id") String leaseId,
            @JsonProperty("budget_granted") long budgetGranted, @JsonProperty("budget_remaining") Long budgetRemaining,
            @JsonProperty("expires_at") String expiresAt) {
    }

    /** {@code POST /api/v1/budget/report}: one finished call. */
    public record ReportRequest(@JsonProperty("lease_id") String leaseId, @JsonProperty("request_id") String requestId,
            @JsonProperty("tokens") long tokens, @JsonProperty("cost_microdollars") long costMicrodollars,
            @JsonProperty("model") String model, @JsonProperty("provider") String provider) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReportResponse(@JsonProperty("success") boolean success,
            @JsonProperty("budget_remaining") Long budgetRemaining) {
    }

    /** {@code POST /api/v1/budget/return}. */
    public record ReturnRequest(@JsonProperty("lease_id") String leaseId,
            @JsonProperty("spent_microdollars") long spentMicrodollars) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReturnResponse(@JsonProperty("success") boolean success, @JsonProperty("returned") Long returned) {
    }

    /** {@code POST /api/v1/analytics/events}: {@code accepted}, or {@code duplicate} for an event taken before. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AnalyticsAck(@JsonProperty("event_id") String eventId, @JsonProperty("status") String status) {
    }
}
