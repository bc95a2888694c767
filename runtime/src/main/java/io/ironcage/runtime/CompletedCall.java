package io.ironcage.runtime;

import io.ironcage.runtime.spi.CallOutcome;
import io.ironcage.runtime.spi.Dialect;

/**
 * A call the router has finished, as kept in {@link LlmRouter#recentCalls()}. Bodies and headers are not kept.
 *
 * @param id the call's id (the {@code x-iron-request-id} header the client received)
 * @param dialect the client's dialect
 * @param provider id of the provider the call went to
 * @param model the requested model, or {@code null}
 * @param stream whether the client asked for a stream
 * @param outcome status, usage, errors and timings
 * @param agent the agent whose IC token the call carried
 */
public record CompletedCall(String id, Dialect dialect, String provider, String model, boolean stream,
        CallOutcome outcome, String agent) {
}
