package dev.fixgate.app.github;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.store.Sql;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.store.WebhookDeliveries.Delivery;
import dev.fixgate.app.store.WebhookDeliveries.Status;
import dev.fixgate.spi.error.FixgateException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
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
 * <p>Answers: 401 bad or missing signature (checked first: an unauthenticated caller learns nothing else; a missing
 * or malformed header is refused before a byte of the body is read); 413 a body over the limit; 400 missing or
 * malformed {@code X-GitHub-Event} / {@code X-GitHub-Delivery}, a body that is not a JSON object, or a field longer
 * than its column ({@code action}, {@code repository.full_name}); 422 a delivery the database refuses for its values
 * (retrying cannot help); 202 stored and queued; 200 a delivery id seen before (a redelivery or replay: nothing is
 * stored or queued again); 503 the store is unavailable (nothing was kept, so the delivery stays failed on GitHub and
 * can be redelivered) or too many unverified bytes are being read at once ({@link PreAuthBytes}).
 *
 * <p>From a stream ({@link #receive(String, String, String, InputStream, long)}) the body is read once, fed to the
 * HMAC as it arrives, within the request's limit and the shared budget of unverified bytes.
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

    /** The largest body accepted by default: GitHub caps payloads at 25 MB. */
    public static final long DEFAULT_MAX_BYTES = 25L << 20;
    /** Unverified bytes held at once by default, across all requests. */
    public static final long DEFAULT_PRE_AUTH_BYTES = 64L << 20;
    private static final int CHUNK = 16 * 1024;
    private static final int MAX_ACTION = 64;
    private static final int MAX_REPOSITORY = 256;

    private final Secret secret;
    private final WebhookDeliveries deliveries;
    private final Clock clock;
    private final int maxAttempts;
    private final Runnable onQueued;
    private final long maxBytes;
    private final PreAuthBytes preAuth;
    /** The HMAC keyed once; each request starts from a copy (no provider lookup, no key set-up per request). */
    private final WebhookSignature.Keyed key;

    /**
     * @param onQueued called after a job was queued (the workers' {@code wake}), so it starts without waiting for
     *                 the next poll
     */
    public WebhookReceiver(Secret secret, WebhookDeliveries deliveries, Clock clock, int maxAttempts, Runnable onQueued) {
        this(secret, deliveries, clock, maxAttempts, onQueued, DEFAULT_MAX_BYTES, new PreAuthBytes(DEFAULT_PRE_AUTH_BYTES));
    }

    /**
     * @param maxBytes the largest body accepted (413 above)
     * @param preAuth  the budget of unverified bytes this receiver shares with every request
     */
    public WebhookReceiver(Secret secret, WebhookDeliveries deliveries, Clock clock, int maxAttempts, Runnable onQueued,
                           long maxBytes, PreAuthBytes preAuth) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAttempts = maxAttempts;
        this.onQueued = Objects.requireNonNull(onQueued, "onQueued");
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBytes must be between 1 and " + (Integer.MAX_VALUE - 16));
        }
        this.maxBytes = maxBytes;
        this.preAuth = Objects.requireNonNull(preAuth, "preAuth");
        this.key = secret.isPresent() ? WebhookSignature.keyed(secret) : null;
    }

    public WebhookReceiver(Secret secret, WebhookDeliveries deliveries, Clock clock) {
        this(secret, deliveries, clock, DEFAULT_MAX_ATTEMPTS, () -> { });
    }

    /** The largest body accepted. */
    public long maxBytes() {
        return maxBytes;
    }

    public Result receive(String event, String deliveryId, String signature, byte[] body) {
        if (!WebhookSignature.verify(secret, body, signature)) {
            return unauthorized(deliveryId);
        }
        return accept(event, deliveryId, body);
    }

    /**
     * Reads the body from {@code in} and receives it: the signature header is checked for form before anything is
     * read, the body is read at most once and only up to the limit, its bytes are held against the shared
     * {@link PreAuthBytes} budget until the HMAC — computed while reading — matches.
     *
     * @param declaredLength the request's Content-Length, or -1 when it has none (chunked)
     */
    public Result receive(String event, String deliveryId, String signature, InputStream in, long declaredLength) {
        return receive(event, deliveryId, signature, in, declaredLength, maxBytes);
    }

    /** {@link #receive(String, String, String, InputStream, long)} with a limit of its own (at most this receiver's). */
    public Result receive(String event, String deliveryId, String signature, InputStream in, long declaredLength,
                          long limit) {
        long maxBytes = Math.min(limit, this.maxBytes);
        if (!secret.isPresent() || !WebhookSignature.wellFormed(signature)) {
            return unauthorized(deliveryId);
        }
        if (declaredLength > maxBytes) {
            return tooLarge(maxBytes);
        }
        long held = declaredLength >= 0 ? declaredLength : CHUNK;
        if (!preAuth.acquire(held)) {
            LOG.atWarn().setMessage("webhook refused: too many unverified bytes in flight")
                    .addKeyValue("delivery", safe(deliveryId)).addKeyValue("bytes", declaredLength).log();
            return new Result.Rejected(503, "too many unverified webhook bytes are being read at once; retry shortly");
        }
        byte[] body;
        try {
            WebhookSignature.Streaming mac = key.start();
            byte[] buf = new byte[(int) Math.max(1, held)];
            int len = 0;
            while (true) {
                if (len == buf.length) {
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    long grown = Math.min(Math.max(2L * buf.length, CHUNK), maxBytes + 1);
                    if (len + 1 > maxBytes) {
                        return tooLarge(maxBytes);
                    }
                    if (!preAuth.acquire(grown - held)) {
                        return new Result.Rejected(503,
                                "too many unverified webhook bytes are being read at once; retry shortly");
                    }
                    held = grown;
                    buf = Arrays.copyOf(buf, (int) grown);
                    buf[len] = (byte) next;
                    mac.update(buf, len, 1);
                    len++;
                    continue;
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    break;
                }
                mac.update(buf, len, n);
                len += n;
                if (len > maxBytes) {
                    return tooLarge(maxBytes);
                }
            }
            if (!mac.matches(signature)) {
                return unauthorized(deliveryId);
            }
            body = len == buf.length ? buf : Arrays.copyOf(buf, len);
        } catch (IOException e) {
            return new Result.Rejected(400, "the request body could not be read");
        } finally {
            preAuth.release(held);
        }
        return accept(event, deliveryId, body);
    }

    private static Result tooLarge(long maxBytes) {
        return new Result.Rejected(413, "payload larger than " + maxBytes + " bytes");
    }

    private static Result unauthorized(String deliveryId) {
        // Never log the body or the signature: an attacker controls both.
        LOG.atWarn().setMessage("webhook refused: bad or missing signature").addKeyValue("delivery", safe(deliveryId)).log();
        return new Result.Rejected(401, "invalid signature");
    }

    /** A delivery whose signature matched: headers, JSON, store. */
    private Result accept(String event, String deliveryId, byte[] body) {
        if (event == null || !EVENT.matcher(event).matches() || deliveryId == null || !DELIVERY.matcher(deliveryId).matches()) {
            return new Result.Rejected(400, "missing or malformed X-GitHub-Event / X-GitHub-Delivery header");
        }
        // Only what is stored beside the delivery is read out of the body (every token is still checked): the
        // workers parse the payload when they handle it.
        Optional<WebhookPayload.Fields> scanned = WebhookPayload.scan(body);
        if (scanned.isEmpty()) {
            return new Result.Rejected(400, "payload is not a JSON object");
        }
        WebhookPayload.Fields received = scanned.get();
        if (received.action().length() > MAX_ACTION) {
            return new Result.Rejected(400, "action is longer than " + MAX_ACTION + " characters (at /action)");
        }
        if (received.repository().length() > MAX_REPOSITORY) {
            return new Result.Rejected(400, "repository name is longer than " + MAX_REPOSITORY
                    + " characters (at /repository/full_name)");
        }
        Instant now = clock.instant();
        Delivery delivery = new Delivery(deliveryId, event, received.action(), received.installationId(),
                received.repository(), sha256(body), Status.RECEIVED, "", now);
        Optional<Long> job;
        try {
            job = deliveries.recordWithJob(delivery, JOB_KIND,
                    WebhookPayload.envelope(deliveryId, event, received, body), maxAttempts);
        } catch (FixgateException e) {
            if (Sql.REJECTED.equals(e.code())) {
                // Permanent: the same delivery would be refused again, so "redeliver later" would be a lie.
                LOG.atWarn().setMessage("webhook refused: the database rejects its values").addKeyValue("event", event)
                        .addKeyValue("delivery", deliveryId).addKeyValue("reason", e.getMessage()).log();
                return new Result.Rejected(422, "the delivery cannot be stored: the database refuses its values");
            }
            return storeDown(event, deliveryId, e);
        } catch (RuntimeException e) {
            return storeDown(event, deliveryId, e);
        }
        if (job.isEmpty()) {
            return new Result.Duplicate("delivery " + deliveryId + " was already received");
        }
        onQueued.run();
        LOG.atDebug().setMessage("webhook queued").addKeyValue("event", event).addKeyValue("action", received.action())
                .addKeyValue("delivery", deliveryId).addKeyValue("job", job.get()).log();
        return new Result.Accepted("queued", job.get());
    }

    private static Result storeDown(String event, String deliveryId, RuntimeException e) {
        LOG.atError().setMessage("cannot store webhook delivery; answering 503 so it can be redelivered")
                .addKeyValue("event", event).addKeyValue("delivery", deliveryId).addKeyValue("reason", e.getMessage())
                .log();
        return new Result.Rejected(503, "the delivery could not be stored; nothing was kept, redeliver it later");
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
