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

    /**
     * Send these events instead (in order; the policies after this one see each of them), e.g. text held back from
     * earlier events, released before the event that ends its block.
     */
    static ChunkDecision replace(java.util.List<StreamEvent> events) {
        return new ReplaceAll(java.util.List.copyOf(events));
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

    /** See {@link #replace(java.util.List)}. */
    record ReplaceAll(java.util.List<StreamEvent> events) implements ChunkDecision {
    }

    /** See {@link #cut(String, String)}. */
    record Cut(String type, String message) implements ChunkDecision {
    }
}
