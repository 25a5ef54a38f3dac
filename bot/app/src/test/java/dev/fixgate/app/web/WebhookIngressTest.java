package dev.fixgate.app.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.WebhookDispatcher;
import dev.fixgate.app.github.WebhookEvent;
import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.github.WebhookSignature;
import dev.fixgate.app.jobs.JobWorkers;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Status;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.app.store.WebhookDeliveries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code POST /webhooks/github} over a real socket, the way GitHub calls it, on both databases: what is answered
 * and — just as important — what is (not) stored. Payloads are real GitHub examples (see
 * src/test/resources/github-webhooks/SOURCE.txt).
 */
class WebhookIngressTest {

    private static final Secret SECRET = Secret.of("webhook-secret-for-tests-0123456789");
    private static final long LIMIT = 64 * 1024;

    private Database db;
    private WebServer server;
    private JobWorkers workers;
    private final AtomicBoolean workersUp = new AtomicBoolean(true);
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(TestDb kind) {
        db = kind.fresh();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WebhookReceiver receiver = new WebhookReceiver(SECRET, new WebhookDeliveries(db), Clock.systemUTC());
        FindingsEndpoint findings = new FindingsEndpoint(() -> {
            throw new AssertionError("not used here");
        }, List.of(), 1024);
        server = WebServer.start("127.0.0.1", 0, new WebServer.Routes(db, receiver, findings, metrics, LIMIT,
                () -> workersUp.get() && (workers == null || workers.running())));
    }

    @AfterEach
    void stop() {
        if (workers != null) {
            workers.close();
        }
        server.close();
        db.close();
    }

    private static byte[] payload(String name) throws IOException {
        try (InputStream in = WebhookIngressTest.class.getResourceAsStream("/github-webhooks/" + name)) {
            return in.readAllBytes();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> post(String event, String delivery, HttpRequest.BodyPublisher body, String signature)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(WebServer.WEBHOOK_PATH))
                .header("Content-Type", "application/json")
                .header("User-Agent", "GitHub-Hookshot/test")
                .POST(body);
        if (event != null) {
            request.header("X-GitHub-Event", event);
        }
        if (delivery != null) {
            request.header("X-GitHub-Delivery", delivery);
        }
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String event, String delivery, byte[] body) throws Exception {
        return post(event, delivery, HttpRequest.BodyPublishers.ofByteArray(body), WebhookSignature.sign(SECRET, body));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long jobs() {
        return new JobQueue(db).counts().values().stream().mapToLong(Long::longValue).sum();
    }

    private boolean recorded(String delivery) {
        return new WebhookDeliveries(db).find(delivery).isPresent();
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void realDeliveriesAreQueuedExactlyOnceEach(TestDb kind) throws Exception {
        start(kind);
        String[][] deliveries = {
                {"pull_request", "pull_request-opened.json", "opened"},
                {"issue_comment", "issue_comment-created.json", "created"},
                {"installation", "installation-created.json", "created"},
                {"push", "push.json", ""},
                {"check_suite", "check_suite-requested.json", "requested"}};
        int n = 0;
        for (String[] d : deliveries) {
            String id = "4f6c3c10-0000-11ef-8000-00000000000" + n++;
            long started = System.nanoTime();
            HttpResponse<String> r = post(d[0], id, payload(d[1]));
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertThat(r.statusCode()).as(d[1]).isEqualTo(202);
            assertThat(r.body()).contains("queued");
            assertThat(millis).as("answered without doing the work").isLessThan(2_000);
            assertThat(new WebhookDeliveries(db).find(id)).hasValueSatisfying(stored -> {
                assertThat(stored.event()).isEqualTo(d[0]);
                assertThat(stored.action()).isEqualTo(d[2]);
            });
        }
        List<JobQueue.Job> queued = new JobQueue(db).list(Optional.of(Status.QUEUED), 100);
        assertThat(queued).hasSize(deliveries.length).allSatisfy(j -> assertThat(j.kind()).isEqualTo(WebhookReceiver.JOB_KIND));
        assertThat(jobs()).isEqualTo(deliveries.length);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aReplayedDeliveryAnswers200AndQueuesNothing(TestDb kind) throws Exception {
        start(kind);
        byte[] body = payload("pull_request-opened.json");

        assertThat(post("pull_request", "d-replay", body).statusCode()).isEqualTo(202);
        HttpResponse<String> replay = post("pull_request", "d-replay", body);

        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("already received");
        assertThat(jobs()).isEqualTo(1);
        assertThat(get("/metrics").body()).contains("fixgate_webhook_deliveries_total{outcome=\"accepted\"} 1.0")
                .contains("fixgate_webhook_deliveries_total{outcome=\"duplicate\"} 1.0");
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void forgedOrMissingSignaturesAre401AndStoreNothing(TestDb kind) throws Exception {
        start(kind);
        byte[] body = payload("issue_comment-created.json");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("Codertocat", "Attacker").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> wrongKey = post("issue_comment", "d-forged-1", HttpRequest.BodyPublishers.ofByteArray(body),
                WebhookSignature.sign(Secret.of("not-the-secret-0123456789abcdef"), body));
        HttpResponse<String> bodyChanged = post("issue_comment", "d-forged-2",
                HttpRequest.BodyPublishers.ofByteArray(tampered), WebhookSignature.sign(SECRET, body));
        HttpResponse<String> unsigned = post("issue_comment", "d-forged-3", HttpRequest.BodyPublishers.ofByteArray(body), null);
        HttpResponse<String> sha1Only = post("issue_comment", "d-forged-4", HttpRequest.BodyPublishers.ofByteArray(body),
                "sha1=0123456789abcdef0123456789abcdef01234567");

        assertThat(List.of(wrongKey, bodyChanged, unsigned, sha1Only)).extracting(HttpResponse::statusCode)
                .containsOnly(401);
        assertThat(jobs()).isZero();
        assertThat(List.of("d-forged-1", "d-forged-2", "d-forged-3", "d-forged-4")).noneMatch(this::recorded);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void oversizedBodiesAre413AndStoreNothingWithOrWithoutAContentLength(TestDb kind) throws Exception {
        start(kind);
        byte[] big = ("{\"zen\":\"" + "x".repeat((int) LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign(SECRET, big);

        HttpResponse<String> declared = post("ping", "d-big-1", HttpRequest.BodyPublishers.ofByteArray(big), signature);
        // No Content-Length: the body is streamed chunked and must be cut off while reading.
        HttpResponse<String> chunked = post("ping", "d-big-2",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)), signature);

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(jobs()).isZero();
        assertThat(recorded("d-big-1") || recorded("d-big-2")).isFalse();

        // Exactly at the limit is still accepted.
        byte[] atLimit = ("{\"zen\":\"" + "x".repeat((int) LIMIT - 10) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(atLimit).hasSize((int) LIMIT);
        assertThat(post("ping", "d-at-limit", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(atLimit)),
                WebhookSignature.sign(SECRET, atLimit)).statusCode()).isEqualTo(202);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void malformedPayloadsAndMissingHeadersAre400AndStoreNothing(TestDb kind) throws Exception {
        start(kind);
        byte[] truncated = new String(payload("push.json"), StandardCharsets.UTF_8).substring(0, 500).getBytes(StandardCharsets.UTF_8);
        byte[] array = "[{\"action\":\"opened\"}]".getBytes(StandardCharsets.UTF_8);
        byte[] ping = payload("ping.json");

        assertThat(post("push", "d-bad-1", truncated).statusCode()).isEqualTo(400);
        assertThat(post("push", "d-bad-2", array).statusCode()).isEqualTo(400);
        HttpResponse<String> noEvent = post(null, "d-bad-3", HttpRequest.BodyPublishers.ofByteArray(ping),
                WebhookSignature.sign(SECRET, ping));
        HttpResponse<String> noDelivery = post("ping", null, HttpRequest.BodyPublishers.ofByteArray(ping),
                WebhookSignature.sign(SECRET, ping));
        HttpResponse<String> badEvent = post("ping; drop", "d-bad-5", HttpRequest.BodyPublishers.ofByteArray(ping),
                WebhookSignature.sign(SECRET, ping));

        assertThat(List.of(noEvent, noDelivery, badEvent)).extracting(HttpResponse::statusCode).containsOnly(400);
        assertThat(noEvent.body()).contains("X-GitHub-Event");
        assertThat(jobs()).isZero();
        assertThat(List.of("d-bad-1", "d-bad-2", "d-bad-3", "d-bad-5")).noneMatch(this::recorded);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void whenTheDatabaseIsDownTheDeliveryIsRefusedWith503SoItCanBeRedelivered(TestDb kind) throws Exception {
        start(kind);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        db.close();

        HttpResponse<String> r = post("pull_request", "d-down", payload("pull_request-opened.json"));

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("could not be stored");
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        assertThat(get("/readyz").body()).contains("database unreachable");
        assertThat(get("/healthz").statusCode()).as("liveness does not depend on the database").isEqualTo(200);
        db = kind.fresh(); // for stop()
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void readinessNeedsRunningWorkers(TestDb kind) throws Exception {
        start(kind);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").body()).contains("\"workers\":\"running\"");
        workersUp.set(false);
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        assertThat(get("/readyz").body()).contains("\"workers\":\"not running\"");
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aQueuedDeliveryIsRunByTheWorkersAndMarkedProcessed(TestDb kind) throws Exception {
        start(kind);
        List<WebhookEvent> seen = new CopyOnWriteArrayList<>();
        WebhookDeliveries deliveries = new WebhookDeliveries(db);
        workers = JobWorkers.builder(new JobQueue(db))
                .settings(WorkerSettings.defaults(2).withPollInterval(Duration.ofMillis(50)))
                .register(WebhookDispatcher.builder(deliveries, Clock.systemUTC()).on("issue_comment", seen::add).build())
                .build().start();

        assertThat(post("issue_comment", "d-run", payload("issue_comment-created.json")).statusCode()).isEqualTo(202);
        assertThat(post("ping", "d-ignored", payload("ping.json")).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> new JobQueue(db).counts().get(Status.DONE) == 2);
        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(e.deliveryId()).isEqualTo("d-run");
            assertThat(e.action()).isEqualTo("created");
            assertThat(e.repository()).isEqualTo("Codertocat/Hello-World");
            assertThat(e.payload().path("comment").path("body").asText()).isEqualTo("You are totally right! I'll get this fixed right away.");
        });
        assertThat(deliveries.find("d-run")).hasValueSatisfying(d ->
                assertThat(d.status()).isEqualTo(WebhookDeliveries.Status.PROCESSED));
        assertThat(deliveries.find("d-ignored")).hasValueSatisfying(d ->
                assertThat(d.status()).isEqualTo(WebhookDeliveries.Status.IGNORED));
    }
}
