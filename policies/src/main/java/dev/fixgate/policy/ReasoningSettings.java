package dev.fixgate.policy;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Which chat model layer 2 asks. The API key is held here only to build the client; {@link #toString()} never
 * shows it.
 *
 * @param provider which API dialect
 * @param baseUrl  the endpoint: an OpenAI-compatible {@code …/v1}, Azure's {@code https://<resource>.openai.azure.com/openai/v1},
 *                 Anthropic's API, or Ollama's {@code http://host:11434/v1}
 * @param model    model (or Azure deployment) name
 * @param apiKey   may be empty (Ollama)
 * @param timeout  for the whole exchange
 */
public record ReasoningSettings(Provider provider, URI baseUrl, String model, String apiKey, Duration timeout) {

    public ReasoningSettings {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(timeout, "timeout");
        if (model.isBlank()) {
            throw new IllegalArgumentException("a reasoning model needs a model name");
        }
    }

    public enum Provider {
        /** Any server speaking OpenAI's chat-completions API (OpenAI, vLLM, LM Studio, …). */
        OPENAI,
        /** Azure OpenAI through its OpenAI-compatible v1 endpoint, authenticated with an {@code api-key} header. */
        AZURE_OPENAI,
        /** Anthropic's Messages API. */
        ANTHROPIC,
        /** Ollama through its OpenAI-compatible endpoint. */
        OLLAMA;

        public static Provider of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    @Override
    public String toString() {
        return "ReasoningSettings[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey.isEmpty() ? "(none)" : "****") + ", timeout=" + timeout + "]";
    }
}
