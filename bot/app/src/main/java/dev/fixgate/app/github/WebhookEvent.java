package dev.fixgate.app.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.util.Objects;

/**
 * One verified webhook delivery, as queued for the workers: the headers that matter and the parsed payload. The
 * envelope it is read from ({@link #fromJobPayload}) is written by {@link WebhookPayload#envelope}.
 *
 * @param installationId the App installation it came from, 0 for events without one (e.g. {@code ping} of the App)
 * @param repository     {@code owner/name}, or empty for events without a repository
 */
public record WebhookEvent(String deliveryId, String event, String action, long installationId, String repository,
                           JsonNode payload) {

    public WebhookEvent {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(payload, "payload");
    }

    static WebhookEvent of(String deliveryId, String event, JsonNode payload) {
        return new WebhookEvent(deliveryId, event, payload.path("action").asText(""),
                payload.path("installation").path("id").asLong(0), payload.path("repository").path("full_name").asText(""),
                payload);
    }

    static WebhookEvent fromJobPayload(String json) throws JsonProcessingException {
        JsonNode n = Json.mapper().readTree(json);
        JsonNode payload = n.path("payload");
        if (!n.path("delivery_id").isTextual() || !n.path("event").isTextual() || !payload.isObject()) {
            throw new IllegalArgumentException("not a webhook job envelope");
        }
        return new WebhookEvent(n.get("delivery_id").asText(), n.get("event").asText(), n.path("action").asText(""),
                n.path("installation_id").asLong(0), n.path("repository").asText(""), payload);
    }
}
