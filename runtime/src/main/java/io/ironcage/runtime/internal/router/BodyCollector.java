package io.ironcage.runtime.internal.router;

import io.vertx.core.buffer.Buffer;

/**
 * Collects a request body up to the size limit. A body that arrives in one chunk (most, below a few KB) is kept as it
 * came, no copy; a longer one is gathered into one buffer, sized from the declared length so that it is not regrown
 * (and copied) chunk after chunk. Chunks are the server's own heap copies of what it read, safe to keep.
 */
final class BodyCollector {

    /** A declared length is believed up to this much: a client must not make the router reserve more unsent. */
    private static final int MAX_PRESIZE = 1 << 20;

    private final long maxBytes;
    private final long declaredBytes;
    /** The lone chunk so far, or the buffer the chunks are gathered in. */
    private Buffer body;
    private boolean gathering;

    /** @param declaredBytes the {@code content-length}, or -1 */
    BodyCollector(long maxBytes, long declaredBytes) {
        this.maxBytes = maxBytes;
        this.declaredBytes = declaredBytes;
    }

    /** Adds a chunk; false (and nothing added) when it takes the body over the limit. */
    boolean add(Buffer chunk) {
        long length = (body == null ? 0 : body.length()) + chunk.length();
        if (length > maxBytes) {
            return false;
        }
        if (body == null) {
            body = chunk;
            return true;
        }
        if (!gathering) {
            Buffer lone = body;
            body = Buffer.buffer((int) Math.min(Math.max(declaredBytes, length), MAX_PRESIZE)).appendBuffer(lone);
            gathering = true;
        }
        body.appendBuffer(chunk);
        return true;
    }

    /** The body so far: empty when no chunk came. */
    Buffer body() {
        return body != null ? body : Buffer.buffer();
    }
}
