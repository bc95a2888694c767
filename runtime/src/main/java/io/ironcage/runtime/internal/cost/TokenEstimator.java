package io.ironcage.runtime.internal.cost;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Estimates, before a request is sent, how many tokens it can use, so that its worst-case cost can be reserved
 * against a budget ({@link CostCalculator#worstCaseMicros}).
 *
 * <h2>Why conservative</h2>
 *
 * The estimate only decides how much budget is <em>reserved</em> while the call runs; settling the call charges the
 * provider's reported usage and releases the rest. Overestimating therefore costs nothing but a temporarily larger
 * reservation, while underestimating would let concurrent calls overspend a budget. So the estimate leans high without
 * running a tokenizer:
 * <ul>
 * <li>text counts UTF-8 bytes / {@value #BYTES_PER_TOKEN}, rounded up: BPE tokenizers average about 4 bytes per
 * token on English and code, and non-Latin scripts have more bytes per character, so bytes / 3 stays above the truth
 * for almost all text;</li>
 * <li>every message (and a top-level {@code system}) adds {@value #MESSAGE_OVERHEAD} tokens for its role and framing,
 * and every request a fixed {@value #REQUEST_OVERHEAD};</li>
 * <li>every image counts a fixed {@value #IMAGE_TOKENS} tokens, about the most one image costs on either provider at
 * default resolution, rather than the size of its base64 data or URL;</li>
 * <li>structured parts count the UTF-8 bytes of their JSON encoding, keys and punctuation included: tool definitions,
 * tool-call arguments, tool inputs, {@code response_format}, and any content part of a type not known here (documents,
 * audio, files).</li>
 * </ul>
 * Both dialects are read by the same walk: OpenAI chat ({@code messages} with string or part-array content,
 * {@code tool_calls}, {@code tools}, {@code functions}, {@code response_format}), Anthropic messages ({@code system}
 * string or blocks, {@code messages} with string or block content: text, image, tool_use, tool_result, thinking;
 * {@code tools}), and the {@code input} / {@code prompt} / {@code instructions} of embeddings, completions and
 * responses requests.
 */
public final class TokenEstimator {

    private TokenEstimator() {
    }

    /** UTF-8 bytes counted as one token. */
    public static final int BYTES_PER_TOKEN = 3;
    /** Tokens added per message for its role and framing. */
    public static final int MESSAGE_OVERHEAD = 4;
    /** Tokens added once per request. */
    public static final int REQUEST_OVERHEAD = 16;
    /** Tokens counted per image. */
    public static final int IMAGE_TOKENS = 1600;
    /** Max output assumed when neither the request nor the price table bounds it. */
    public static final long DEFAULT_MAX_OUTPUT_TOKENS = 128_000;

    /** A conservative estimate of the input tokens of a chat request of either dialect (see the class javadoc). */
    public static long estimateInputTokens(JsonObject request) {
        if (request == null) {
            return REQUEST_OVERHEAD;
        }
        Count count = new Count();
        Object system = request.getValue("system");
        if (system != null) {
            count.messages++;
            count.content(system);
        }
        if (request.getValue("messages") instanceof JsonArray messages) {
            for (Object message : messages) {
                count.messages++;
                if (message instanceof JsonObject m) {
                    count.message(m);
                } else {
                    count.json(message);
                }
            }
        }
        count.jsonEach(request.getValue("tools"));
        count.jsonEach(request.getValue("functions"));
        count.json(request.getValue("response_format"));
        count.input(request.getValue("input"));
        count.input(request.getValue("prompt"));
        count.content(request.getValue("instructions"));
        long tokens = count.bytes / BYTES_PER_TOKEN + (count.bytes % BYTES_PER_TOKEN == 0 ? 0 : 1);
        return saturatedSum(tokens, count.tokens, count.messages * MESSAGE_OVERHEAD, REQUEST_OVERHEAD,
                count.images * IMAGE_TOKENS);
    }

    /**
     * The most output tokens the request can produce: its {@code max_tokens}, else {@code max_completion_tokens}, else
     * {@code max_output_tokens} (responses requests), else the model's max output ({@code price} may be {@code null};
     * a max of 0 means unknown), else {@value #DEFAULT_MAX_OUTPUT_TOKENS}. The request's max applies per choice, so an
     * OpenAI {@code n} above 1 multiplies it. Not capped by the model's max: a request asking for more fails at the
     * provider, and its reservation is released.
     */
    public static long maxOutputTokens(JsonObject request, ModelPrice price) {
        long perChoice = request == null ? 0 : positive(request.getValue("max_tokens"));
        if (perChoice == 0 && request != null) {
            perChoice = positive(request.getValue("max_completion_tokens"));
        }
        if (perChoice == 0 && request != null) {
            perChoice = positive(request.getValue("max_output_tokens"));
        }
        if (perChoice == 0) {
            perChoice = price != null && price.maxOutputTokens() > 0 ? price.maxOutputTokens() : DEFAULT_MAX_OUTPUT_TOKENS;
        }
        long choices = request == null ? 0 : positive(request.getValue("n"));
        if (choices <= 1) {
            return perChoice;
        }
        try {
            return Math.multiplyExact(perChoice, choices);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A strictly positive whole number, rounded up, or 0 for anything else. */
    private static long positive(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = Math.ceil(((Number) value).doubleValue());
            return d >= 1 ? (long) d : 0; // NaN fails the test; huge values saturate
        }
        if (value instanceof Number n) {
            long l = n.longValue();
            return l > 0 ? l : 0;
        }
        return 0;
    }

    private static long saturatedSum(long... terms) {
        long sum = 0;
        for (long term : terms) {
            sum += term;
            if (sum < 0) {
                return Long.MAX_VALUE;
            }
        }
        return sum;
    }

    /** Running totals of one walk. */
    private static final class Count {
        long bytes;
        long tokens;
        long messages;
        long images;

        void message(JsonObject m) {
            content(m.getValue("content"));
            text(m.getValue("name"));
            text(m.getValue("tool_call_id"));
            text(m.getValue("refusal"));
            if (m.getValue("tool_calls") instanceof JsonArray calls) {
                for (Object call : calls) {
                    if (call instanceof JsonObject c && c.getValue("function") instanceof JsonObject f) {
                        text(c.getValue("id"));
                        function(f);
                    } else {
                        json(call);
                    }
                }
            }
            if (m.getValue("function_call") instanceof JsonObject f) {
                function(f);
            }
        }

        void function(JsonObject f) {
            text(f.getValue("name"));
            Object arguments = f.getValue("arguments");
            if (arguments instanceof String) {
                text(arguments);
            } else {
                json(arguments);
            }
        }

        /** A string, an array of parts or blocks, or a single part. */
        void content(Object content) {
            if (content == null || content instanceof String) {
                text(content);
            } else if (content instanceof JsonArray parts) {
                for (Object part : parts) {
                    part(part);
                }
            } else {
                part(content);
            }
        }

        void part(Object part) {
            if (!(part instanceof JsonObject p)) {
                if (part instanceof String) {
                    text(part);
                } else {
                    json(part);
                }
                return;
            }
            Object type = p.getValue("type");
            switch (type instanceof String s ? s : "") {
                case "text", "input_text", "output_text" -> text(p.getValue("text"));
                case "image_url", "image", "input_image" -> images++;
                case "tool_use", "server_tool_use" -> {
                    text(p.getValue("id"));
                    text(p.getValue("name"));
                    json(p.getValue("input"));
                }
                case "tool_result" -> {
                    text(p.getValue("tool_use_id"));
                    content(p.getValue("content"));
                }
                case "thinking" -> text(p.getValue("thinking"));
                case "redacted_thinking" -> text(p.getValue("data"));
                case "refusal" -> text(p.getValue("refusal"));
                default -> json(p);
            }
        }

        /** Embeddings / completions input: a string, strings, or token ids (one token each). */
        void input(Object input) {
            if (input instanceof JsonArray array) {
                for (Object element : array) {
                    if (element instanceof Number) {
                        tokens++;
                    } else if (element instanceof JsonArray ids) {
                        tokens += ids.size();
                    } else {
                        content(element);
                    }
                }
            } else {
                content(input);
            }
        }

        void text(Object value) {
            if (value instanceof String s) {
                bytes += utf8Length(s);
            } else if (value != null) {
                json(value);
            }
        }

        void jsonEach(Object value) {
            if (value instanceof JsonArray array) {
                for (Object element : array) {
                    json(element);
                }
            } else {
                json(value);
            }
        }

        void json(Object value) {
            if (value != null) {
                bytes += utf8Length(value instanceof String s ? s : Json.encode(value));
            }
        }
    }

    /** UTF-8 length of {@code s} without encoding it. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
