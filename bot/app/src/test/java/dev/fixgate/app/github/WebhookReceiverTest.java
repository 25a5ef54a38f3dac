package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.store.WebhookDeliveries.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
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

    @Test
    void fieldsLongerThanTheirColumnsAreBadRequestsNamingThePlaceNot503() {
        byte[] longAction = ("{\"action\":\"" + "a".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] longRepo = ("{\"action\":\"opened\",\"repository\":{\"full_name\":\"acme/" + "r".repeat(297) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);

        WebhookReceiver.Result action = receiver().receive("issues", "d-9", WebhookSignature.sign(SECRET, longAction), longAction);
        WebhookReceiver.Result repo = receiver().receive("issues", "d-10", WebhookSignature.sign(SECRET, longRepo), longRepo);

        assertThat(action.status()).isEqualTo(400);
        assertThat(action.message()).isEqualTo("action is longer than 64 characters (at /action)");
        assertThat(repo.status()).isEqualTo(400);
        assertThat(repo.message()).contains("(at /repository/full_name)");
        assertThat(deliveries.find("d-9")).isEmpty();
    }

    @Test
    void fromAStreamTheSignatureIsCheckedAsTheBodyArrives() throws IOException {
        byte[] body = payload("pull_request-opened.json");
        String signature = WebhookSignature.sign(SECRET, body);

        WebhookReceiver.Result declared = receiver().receive("pull_request", "d-11", signature,
                new ByteArrayInputStream(body), body.length);
        WebhookReceiver.Result chunked = receiver().receive("pull_request", "d-12", signature,
                new ByteArrayInputStream(body), -1);
        WebhookReceiver.Result forged = receiver().receive("pull_request", "d-13", signature,
                new ByteArrayInputStream(Arrays.copyOf(body, body.length - 1)), -1);

        assertThat(declared.status()).isEqualTo(202);
        assertThat(chunked.status()).isEqualTo(202);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(deliveries.find("d-11")).hasValueSatisfying(d -> assertThat(d.payloadSha256())
                .isEqualTo(WebhookReceiver.sha256(body)));
    }

    @Test
    void aMissingOrMalformedSignatureIsRefusedWithoutReadingTheBody() {
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("an unsigned body must not be read");
            }
        };

        assertThat(receiver().receive("ping", "d-14", null, untouchable, 24L << 20).status()).isEqualTo(401);
        assertThat(receiver().receive("ping", "d-15", "sha256=nothex", untouchable, 24L << 20).status()).isEqualTo(401);
        assertThat(receiver().receive("ping", "d-16", "sha1=" + "0".repeat(40), untouchable, -1).status()).isEqualTo(401);
    }

    @Test
    void unverifiedBytesHeldAtOnceNeverExceedTheBudget() throws Exception {
        PreAuthBytes budget = new PreAuthBytes(1 << 20);
        WebhookReceiver receiver = new WebhookReceiver(SECRET, deliveries, CLOCK, 5, () -> { }, 25L << 20, budget);
        byte[] body = new byte[768 * 1024];
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        // A slow client: half its body, then it stalls, holding its share of the budget.
        InputStream slow = new InputStream() {
            int at;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at == body.length / 2) {
                    reading.countDown();
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                if (at == body.length) {
                    return -1;
                }
                int n = Math.min(len, (at < body.length / 2 ? body.length / 2 : body.length) - at);
                at += n;
                return n;
            }
        };
        String wrong = "sha256=" + "0".repeat(64);
        var first = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> receiver.receive("ping", "d-17", wrong, slow, body.length));
        reading.await();

        WebhookReceiver.Result refused = receiver.receive("ping", "d-18", wrong, new ByteArrayInputStream(body), body.length);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.message()).contains("too many unverified webhook bytes");
        assertThat(budget.available()).isEqualTo((1 << 20) - body.length);
        finish.countDown();
        assertThat(first.get().status()).isEqualTo(401);
        assertThat(budget.available()).isEqualTo(1 << 20);
    }
}
