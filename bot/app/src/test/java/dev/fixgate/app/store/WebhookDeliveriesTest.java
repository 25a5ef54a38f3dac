package dev.fixgate.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.store.WebhookDeliveries.Delivery;
import dev.fixgate.app.store.WebhookDeliveries.Status;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebhookDeliveriesTest {

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aRedeliveryIsRecognised(TestDb kind) {
        try (Database db = kind.fresh()) {
            WebhookDeliveries deliveries = new WebhookDeliveries(db);
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            Delivery d = new Delivery("72d3162e-cc78-11e3-81ab-4c9367dc0958", "pull_request", "opened", 42,
                    "acme/infra", "f".repeat(64), Status.RECEIVED, "", now);

            assertThat(deliveries.recordIfNew(d)).isTrue();
            assertThat(deliveries.recordIfNew(d)).isFalse();

            deliveries.finish(d.deliveryId(), Status.FAILED, "x".repeat(5000), now.plusSeconds(1));
            assertThat(deliveries.find(d.deliveryId())).hasValueSatisfying(stored -> {
                assertThat(stored.status()).isEqualTo(Status.FAILED);
                assertThat(stored.error()).hasSize(2000).endsWith("…");
                assertThat(stored.installationId()).isEqualTo(42);
                assertThat(stored.receivedAt()).isEqualTo(now);
            });
            assertThat(deliveries.find("nope")).isEmpty();
        }
    }
}
