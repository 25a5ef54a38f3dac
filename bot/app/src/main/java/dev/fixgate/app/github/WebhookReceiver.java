package dev.fixgate.app.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.store.WebhookDeliveries.Delivery;
import dev.fixgate.app.store.WebhookDeliveries.Status;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts one webhook delivery: verifies its signature, records it by delivery id so a redelivery is not
 * processed twice, and hands it to the handler registered for its event. Events without a handler are
 * recorded as IGNORED. Independent of the HTTP library so it can be tested without a server.
 */
public final class WebhookReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
    private static final Pattern EVENT = Pattern.compile("[a-z_]{1,64}");
    private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** Handles one event type; throws to mark the delivery FAILED. */
    @FunctionalInterface
    public interface Handler {
        void handle(String event, String action, JsonNode payload) throws Exception;
    }

    /** What the HTTP layer should answer. */
    public sealed interface Result {
        int status();

        String message();

        record Accepted(String message) implements Result {
            @Override
            public int status() {
                return 202;
            }
        }

        record Duplicate(String message) implements Result {
            @Override
            public int status() {
                return 200;
            }
        }

        record Rejected(int status, String message) implements Result {
        }
    }

    private final Secret secret;
    private final WebhookDeliveries deliveries;
    private final Map<String, Handler> handlers;
    private final Clock clock;

    public WebhookReceiver(Secret secret, WebhookDeliveries deliveries, Map<String, Handler> handlers, Clock clock) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.deliveries = deliveries;
        this.handlers = Map.copyOf(handlers);
        this.clock = clock;
    }

    public Result receive(String event, String deliveryId, String signature, byte[] body) {
        if (!WebhookSignature.verify(secret, body, signature)) {
            // Never log the body or the signature: an attacker controls both.
            LOG.atWarn().setMessage("webhook refused: bad or missing signature").addKeyValue("delivery", safe(deliveryId)).log();
            return new Result.Rejected(401, "invalid signature");
        }
        if (event == null || !EVENT.matcher(event).matches() || deliveryId == null || !DELIVERY.matcher(deliveryId).matches()) {
            return new Result.Rejected(400, "missing or malformed X-GitHub-Event / X-GitHub-Delivery header");
        }
        JsonNode payload;
        try {
            payload = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return new Result.Rejected(400, "payload is not JSON");
        } catch (IOException e) {
            return new Result.Rejected(400, "payload cannot be read");
        }
        if (payload == null || !payload.isObject()) {
            return new Result.Rejected(400, "payload is not a JSON object");
        }
        String action = payload.path("action").asText("");
        Delivery delivery = new Delivery(deliveryId, event, action, payload.path("installation").path("id").asLong(0),
                payload.path("repository").path("full_name").asText(""), sha256(body), Status.RECEIVED, "", clock.instant());
        if (!deliveries.recordIfNew(delivery)) {
            return new Result.Duplicate("delivery " + deliveryId + " was already received");
        }
        Handler handler = handlers.get(event);
        if (handler == null) {
            deliveries.finish(deliveryId, Status.IGNORED, "no handler for event '" + event + "'", clock.instant());
            return new Result.Accepted("ignored: fixgate does not act on '" + event + "' events");
        }
        try {
            handler.handle(event, action, payload);
            deliveries.finish(deliveryId, Status.PROCESSED, "", clock.instant());
            return new Result.Accepted("processed");
        } catch (Exception e) {
            deliveries.finish(deliveryId, Status.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), clock.instant());
            LOG.atError().setMessage("webhook handler failed").addKeyValue("event", event)
                    .addKeyValue("delivery", deliveryId).setCause(e).log();
            return new Result.Rejected(500, "handler failed; the delivery is recorded as FAILED");
        }
    }

    private static String safe(String value) {
        return value == null ? "" : value.replaceAll("[^A-Za-z0-9-]", "?");
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
