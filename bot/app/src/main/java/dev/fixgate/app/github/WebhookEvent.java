package dev.fixgate.app.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.app.json.Json;
import java.util.Objects;

/**
 * One verified webhook delivery, as queued for the workers: the headers that matter and the parsed payload.
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

    /** The job payload: an envelope around GitHub's payload. */
    String toJobPayload() {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.put("delivery_id", deliveryId).put("event", event).put("action", action)
                .put("installation_id", installationId).put("repository", repository);
        envelope.set("payload", payload);
        return envelope.toString();
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
