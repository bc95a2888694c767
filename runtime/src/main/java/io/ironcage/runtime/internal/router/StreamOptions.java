package io.ironcage.runtime.internal.router;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Asks an OpenAI stream for its usage chunk ({@code stream_options.include_usage}). */
final class StreamOptions {

    private static final Buffer INCLUDE_USAGE = Buffer.buffer("\"stream_options\":{\"include_usage\":true},");

    private StreamOptions() {
    }

    /**
     * The body with {@code stream_options.include_usage} set to true. When the client sent no
     * {@code stream_options}, the field is spliced in after the opening brace without re-encoding the body.
     */
    static Buffer withIncludeUsage(Buffer body, boolean hasStreamOptions) {
        if (hasStreamOptions) {
            JsonObject json = body.toJsonObject();
            JsonObject options = json.getValue("stream_options") instanceof JsonObject o ? o : new JsonObject();
            json.put("stream_options", options.put("include_usage", true));
            return json.toBuffer();
        }
        int brace = indexOfOpeningBrace(body);
        Buffer out = Buffer.buffer(body.length() + INCLUDE_USAGE.length());
        out.appendBuffer(body, 0, brace + 1).appendBuffer(INCLUDE_USAGE);
        // An empty object "{}" must not end up with a trailing comma.
        Buffer rest = body.slice(brace + 1, body.length());
        if (rest.toString().trim().startsWith("}")) {
            out.setByte(out.length() - 1, (byte) ' ');
        }
        return out.appendBuffer(rest);
    }

    private static int indexOfOpeningBrace(Buffer body) {
        for (int i = 0; i < body.length(); i++) {
            if (body.getByte(i) == '{') {
                return i;
            }
        }
        throw new IllegalArgumentException("not a JSON object");
    }
}
