package io.ironcage.runtime.internal.router;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import io.ironcage.runtime.internal.json.StreamingJson;
import io.vertx.core.buffer.Buffer;

/**
 * The few top-level fields of a chat request the router needs, read with a streaming parser: the body is validated
 * in one pass and no object tree is built.
 *
 * @param model the {@code model} string, or {@code null}
 * @param stream whether {@code stream} is {@code true}
 * @param hasStreamOptions whether the body carries {@code stream_options}
 * @param includeUsage whether {@code stream_options.include_usage} is {@code true}
 */
record RequestBody(String model, boolean stream, boolean hasStreamOptions, boolean includeUsage) {

    /** Thrown when the body is not a JSON object. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    static RequestBody read(Buffer body) throws MalformedException {
        try (JsonParser p = StreamingJson.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedException("The request body must be a JSON object.");
            }
            String model = null;
            boolean stream = false;
            boolean hasStreamOptions = false;
            boolean includeUsage = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "model" -> model = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "stream" -> stream = value == JsonToken.VALUE_TRUE;
                    case "stream_options" -> {
                        hasStreamOptions = true; // even null: the router must then rewrite, not splice a duplicate
                        includeUsage = value == JsonToken.START_OBJECT && readIncludeUsage(p);
                    }
                    default -> p.skipChildren();
                }
                p.skipChildren(); // an array or object under model, stream or stream_options is skipped whole
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedException("The request body is not valid JSON: unexpected content after the object.");
            }
            return new RequestBody(model, stream, hasStreamOptions, includeUsage);
        } catch (IOException e) {
            throw new MalformedException("The request body is not valid JSON: " + describe(e));
        }
    }

    /** Reads a body leniently (other {@code /v1/…} paths): anything unreadable counts as "no model". */
    static String modelOrNull(Buffer body) {
        if (body.length() == 0) {
            return null;
        }
        try {
            return read(body).model();
        } catch (MalformedException e) {
            return null;
        }
    }

    private static boolean readIncludeUsage(JsonParser p) throws IOException {
        boolean include = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("include_usage".equals(name)) {
                include = value == JsonToken.VALUE_TRUE;
            }
            p.skipChildren();
        }
        return include;
    }

    private static String describe(IOException e) {
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
            // Jackson's own message may quote up to 256 characters of the body ("Unrecognized token '…'"): not echoed.
            return (jpe instanceof com.fasterxml.jackson.core.io.JsonEOFException ? "unexpected end of input"
                    : "syntax error") + " (line " + jpe.getLocation().getLineNr() + ", column "
                    + jpe.getLocation().getColumnNr() + ")";
        }
        return String.valueOf(e.getMessage());
    }
}
