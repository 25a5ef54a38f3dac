package dev.fixgate.app.github;

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
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts one webhook delivery and does as little as possible before answering: verifies its signature,
 * parses it, and stores the delivery record and a {@value #JOB_KIND} job for it in one transaction. The work
 * happens later on the job workers ({@link WebhookDispatcher}), so GitHub gets its answer in milliseconds.
 * Independent of the HTTP library so it can be tested without a server.
 *
 * <p>Answers: 401 bad or missing signature (checked first: an unauthenticated caller learns nothing else); 400
 * missing or malformed {@code X-GitHub-Event} / {@code X-GitHub-Delivery}, or a body that is not a JSON object;
 * 202 stored and queued; 200 a delivery id seen before (a redelivery or replay: nothing is stored or queued
 * again); 503 the store failed, nothing was kept, so the delivery stays failed on GitHub and can be redelivered.
 */
public final class WebhookReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
    private static final Pattern EVENT = Pattern.compile("[a-z_]{1,64}");
    private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** The kind of the job queued for each delivery. */
    public static final String JOB_KIND = "github.webhook";
    /** Attempts of a webhook job: with the standard backoff, retries spread over about two hours. */
    public static final int DEFAULT_MAX_ATTEMPTS = 8;

    /** What the HTTP layer should answer. */
    public sealed interface Result {
        int status();

        String message();

        record Accepted(String message, long jobId) implements Result {
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
    private final Clock clock;
    private final int maxAttempts;
    private final Runnable onQueued;

    /**
     * @param onQueued called after a job was queued (the workers' {@code wake}), so it starts without waiting for
     *                 the next poll
     */
    public WebhookReceiver(Secret secret, WebhookDeliveries deliveries, Clock clock, int maxAttempts, Runnable onQueued) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAttempts = maxAttempts;
        this.onQueued = Objects.requireNonNull(onQueued, "onQueued");
    }

    public WebhookReceiver(Secret secret, WebhookDeliveries deliveries, Clock clock) {
        this(secret, deliveries, clock, DEFAULT_MAX_ATTEMPTS, () -> { });
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
        } catch (IOException e) {
            return new Result.Rejected(400, "payload is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            return new Result.Rejected(400, "payload is not a JSON object");
        }
        WebhookEvent received = WebhookEvent.of(deliveryId, event, payload);
        Instant now = clock.instant();
        Delivery delivery = new Delivery(deliveryId, event, received.action(), received.installationId(),
                received.repository(), sha256(body), Status.RECEIVED, "", now);
        Optional<Long> job;
        try {
            job = deliveries.recordWithJob(delivery, JOB_KIND, received.toJobPayload(), maxAttempts);
        } catch (RuntimeException e) {
            LOG.atError().setMessage("cannot store webhook delivery; answering 503 so it can be redelivered")
                    .addKeyValue("event", event).addKeyValue("delivery", deliveryId).setCause(e).log();
            return new Result.Rejected(503, "the delivery could not be stored; nothing was kept, redeliver it later");
        }
        if (job.isEmpty()) {
            return new Result.Duplicate("delivery " + deliveryId + " was already received");
        }
        onQueued.run();
        LOG.atDebug().setMessage("webhook queued").addKeyValue("event", event).addKeyValue("action", received.action())
                .addKeyValue("delivery", deliveryId).addKeyValue("job", job.get()).log();
        return new Result.Accepted("queued", job.get());
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
