package dev.fixgate.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.WebhookSignature;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.localgithub.LocalGitHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A delivery answered 202 is never lost: {@code fixgate serve} runs in a process of its own, 16 clients post signed
 * webhooks at it as fast as it answers, and in the middle of the burst the process is killed with {@code kill -9}
 * (by its PID — no shutdown hook, nothing flushed). Every delivery it had answered 202 must be in the store with
 * its job, on the embedded H2 database as on PostgreSQL (which runs in this JVM and survives the kill). The burst is
 * bounded: 16 clients on loopback, at most 8 seconds.
 */
class DurableIntakeKillTest {

    private static final Secret SECRET = Secret.of(ServeProcess.WEBHOOK_SECRET);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void everyDeliveryAnswered202SurvivesKill9(TestDb kind) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "FIXGATE_GITHUB_APP_ID", "1",
                "FIXGATE_GITHUB_PRIVATE_KEY", LocalGitHub.pem(LocalGitHub.generateAppKey().getPrivate()),
                "FIXGATE_GITHUB_API_URL", "http://127.0.0.1:9"));
        String url;
        if (kind == TestDb.POSTGRESQL) {
            url = TestDb.freshPostgresUrl();
            env.put("FIXGATE_DATABASE_URL", url);
            env.put("FIXGATE_DATABASE_USERNAME", "postgres");
        } else {
            url = Database.embeddedUrl(tmp.resolve("home"));
        }
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch warm = new CountDownLatch(200);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ServeProcess serve = ServeProcess.start(tmp.resolve("home"), env, "-Xmx256m");
        try {
            URI uri = URI.create("http://127.0.0.1:" + serve.port() + "/webhooks/github");
            ExecutorService clients = Executors.newFixedThreadPool(16);
            AtomicInteger next = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            for (int c = 0; c < 16; c++) {
                clients.submit(() -> {
                    while (!stop.get() && System.nanoTime() < deadline) {
                        String id = "kill-" + next.incrementAndGet();
                        byte[] body = ("{\"zen\":\"Keep it logically awesome.\",\"hook_id\":" + id.hashCode() + "}")
                                .getBytes(StandardCharsets.UTF_8);
                        try {
                            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri)
                                    .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", id)
                                    .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body))
                                    .timeout(Duration.ofSeconds(5))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() == 202) {
                                accepted.add(id);
                                warm.countDown();
                            }
                        } catch (Exception e) {
                            refused.incrementAndGet(); // the process is gone: the connection was refused or reset
                        }
                    }
                    return null;
                });
            }
            // Kill it in the middle of the burst, once it has answered a couple of hundred deliveries.
            assertThat(warm.await(60, TimeUnit.SECONDS)).as("serve answered 200 deliveries\n%s", serve.output()).isTrue();
            serve.kill9();
            Thread.sleep(500); // the clients see the refusals
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            serve.close();
        }

        List<String> lost = new ArrayList<>();
        try (Database db = Database.open(url, kind == TestDb.POSTGRESQL ? "postgres" : "", Secret.none(), 2)) {
            WebhookDeliveries deliveries = new WebhookDeliveries(db);
            for (String id : accepted) {
                if (deliveries.find(id).isEmpty()) {
                    lost.add(id);
                }
            }
            // only the deliveries' jobs: serve also queues its schedules at start (the re-assessment of open fixes)
            long jobs = db.withConnection(c -> dev.fixgate.app.store.SqlAccess.count(c,
                    "jobs WHERE kind = '" + dev.fixgate.app.github.WebhookReceiver.JOB_KIND + "'"));
            long stored = db.withConnection(c -> dev.fixgate.app.store.SqlAccess.count(c, "webhook_deliveries"));
            assertThat(jobs).as("every stored delivery has its job").isEqualTo(stored);
        }
        assertThat(accepted).as("deliveries answered 202 before the kill").hasSizeGreaterThanOrEqualTo(200);
        assertThat(refused.get()).as("the clients saw the process die").isPositive();
        assertThat(lost).as("answered 202, then lost to kill -9 (of %d accepted)", accepted.size()).isEmpty();
    }
}
