package io.ironcage.runtime.spi;

/**
 * How a call ended, as {@link Policy#onComplete(RouterRequest, CallOutcome)} sees it.
 *
 * @param status the HTTP status the client received
 * @param usage tokens used, {@link Usage#NONE} when the provider reported none
 * @param usageReported whether the provider reported usage
 * @param error a short description when the call failed (upstream down, timeout, client gone), else {@code null}
 * @param clientAborted whether the client went away before the answer was complete
 * @param overheadMillis time spent in the router, excluding the wait on the provider
 * @param durationMillis total time of the call
 */
public record CallOutcome(int status, Usage usage, boolean usageReported, String error, boolean clientAborted,
        double overheadMillis, double durationMillis) {

    /** Whether the provider answered with a 2xx status and the answer reached the client whole. */
    public boolean succeeded() {
        return status >= 200 && status < 300 && error == null && !clientAborted;
    }
}
