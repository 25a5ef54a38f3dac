package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.store.WebhookDeliveries.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver without HTTP: what each kind of delivery leaves in the store. */
class WebhookReceiverTest {

    static final Secret SECRET = Secret.of("webhook-secret-for-tests-0123456789");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path home;
    private Database db;
    private WebhookDeliveries deliveries;
    private JobQueue jobs;
    private final AtomicInteger woken = new AtomicInteger();

    @BeforeEach
    void open() {
        db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2);
        deliveries = new WebhookDeliveries(db);
        jobs = new JobQueue(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static byte[] payload(String name) throws IOException {
        try (InputStream in = WebhookReceiverTest.class.getResourceAsStream("/github-webhooks/" + name)) {
            return in.readAllBytes();
        }
    }

    private WebhookReceiver receiver() {
        return new WebhookReceiver(SECRET, deliveries, CLOCK, 5, woken::incrementAndGet);
    }

    @Test
    void aSignedDeliveryIsRecordedAndQueuedOnceWithItsHeadersAndPayload() throws IOException {
        byte[] body = payload("pull_request-opened.json");

        WebhookReceiver.Result first = receiver().receive("pull_request", "d-1", WebhookSignature.sign(SECRET, body), body);
        WebhookReceiver.Result again = receiver().receive("pull_request", "d-1", WebhookSignature.sign(SECRET, body), body);

        assertThat(first).isInstanceOf(WebhookReceiver.Result.Accepted.class);
        assertThat(again).isInstanceOf(WebhookReceiver.Result.Duplicate.class);
        assertThat(woken).hasValue(1);
        long jobId = ((WebhookReceiver.Result.Accepted) first).jobId();
        JobQueue.Job job = jobs.find(jobId).orElseThrow();
        assertThat(job.kind()).isEqualTo(WebhookReceiver.JOB_KIND);
        assertThat(job.maxAttempts()).isEqualTo(5);
        JsonNode envelope = Json.mapper().readTree(job.payload());
        assertThat(envelope.path("delivery_id").asText()).isEqualTo("d-1");
        assertThat(envelope.path("event").asText()).isEqualTo("pull_request");
        assertThat(envelope.path("action").asText()).isEqualTo("opened");
        assertThat(envelope.path("repository").asText()).isEqualTo("Codertocat/Hello-World");
        assertThat(envelope.path("payload")).isEqualTo(Json.mapper().readTree(body));
        assertThat(deliveries.find("d-1")).hasValueSatisfying(d -> {
            assertThat(d.status()).isEqualTo(Status.RECEIVED);
            assertThat(d.payloadSha256()).isEqualTo(WebhookReceiver.sha256(body));
        });
    }

    @Test
    void aBadSignatureIsRefusedAndNothingIsRecorded() throws IOException {
        byte[] body = payload("ping.json");

        WebhookReceiver.Result result = receiver().receive("ping", "d-2", WebhookSignature.sign(Secret.of("wrong"), body), body);

        assertThat(result.status()).isEqualTo(401);
        assertThat(deliveries.find("d-2")).isEmpty();
        assertThat(jobs.counts().get(JobQueue.Status.QUEUED)).isZero();
    }

    @Test
    void withoutAConfiguredSecretNothingVerifies() throws IOException {
        byte[] body = payload("ping.json");
        WebhookReceiver open = new WebhookReceiver(Secret.none(), deliveries, CLOCK);

        assertThat(open.receive("ping", "d-3", WebhookSignature.sign(Secret.of("anything"), body), body).status()).isEqualTo(401);
    }

    @Test
    void malformedHeadersOrBodiesAreBadRequests() {
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        byte[] array = "[1,2]".getBytes(StandardCharsets.UTF_8);

        assertThat(receiver().receive("ping", "d-5", WebhookSignature.sign(SECRET, notJson), notJson).status()).isEqualTo(400);
        assertThat(receiver().receive("ping", "d-6", WebhookSignature.sign(SECRET, array), array).status()).isEqualTo(400);
        assertThat(receiver().receive(null, "d-7", WebhookSignature.sign(SECRET, array), array).status()).isEqualTo(400);
        assertThat(receiver().receive("ping", "../../etc", WebhookSignature.sign(SECRET, array), array).status()).isEqualTo(400);
        assertThat(woken).hasValue(0);
    }

    @Test
    void aStoreFailureIs503() throws IOException {
        byte[] body = payload("ping.json");
        db.close();

        WebhookReceiver.Result result = receiver().receive("ping", "d-8", WebhookSignature.sign(SECRET, body), body);

        assertThat(result.status()).isEqualTo(503);
        assertThat(woken).hasValue(0);
    }
}
