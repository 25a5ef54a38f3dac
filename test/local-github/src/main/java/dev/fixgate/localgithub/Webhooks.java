package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Installation;
import dev.fixgate.localgithub.Model.Repo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhook deliveries: signed like GitHub ({@code X-Hub-Signature-256: sha256=HMAC(secret, body)}), sent one at a
 * time in the order the events happened (a single delivery thread), every attempt recorded so failed ones can be
 * listed and redelivered.
 */
final class Webhooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "local-github-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong ids = new AtomicLong(90000);
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Map<Long, Target> targets = new LinkedHashMap<>();
    private Future<?> last;

    /** Where a delivery went, kept for redelivery. */
    private record Target(String url, String secret) {}

    Webhooks(Clock clock) {
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Queues a delivery of {@code payload} (the installation is added here) to the installation's app. */
    void deliver(Installation i, String event, String action, Repo repo, ObjectNode payload) {
        if (i.app.webhookUrl == null) {
            return;
        }
        if (!event.equals("installation") && !event.equals("installation_repositories")) {
            payload.set("installation", Shapes.installationLite(i));
        }
        String body = Json.write(payload);
        queue(new Delivery(ids.incrementAndGet(), UUID.randomUUID().toString(), event, Optional.ofNullable(action),
                i.id, repo == null ? Optional.empty() : Optional.of(repo.id), body, Map.of(), 0, "queued", false,
                clock.instant(), 0), new Target(i.app.webhookUrl, i.app.webhookSecret), i.app.id);
    }

    private synchronized void queue(Delivery d, Target target, long appId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "*/*");
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "GitHub-Hookshot/local");
        headers.put("X-GitHub-Delivery", d.guid());
        headers.put("X-GitHub-Event", d.event());
        headers.put("X-GitHub-Hook-ID", String.valueOf(appId));
        headers.put("X-GitHub-Hook-Installation-Target-ID", String.valueOf(appId));
        headers.put("X-GitHub-Hook-Installation-Target-Type", "integration");
        if (target.secret() != null) {
            headers.put("X-Hub-Signature", "sha1=" + hmac("HmacSHA1", target.secret(), d.payload()));
            headers.put("X-Hub-Signature-256", "sha256=" + hmac("HmacSHA256", target.secret(), d.payload()));
        }
        Delivery queued = new Delivery(d.id(), d.guid(), d.event(), d.action(), d.installationId(), d.repositoryId(),
                d.payload(), Map.copyOf(headers), 0, "queued", d.redelivery(), d.deliveredAt(), 0);
        int index = deliveries.size();
        deliveries.add(queued);
        targets.put(d.id(), target);
        last = sender.submit(() -> send(index, queued, target, headers));
    }

    private void send(int index, Delivery d, Target target, Map<String, String> headers) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target.url())).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(d.payload(), StandardCharsets.UTF_8));
        headers.forEach((k, v) -> {
            if (!k.equals("Content-Length")) {
                req.header(k, v);
            }
        });
        Instant start = clock.instant();
        int code = 0;
        String status;
        try {
            HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            code = res.statusCode();
            status = code >= 200 && code < 300 ? "OK" : "Invalid HTTP Response: " + code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "interrupted";
        } catch (Exception e) {
            status = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long ms = Duration.between(start, clock.instant()).toMillis();
        if (code < 200 || code >= 300) {
            LOG.warn("webhook delivery failed: event={} delivery={} url={} status={}", d.event(), d.guid(), target.url(),
                    status);
        }
        synchronized (this) {
            deliveries.set(index, new Delivery(d.id(), d.guid(), d.event(), d.action(), d.installationId(),
                    d.repositoryId(), d.payload(), d.headers(), code, status, d.redelivery(), start, ms));
        }
    }

    synchronized List<Delivery> all() {
        return List.copyOf(deliveries);
    }

    synchronized Optional<Delivery> find(long id) {
        return deliveries.stream().filter(d -> d.id() == id).findFirst();
    }

    /** Sends a delivery again with the same guid and payload; returns the new attempt's id. */
    synchronized long redeliver(long id) {
        Delivery d = find(id).orElseThrow(ApiException::notFound);
        Target t = targets.get(id);
        long newId = ids.incrementAndGet();
        long appId = Long.parseLong(d.headers().getOrDefault("X-GitHub-Hook-ID", "0"));
        queue(new Delivery(newId, d.guid(), d.event(), d.action(), d.installationId(), d.repositoryId(), d.payload(),
                Map.of(), 0, "queued", true, clock.instant(), 0), t, appId);
        return newId;
    }

    /** Waits until every queued delivery has been attempted. */
    void awaitIdle(Duration timeout) {
        Future<?> f;
        synchronized (this) {
            f = last;
        }
        if (f == null) {
            return;
        }
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("webhook deliveries did not finish in " + timeout, e);
        }
    }

    static String hmac(String algorithm, String secret, String body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
