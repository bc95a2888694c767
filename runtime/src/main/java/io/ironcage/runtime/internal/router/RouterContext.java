package io.ironcage.runtime.internal.router;

import java.util.List;

import io.ironcage.runtime.internal.provider.ProviderRegistry;
import io.ironcage.runtime.spi.Policy;
import io.vertx.core.Vertx;

/**
 * What every call shares: providers, policies, limits and where finished calls go.
 *
 * @param inspectingPolicies the subset of {@code policies} that want to see stream events
 * @param defaultMaxTokens {@code max_tokens} for translated calls to Anthropic that set none
 */
public record RouterContext(Vertx vertx, ProviderRegistry providers, List<Policy> policies,
        List<Policy> inspectingPolicies, TokenAuthenticator authenticator, long maxBodyBytes, long firstByteTimeoutMillis,
        long idleTimeoutMillis, int defaultMaxTokens, CallLog callLog) {

    public RouterContext(Vertx vertx, ProviderRegistry providers, List<Policy> policies,
            TokenAuthenticator authenticator, long maxBodyBytes, long firstByteTimeoutMillis, long idleTimeoutMillis,
            int defaultMaxTokens, CallLog callLog) {
        this(vertx, providers, policies, policies.stream().filter(Policy::inspectsStream).toList(), authenticator,
                maxBodyBytes, firstByteTimeoutMillis, idleTimeoutMillis, defaultMaxTokens, callLog);
    }
}
