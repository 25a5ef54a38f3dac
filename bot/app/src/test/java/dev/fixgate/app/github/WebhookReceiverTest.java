package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.store.WebhookDeliveries.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookReceiverTest {

    static final Secret SECRET = Secret.of("webhook-secret-for-tests-0123456789");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path home;
    private Database db;
    private WebhookDeliveries deliveries;

    @BeforeEach
    void open() {
        db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2);
        deliveries = new WebhookDeliveries(db);
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

    @Test
    void aSignedDeliveryIsRecordedOnceAndRoutedToItsHandler() throws IOException {
        byte[] body = payload("pull_request-opened.json");
        List<String> handled = new ArrayList<>();
        WebhookReceiver receiver = new WebhookReceiver(SECRET, deliveries,
                Map.of("pull_request", (event, action, json) -> handled.add(action + " #" + json.path("number").asInt())), CLOCK);

        WebhookReceiver.Result first = receiver.receive("pull_request", "d-1", WebhookSignature.sign(SECRET, body), body);
        WebhookReceiver.Result again = receiver.receive("pull_request", "d-1", WebhookSignature.sign(SECRET, body), body);

        assertThat(first).isInstanceOf(WebhookReceiver.Result.Accepted.class);
        assertThat(again).isInstanceOf(WebhookReceiver.Result.Duplicate.class);
        assertThat(handled).containsExactly("opened #2");
        assertThat(deliveries.find("d-1")).hasValueSatisfying(d -> {
            assertThat(d.status()).isEqualTo(Status.PROCESSED);
            assertThat(d.action()).isEqualTo("opened");
            assertThat(d.repository()).isEqualTo("Codertocat/Hello-World");
        });
    }

    @Test
    void aBadSignatureIsRefusedAndNothingIsRecorded() throws IOException {
        byte[] body = payload("ping.json");
        WebhookReceiver receiver = new WebhookReceiver(SECRET, deliveries, Map.of(), CLOCK);

        WebhookReceiver.Result result = receiver.receive("ping", "d-2", WebhookSignature.sign(Secret.of("wrong"), body), body);

        assertThat(result.status()).isEqualTo(401);
        assertThat(deliveries.find("d-2")).isEmpty();
    }

    @Test
    void eventsWithoutAHandlerAreRecordedAsIgnored() throws IOException {
        byte[] body = payload("ping.json");
        WebhookReceiver receiver = new WebhookReceiver(SECRET, deliveries, Map.of(), CLOCK);

        assertThat(receiver.receive("ping", "d-3", WebhookSignature.sign(SECRET, body), body).status()).isEqualTo(202);
        assertThat(deliveries.find("d-3")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.IGNORED));
    }

    @Test
    void aFailingHandlerMarksTheDeliveryFailed() throws IOException {
        byte[] body = payload("ping.json");
        WebhookReceiver.Handler boom = (e, a, json) -> {
            throw new IllegalStateException("boom");
        };
        WebhookReceiver receiver = new WebhookReceiver(SECRET, deliveries, Map.of("ping", boom), CLOCK);

        assertThat(receiver.receive("ping", "d-4", WebhookSignature.sign(SECRET, body), body).status()).isEqualTo(500);
        assertThat(deliveries.find("d-4")).hasValueSatisfying(d -> {
            assertThat(d.status()).isEqualTo(Status.FAILED);
            assertThat(d.error()).contains("boom");
        });
    }

    @Test
    void malformedHeadersOrBodiesAreBadRequests() {
        WebhookReceiver receiver = new WebhookReceiver(SECRET, deliveries, Map.of(), CLOCK);
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        byte[] array = "[1,2]".getBytes(StandardCharsets.UTF_8);

        assertThat(receiver.receive("ping", "d-5", WebhookSignature.sign(SECRET, notJson), notJson).status()).isEqualTo(400);
        assertThat(receiver.receive("ping", "d-6", WebhookSignature.sign(SECRET, array), array).status()).isEqualTo(400);
        assertThat(receiver.receive(null, "d-7", WebhookSignature.sign(SECRET, array), array).status()).isEqualTo(400);
        assertThat(receiver.receive("ping", "../../etc", WebhookSignature.sign(SECRET, array), array).status()).isEqualTo(400);
    }
}
