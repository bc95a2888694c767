package io.ironcage.runtime.internal.pii;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.ironcage.runtime.internal.json.StreamingJson;
import io.ironcage.runtime.spi.PiiMatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Scans the text of a request or answer body in either dialect: every string value (message text, tool arguments and
 * results, system prompts, JSON-encoded tool arguments) except the fields that name or label things rather than say
 * them ({@code model}, {@code role}, ids, types, base64 data, URLs, signatures).
 */
final class JsonTextScan {

    private static final Set<String> NOT_TEXT = Set.of("model", "role", "type", "id", "object", "tool_call_id",
            "tool_use_id", "name", "signature", "media_type", "data", "url", "image_url", "cache_control",
            "finish_reason", "stop_reason", "system_fingerprint", "service_tier", "encrypted_content");

    private JsonTextScan() {
    }

    /**
     * Whether any text value of a JSON object body holds a value, read with a streaming parser, without building a
     * tree: most bodies hold none, and then this is all they cost. {@code null} when the body is not a JSON object
     * (the caller scans it another way).
     *
     * @throws PiiScanException when a detector fails
     */
    static Boolean anyValue(PiiScanner scanner, Buffer body) {
        try (JsonParser p = StreamingJson.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if (token == JsonToken.VALUE_STRING && isText(p) && !scanner.scan(p.getText()).isEmpty()) {
                    return true;
                }
            }
            return false;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** A string in an array, or under a field that says something (not one that names or labels). */
    private static boolean isText(JsonParser p) throws IOException {
        return !p.getParsingContext().inObject() || !NOT_TEXT.contains(p.currentName());
    }

    /**
     * Reports every value found in {@code node}; when {@code redact}, replaces them in place.
     *
     * @return whether anything was found
     * @throws PiiScanException when a detector fails
     */
    static boolean scan(PiiScanner scanner, Object node, boolean redact, Consumer<PiiMatch> found) {
        boolean any = false;
        if (node instanceof JsonObject object) {
            for (Map.Entry<String, Object> field : object.getMap().entrySet()) {
                Object value = field.getValue();
                if (value instanceof String text) {
                    String after = NOT_TEXT.contains(field.getKey()) ? null : scanText(scanner, text, redact, found);
                    if (after != null) {
                        any = true;
                        field.setValue(after);
                    }
                } else {
                    any |= scan(scanner, wrap(value), redact, found);
                }
            }
        } else if (node instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                Object value = array.getValue(i);
                if (value instanceof String text) {
                    String after = scanText(scanner, text, redact, found);
                    if (after != null) {
                        any = true;
                        array.set(i, after);
                    }
                } else {
                    any |= scan(scanner, value, redact, found);
                }
            }
        }
        return any;
    }

    /** Nested values of a parsed body are JsonObject/JsonArray; maps and lists only in bodies built by hand. */
    @SuppressWarnings("unchecked")
    private static Object wrap(Object value) {
        if (value instanceof Map<?, ?> map) {
            return new JsonObject((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            return new JsonArray((List<Object>) list);
        }
        return value;
    }

    /** The text with its values replaced (as is, when only detecting), or {@code null} when nothing was found. */
    static String scanText(PiiScanner scanner, String text, boolean redact, Consumer<PiiMatch> found) {
        List<PiiMatch> matches = scanner.scan(text);
        if (matches.isEmpty()) {
            return null;
        }
        matches.forEach(found);
        return redact ? scanner.redact(text, matches) : text;
    }
}
