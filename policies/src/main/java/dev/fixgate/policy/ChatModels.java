package dev.fixgate.policy;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.Map;

/** Builds the langchain4j chat model for {@link ReasoningSettings}. Requests are never logged: they carry the key. */
public final class ChatModels {

    private ChatModels() {
    }

    public static ChatModel create(ReasoningSettings s) {
        String base = s.baseUrl().toString();
        return switch (s.provider()) {
            case OPENAI, OLLAMA -> OpenAiChatModel.builder()
                    .baseUrl(base)
                    .apiKey(s.apiKey().isEmpty() ? "none" : s.apiKey())
                    .modelName(s.model())
                    .temperature(0.0)
                    .responseFormat(ResponseFormat.JSON)
                    .timeout(s.timeout())
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            case AZURE_OPENAI -> OpenAiChatModel.builder()
                    .baseUrl(base)
                    .apiKey(s.apiKey())
                    .customHeaders(Map.of("api-key", s.apiKey()))
                    .modelName(s.model())
                    .temperature(0.0)
                    .responseFormat(ResponseFormat.JSON)
                    .timeout(s.timeout())
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            case ANTHROPIC -> AnthropicChatModel.builder()
                    .baseUrl(base)
                    .apiKey(s.apiKey())
                    .modelName(s.model())
                    .temperature(0.0)
                    .maxTokens(1024)
                    .timeout(s.timeout())
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
        };
    }
}
