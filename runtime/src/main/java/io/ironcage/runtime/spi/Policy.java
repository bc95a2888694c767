package io.ironcage.runtime.spi;

/**
 * A hook around every routed call.
 * <p>
 * Policies run on the router's event loop and must not block. They are discovered at build time from
 * {@code META-INF/services/io.ironcage.runtime.spi.Policy} (or declared as CDI beans) and run in ascending
 * {@link #order()}.
 */
public interface Policy {

    /** Position in the chain; lower runs first. */
    default int order() {
        return 1000;
    }

    /** Called before the call is forwarded; may refuse it or rewrite its body. */
    default PolicyDecision onRequest(RouterRequest request) {
        return PolicyDecision.proceed();
    }

    /**
     * Whether this policy wants {@link #onChunk} calls. Streams that no policy inspects are piped byte for byte,
     * which is faster.
     */
    default boolean inspectsStream() {
        return false;
    }

    /** Called for each event of a streamed answer, in order, before it is sent to the client. */
    default ChunkDecision onChunk(RouterRequest request, StreamEvent event) {
        return ChunkDecision.pass();
    }

    /**
     * Whether this policy wants complete JSON answers ({@link #onAnswer}). Such an answer is then held until it has
     * arrived whole (a JSON client waits for the whole answer anyway) instead of being passed on as it arrives.
     */
    default boolean inspectsAnswer() {
        return false;
    }

    /**
     * Called with a complete successful JSON answer, in the client's dialect, before it is sent: {@code proceed} lets
     * it through, {@code rewrite} sends the given body instead, {@code reject} sends that error instead.
     */
    default PolicyDecision onAnswer(RouterRequest request, io.vertx.core.buffer.Buffer answer) {
        return PolicyDecision.proceed();
    }

    /** Called once when the call has ended, successfully or not. */
    default void onComplete(RouterRequest request, CallOutcome outcome) {
    }
}
