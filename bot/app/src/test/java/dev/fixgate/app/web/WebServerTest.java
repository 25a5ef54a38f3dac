package dev.fixgate.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.github.WebhookSignature;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.WebhookDeliveries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP surface over a real socket, the way GitHub calls it. */
class WebServerTest {

    private static final Secret SECRET = Secret.of("webhook-secret-for-tests-0123456789");

    @TempDir
    Path home;
    private Database db;
    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WebhookReceiver receiver = new WebhookReceiver(SECRET, new WebhookDeliveries(db), Clock.systemUTC());
        FindingsEndpoint findings = new FindingsEndpoint(() -> {
            throw new AssertionError("not used here");
        }, List.of(), 1024);
        server = WebServer.start("127.0.0.1", 0, new WebServer.Routes(db, receiver, findings, metrics, 64 * 1024, () -> true));
    }

    @AfterEach
    void stop() {
        server.close();
        db.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> postWebhook(String event, String delivery, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(WebServer.WEBHOOK_PATH))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acceptsASignedRealPingOnceAndCountsIt() throws Exception {
        byte[] body;
        try (InputStream in = getClass().getResourceAsStream("/github-webhooks/ping.json")) {
            body = in.readAllBytes();
        }
        String signature = WebhookSignature.sign(SECRET, body);

        HttpResponse<String> first = postWebhook("ping", "72d3162e-cc78-11e3-81ab-4c9367dc0958", body, signature);
        HttpResponse<String> again = postWebhook("ping", "72d3162e-cc78-11e3-81ab-4c9367dc0958", body, signature);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("already received");
        String metrics = http.send(HttpRequest.newBuilder(uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("fixgate_webhook_deliveries_total{outcome=\"accepted\"} 1.0")
                .contains("fixgate_webhook_deliveries_total{outcome=\"duplicate\"} 1.0");
    }

    @Test
    void refusesUnsignedAndOversizedDeliveries() throws Exception {
        assertThat(postWebhook("ping", "d-1", "{}".getBytes(), null).statusCode()).isEqualTo(401);
        byte[] big = ("{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes();
        assertThat(postWebhook("ping", "d-2", big, WebhookSignature.sign(SECRET, big)).statusCode()).isEqualTo(413);
    }

    /**
     * A refusal sent while the client is still writing is lost when the server closes a socket with unread bytes
     * (the client sees a reset, not a 413). Repeated, with bodies from just over the limit to megabytes, because
     * that loss is a race: one lucky request proves nothing.
     */
    @Test
    void theRefusalOfAnOversizedBodyReachesTheClientEveryTime() throws Exception {
        for (int i = 0; i < 30; i++) {
            int size = 65 * 1024 + i * 97 * 1024;
            byte[] big = ("{\"pad\":\"" + "x".repeat(size) + "\"}").getBytes();
            HttpResponse<String> refused = postWebhook("ping", "d-big-" + i, big, WebhookSignature.sign(SECRET, big));
            assertThat(refused.statusCode()).as("attempt %d, %d bytes", i, big.length).isEqualTo(413);
            assertThat(refused.body()).contains("payload larger than");
        }
        // And the server still answers the next request normally.
        assertThat(postWebhook("ping", "d-after", "{}".getBytes(), null).statusCode()).isEqualTo(401);
    }

    /**
     * GitHub's own limit: 25 MB. A signed 26 MiB post with a Content-Length is refused by that length before a byte
     * is read, and the 413 reaches the client (the body is drained into a small buffer, not reset).
     */
    @Test
    void aSigned26MiBPostGetsTheDocumented413NotAConnectionReset() throws Exception {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WebhookReceiver receiver = new WebhookReceiver(SECRET, new WebhookDeliveries(db), Clock.systemUTC());
        try (WebServer real = WebServer.start("127.0.0.1", 0, new WebServer.Routes(db, receiver,
                new FindingsEndpoint(() -> null, List.of(), 1024), metrics, WebhookReceiver.DEFAULT_MAX_BYTES,
                () -> true))) {
            byte[] big = new byte[26 << 20];
            java.util.Arrays.fill(big, (byte) 'x');
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + real.port() + WebServer.WEBHOOK_PATH))
                    .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", "d-26mib")
                    .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, big))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(refused.statusCode()).isEqualTo(413);
            assertThat(refused.body()).contains("payload larger than 26214400 bytes");
        }
    }

    /** An unsigned post is answered at once, from its headers: the server does not wait for (or read) its body. */
    @Test
    void anUnsignedPostIsRefusedBeforeItsBodyIsSent() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + WebServer.WEBHOOK_PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-GitHub-Event: ping\r\nX-GitHub-Delivery: d-unsigned\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 25000000\r\n\r\n{\"zen\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 401 Unauthorized");
        }
    }

    @Test
    void livenessFailsWhenTheWorkersCannotRun() throws Exception {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WebhookReceiver receiver = new WebhookReceiver(SECRET, new WebhookDeliveries(db), Clock.systemUTC());
        try (WebServer dead = WebServer.start("127.0.0.1", 0, new WebServer.Routes(db, receiver,
                new FindingsEndpoint(() -> null, List.of(), 1024), metrics, 1024, () -> false, () -> false))) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + dead.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"workers\":\"cannot run\"");
        }
    }

    @Test
    void livenessIsTheProcessAndReadinessTheDatabase() throws Exception {
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"status\":\"ok\"}");
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(uri("/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"database\":\"ok\",\"status\":\"ready\",\"workers\":\"running\"}");

        db.close();
        assertThat(http.send(HttpRequest.newBuilder(uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(uri("/readyz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(503);
    }
}
