package io.ironcage.runtime.internal.router;

import java.util.List;

import io.ironcage.runtime.internal.metrics.RouterMetrics;
import io.ironcage.runtime.internal.provider.ProviderRegistry;
import io.ironcage.runtime.internal.reliability.Reliability;
import io.ironcage.runtime.spi.Policy;
import io.vertx.core.Vertx;

/**
 * What every call shares: providers, policies, limits and where finished calls go.
 *
 * @param clientBodyTimeoutMillis how long a client may take to send its body; 0 for no limit
 * @param clientIdleTimeoutMillis how long a client connection may stay open with no call in progress; 0 for ever
 * @param defaultMaxTokens {@code max_tokens} for translated calls to Anthropic that set none
 * @param reliability retries, breakers and fallbacks
 * @param metrics where calls are measured
 */
public record RouterContext(Vertx vertx, ProviderRegistry providers, List<Policy> policies,
        TokenAuthenticator authenticator, long maxBodyBytes, long clientBodyTimeoutMillis,
        long clientIdleTimeoutMillis, long firstByteTimeoutMillis, long idleTimeoutMillis,
        long totalTimeoutMillis, int defaultMaxTokens, CallLog callLog, Reliability reliability,
        RouterMetrics metrics) {
}
