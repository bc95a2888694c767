package io.ironcage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import io.ironcage.runtime.CompletedCall;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The official OpenAI and Anthropic Java SDKs, pointed at the router with the IC token, work unchanged. */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class OfficialSdkTest extends RouterTestBase {

    private OpenAIClient openAiClient() {
        return OpenAIOkHttpClient.builder().baseUrl(router.baseUrl()).apiKey(router.apiKey()).maxRetries(0).build();
    }

    private AnthropicClient anthropicClient() {
        return AnthropicOkHttpClient.builder().baseUrl(router.rootUrl()).apiKey(router.apiKey()).maxRetries(0)
                .build();
    }

    private static ChatCompletionCreateParams chat() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Hello from the SDK").build();
    }

    private static MessageCreateParams messages() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
                .addUserMessage("Hello from the SDK").build();
    }

    @Test
    void openAiSdkNonStream() {
        ChatCompletion completion = openAiClient().chat().completions().create(chat());
        assertEquals("Mock answer to: Hello from the SDK", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(7, completion.usage().orElseThrow().completionTokens());
        assertEquals("Bearer " + MockProviderResource.OPENAI_KEY, mock.lastHeaders().get("authorization"));
        assertEquals("gpt-4o-mini", mock.lastBodyJson().getString("model"));
        assertEquals("Hello from the SDK", mock.lastBodyJson().getString("messages[0].content"));
    }

    @Test
    void openAiSdkStream() {
        StringBuilder text = new StringBuilder();
        try (var stream = openAiClient().chat().completions().createStreaming(chat())) {
            stream.stream().forEach((ChatCompletionChunk chunk) -> chunk.choices()
                    .forEach(c -> c.delta().content().ifPresent(text::append)));
        }
        assertEquals("Mock answer to: Hello from the SDK", text.toString());
        assertEquals("Bearer " + MockProviderResource.OPENAI_KEY, mock.lastHeaders().get("authorization"));
        assertEquals(7, lastCall().outcome().usage().outputTokens());
    }

    @Test
    void anthropicSdkNonStream() {
        Message message = anthropicClient().messages().create(messages());
        assertEquals("Mock answer to: Hello from the SDK", message.content().get(0).text().orElseThrow().text());
        assertEquals(7, message.usage().outputTokens());
        assertEquals(MockProviderResource.ANTHROPIC_KEY, mock.lastHeaders().get("x-api-key"));
        assertFalse(mock.lastHeaders().containsKey("authorization"));
        assertEquals("claude-sonnet-4-5", mock.lastBodyJson().getString("model"));
    }

    @Test
    void anthropicSdkStream() {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropicClient().messages().createStreaming(messages())) {
            stream.stream().forEach(event -> event.contentBlockDelta()
                    .ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text()))));
        }
        assertEquals("Mock answer to: Hello from the SDK", text.toString());
        CompletedCall call = lastCall();
        assertEquals(7, call.outcome().usage().outputTokens());
        assertTrue(call.outcome().usage().inputTokens() > 0);
    }

    private CompletedCall lastCall() {
        List<CompletedCall> calls = router.recentCalls();
        return calls.get(calls.size() - 1);
    }
}
