package io.ironcage.runtime.internal.translate;

import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reading and checking request JSON for both request translators, and the few mappings both directions share (data
 * URLs of images, the reasoning table). Every reader treats a JSON {@code null} like an absent field and reports a
 * value of the wrong type as an {@link UnsupportedParameterException} naming its path, e.g.
 * {@code messages[2].content[0].type}.
 */
final class RequestSupport {

    /**
     * Thinking budget ({@code thinking.budget_tokens}) per OpenAI {@code reasoning_effort}: minimal and low 1024 (the
     * Anthropic minimum), medium 4096, high 16384, xhigh and max 32768. Going back, a budget below 4096 reads as low,
     * below 16384 as medium, anything larger as high (OpenAI's xhigh/max exist only on a few models, so a budget
     * never asks for them).
     */
    static final int BUDGET_LOW = 1024;
    static final int BUDGET_MEDIUM = 4096;
    static final int BUDGET_HIGH = 16384;
    static final int BUDGET_XHIGH = 32768;

    private static final String DATA_PREFIX = "data:";
    private static final String BASE64_MARKER = ";base64,";

    private RequestSupport() {
    }

    static UnsupportedParameterException unsupported(String param, String message) {
        return new UnsupportedParameterException(param, message);
    }

    /** {@code prefix.key}, or {@code key} at the top level (empty prefix). */
    static String path(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /** {@code prefix[index]}. */
    static String path(String prefix, int index) {
        return prefix + "[" + index + "]";
    }

    /** Rejects the first non-null field of {@code json} not in {@code known}, naming it. */
    static void onlyKnown(JsonObject json, String prefix, Set<String> known, String target)
            throws UnsupportedParameterException {
        for (String field : json.fieldNames()) {
            if (json.getValue(field) != null && !known.contains(field)) {
                String param = path(prefix, field);
                throw unsupported(param, "'" + param + "' is not supported by the " + target + " API");
            }
        }
    }

    static String string(JsonObject json, String key, String prefix) throws UnsupportedParameterException {
        return typed(json, key, prefix, String.class, "a string");
    }

    static String requiredString(JsonObject json, String key, String prefix) throws UnsupportedParameterException {
        return required(string(json, key, prefix), key, prefix);
    }

    static JsonObject object(JsonObject json, String key, String prefix) throws UnsupportedParameterException {
        return typed(json, key, prefix, JsonObject.class, "an object");
    }

    static JsonObject requiredObject(JsonObject json, String key, String prefix)
            throws UnsupportedParameterException {
        return required(object(json, key, prefix), key, prefix);
    }

    static JsonArray array(JsonObject json, String key, String prefix) throws UnsupportedParameterException {
        return typed(json, key, prefix, JsonArray.class, "an array");
    }

    static JsonArray requiredArray(JsonObject json, String key, String prefix) throws UnsupportedParameterException {
        return required(array(json, key, prefix), key, prefix);
    }

    static Number number(JsonObject json, String key, String prefix) throws UnsupportedParameterException {
        return typed(json, key, prefix, Number.class, "a number");
    }

    /** {@code json[key]} when it is absent, null or a {@code type}; anything else is rejected as not {@code what}. */
    private static <T> T typed(JsonObject json, String key, String prefix, Class<T> type, String what)
            throws UnsupportedParameterException {
        Object value = json.getValue(key);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw wrongType(path(prefix, key), what);
    }

    private static <T> T required(T value, String key, String prefix) throws UnsupportedParameterException {
        if (value == null) {
            throw missing(path(prefix, key));
        }
        return value;
    }

    static Integer integer(JsonObject json, String key, String prefix) throws UnsupportedParameterException {
        Number value = number(json, key, prefix);
        if (value == null) {
            return null;
        }
        if (value.doubleValue() != Math.rint(value.doubleValue()) || Math.abs(value.doubleValue()) > Integer.MAX_VALUE) {
            throw wrongType(path(prefix, key), "an integer");
        }
        return value.intValue();
    }

    static Boolean bool(JsonObject json, String key, String prefix) throws UnsupportedParameterException {
        return typed(json, key, prefix, Boolean.class, "a boolean");
    }

    /** The object at {@code array[index]}; anything else (including null) is rejected. */
    static JsonObject objectAt(JsonArray array, int index, String prefix) throws UnsupportedParameterException {
        Object value = array.getValue(index);
        if (value instanceof JsonObject o) {
            return o;
        }
        throw wrongType(path(prefix, index), "an object");
    }

    /** The string at {@code array[index]}; anything else (including null) is rejected. */
    static String stringAt(JsonArray array, int index, String prefix) throws UnsupportedParameterException {
        Object value = array.getValue(index);
        if (value instanceof String s) {
            return s;
        }
        throw wrongType(path(prefix, index), "a string");
    }

    /** A copy of an array that must hold only strings (stop sequences). */
    static JsonArray strings(JsonArray array, String prefix) throws UnsupportedParameterException {
        JsonArray copy = new JsonArray();
        for (int i = 0; i < array.size(); i++) {
            copy.add(stringAt(array, i, prefix));
        }
        return copy;
    }

    /** Puts {@code value} unless it is null. */
    static void putIfPresent(JsonObject json, String key, Object value) {
        if (value != null) {
            json.put(key, value);
        }
    }

    /** A text block / text content part: the same shape in both dialects. */
    static JsonObject text(String text) {
        return new JsonObject().put("type", "text").put("text", text);
    }

    static UnsupportedParameterException missing(String param) {
        return unsupported(param, "'" + param + "' is required");
    }

    static UnsupportedParameterException wrongType(String param, String expected) {
        return unsupported(param, "'" + param + "' must be " + expected);
    }

    static UnsupportedParameterException unsupportedValue(String param, Object value, String target) {
        return unsupported(param, "'" + param + "' value " + quoted(value) + " is not supported by the " + target
                + " API");
    }

    private static String quoted(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    /** {@code data:<mediaType>;base64,<data>}. */
    static String dataUrl(String mediaType, String data) {
        return DATA_PREFIX + mediaType + BASE64_MARKER + data;
    }

    static boolean isDataUrl(String url) {
        return url.regionMatches(true, 0, DATA_PREFIX, 0, DATA_PREFIX.length());
    }

    /**
     * The Anthropic {@code base64} image source of a {@code data:<mediaType>;base64,<data>} URL; any other data URL
     * (not base64, no media type) is rejected naming {@code param}.
     */
    static JsonObject base64Source(String dataUrl, String param) throws UnsupportedParameterException {
        int marker = dataUrl.indexOf(BASE64_MARKER);
        if (marker <= DATA_PREFIX.length()) {
            throw unsupported(param, "'" + param + "' must be an http(s) URL or a data:<media type>;base64,... URL");
        }
        return new JsonObject().put("type", "base64")
                .put("media_type", dataUrl.substring(DATA_PREFIX.length(), marker))
                .put("data", dataUrl.substring(marker + BASE64_MARKER.length()));
    }

    /** The thinking budget for an OpenAI {@code reasoning_effort}, {@code 0} for {@code none}. */
    static int thinkingBudget(String effort, String param) throws UnsupportedParameterException {
        return switch (effort) {
            case "none" -> 0;
            case "minimal", "low" -> BUDGET_LOW;
            case "medium" -> BUDGET_MEDIUM;
            case "high" -> BUDGET_HIGH;
            case "xhigh", "max" -> BUDGET_XHIGH;
            default -> throw unsupportedValue(param, effort, "Anthropic Messages");
        };
    }

    /** The OpenAI {@code reasoning_effort} for an Anthropic thinking budget. */
    static String reasoningEffort(int budgetTokens) {
        if (budgetTokens < BUDGET_MEDIUM) {
            return "low";
        }
        return budgetTokens < BUDGET_HIGH ? "medium" : "high";
    }
}
