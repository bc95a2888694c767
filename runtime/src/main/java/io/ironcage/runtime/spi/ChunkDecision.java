package io.ironcage.runtime.spi;

/**
 * The outcome of {@link Policy#onChunk(RouterRequest, StreamEvent)}.
 */
public sealed interface ChunkDecision {

    /** Let the event through unchanged. */
    static ChunkDecision pass() {
        return Pass.INSTANCE;
    }

    /** Send {@code event} instead. */
    static ChunkDecision replace(StreamEvent event) {
        return new Replace(event);
    }

    /** Drop the event. */
    static ChunkDecision drop() {
        return Drop.INSTANCE;
    }

    /** End the stream here with an in-stream error of the client's dialect carrying {@code type} and {@code message}. */
    static ChunkDecision cut(String type, String message) {
        return new Cut(type, message);
    }

    /** See {@link #pass()}. */
    final class Pass implements ChunkDecision {
        static final Pass INSTANCE = new Pass();

        private Pass() {
        }
    }

    /** See {@link #drop()}. */
    final class Drop implements ChunkDecision {
        static final Drop INSTANCE = new Drop();

        private Drop() {
        }
    }

    /** See {@link #replace(StreamEvent)}. */
    record Replace(StreamEvent event) implements ChunkDecision {
    }

    /** See {@link #cut(String, String)}. */
    record Cut(String type, String message) implements ChunkDecision {
    }
}
