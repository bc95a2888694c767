package io.ironcage.runtime.spi;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * What a {@link Policy} sees of a call before it is forwarded.
 *
 * @param id unique id of this call (also sent to the client as {@code x-iron-request-id})
 * @param dialect the client's dialect (for other {@code /v1/…} paths: the provider's)
 * @param path the path forwarded upstream, prefix stripped, e.g. {@code /v1/chat/completions}
 * @param provider id of the chosen provider
 * @param model the requested model, or {@code null} when the body names none
 * @param stream whether the client asked for a stream
 * @param headers the client's headers (read-only view; auth headers included, do not log them)
 * @param body the request body as sent by the client (or as an earlier policy rewrote it)
 * @param agent the agent whose IC token the call carries: an agent the runtime started, or the router's own token's
 *        ({@code agent_id} of a control-server token, else {@code default})
 */
public record RouterRequest(String id, Dialect dialect, String path, String provider, String model, boolean stream,
        MultiMap headers, Buffer body, String agent) {

    /** The same call with another body. */
    public RouterRequest withBody(Buffer newBody) {
        return new RouterRequest(id, dialect, path, provider, model, stream, headers, newBody, agent);
    }
}
