package io.ironcage.runtime.internal.sse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import io.ironcage.runtime.spi.StreamEvent;

/** The SSE stream fixtures under {@code src/test/resources/sse/} and the events each one must yield. */
public final class SseFixtures {

    public static final String OPENAI = "openai-chat-stream.sse";
    public static final String ANTHROPIC = "anthropic-messages-stream.sse";
    public static final String ANTHROPIC_CRLF = "anthropic-crlf-keepalive.sse";
    public static final String MULTILINE = "multiline-data.sse";

    public static final String HELLO = "héllo wörld 日本語 🎉";

    private static final String OPENAI_PREFIX = "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\","
            + "\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"gpt-4o-mini-2024-07-18\","
            + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\",";

    private SseFixtures() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = SseFixtures.class.getResourceAsStream("/sse/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /sse/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<StreamEvent> expected(String name) {
        return switch (name) {
            case OPENAI -> List.of(
                    openAi("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                            + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}"),
                    openAi("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"héllo\"},\"logprobs\":null,"
                            + "\"finish_reason\":null}],\"usage\":null}"),
                    openAi("\"choices\":[{\"index\":0,\"delta\":{\"content\":\" wörld 日本語 🎉\"},\"logprobs\":null,"
                            + "\"finish_reason\":null}],\"usage\":null}"),
                    openAi("\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                            + "\"usage\":null}"),
                    openAi("\"choices\":[],\"usage\":{\"prompt_tokens\":1234,\"completion_tokens\":56,"
                            + "\"total_tokens\":1290,\"prompt_tokens_details\":{\"cached_tokens\":1024,\"audio_tokens\":0},"
                            + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}"),
                    new StreamEvent(null, "[DONE]"));
            case ANTHROPIC -> List.of(
                    new StreamEvent("message_start", "{\"type\":\"message_start\",\"message\":{"
                            + "\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
                            + "\"content\":[],\"model\":\"claude-sonnet-4-20250514\",\"stop_reason\":null,"
                            + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":512,"
                            + "\"cache_read_input_tokens\":2048,\"output_tokens\":1}}}"),
                    new StreamEvent("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                    new StreamEvent("ping", "{\"type\": \"ping\"}"),
                    new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"héllo\"}}"),
                    new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"text_delta\",\"text\":\" wörld 日本語 🎉\"}}"),
                    new StreamEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                    new StreamEvent("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}"),
                    new StreamEvent("message_stop", "{\"type\":\"message_stop\"}"));
            case ANTHROPIC_CRLF -> List.of(
                    new StreamEvent("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\","
                            + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],"
                            + "\"model\":\"claude-3-5-haiku-20241022\",\"stop_reason\":null,\"stop_sequence\":null,"
                            + "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":null,"
                            + "\"cache_read_input_tokens\":null,\"output_tokens\":1}}}"),
                    new StreamEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + HELLO + "\"}}"),
                    new StreamEvent("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":7}}"),
                    new StreamEvent("message_stop", "{\"type\":\"message_stop\"}"));
            case MULTILINE -> List.of(
                    new StreamEvent(null, "first line\nsecond line\nno space after colon\n two spaces keep one\n\n"),
                    new StreamEvent("update", "{\"a\":1}\n{\"b\":\"ünïcödé\"}"),
                    new StreamEvent(null, "after the orphan"),
                    new StreamEvent("empty-data", ""),
                    new StreamEvent("", "empty event name"));
            default -> throw new IllegalArgumentException(name);
        };
    }

    public static List<String> names() {
        return List.of(OPENAI, ANTHROPIC, ANTHROPIC_CRLF, MULTILINE);
    }

    private static StreamEvent openAi(String rest) {
        return new StreamEvent(null, OPENAI_PREFIX + rest);
    }
}
