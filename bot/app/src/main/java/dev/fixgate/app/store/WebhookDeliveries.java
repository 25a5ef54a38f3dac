package dev.fixgate.app.store;

import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Webhook deliveries by {@code X-GitHub-Delivery} id. GitHub redelivers on timeouts and users redeliver by
 * hand; recording a delivery before processing it is what makes processing happen once.
 */
public final class WebhookDeliveries {

    public enum Status { RECEIVED, PROCESSED, FAILED, IGNORED }

    public record Delivery(String deliveryId, String event, String action, long installationId, String repository,
                           String payloadSha256, Status status, String error, Instant receivedAt) {
        public Delivery {
            Objects.requireNonNull(deliveryId, "deliveryId");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(payloadSha256, "payloadSha256");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }
    }

    private final Database db;

    public WebhookDeliveries(Database db) {
        this.db = db;
    }

    /** Records a delivery as RECEIVED; false when this delivery id was recorded before (a redelivery). */
    public boolean recordIfNew(Delivery d) {
        return db.withConnection(c -> {
            try {
                Sql.update(c, """
                        INSERT INTO webhook_deliveries (delivery_id, event, action, installation_id, repository,
                            payload_sha256, status, error, received_at, processed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        d.deliveryId(), d.event(), d.action(), d.installationId(), d.repository(), d.payloadSha256(),
                        Status.RECEIVED, "", d.receivedAt(), Sql.nullOf(Types.TIMESTAMP_WITH_TIMEZONE));
                return true;
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    public void finish(String deliveryId, Status status, String error, Instant at) {
        db.withConnection(c -> Sql.update(c,
                "UPDATE webhook_deliveries SET status = ?, error = ?, processed_at = ? WHERE delivery_id = ?",
                status, truncate(error), at, deliveryId));
    }

    public Optional<Delivery> find(String deliveryId) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT * FROM webhook_deliveries WHERE delivery_id = ?",
                rs -> new Delivery(rs.getString("delivery_id"), rs.getString("event"), rs.getString("action"),
                        rs.getLong("installation_id"), rs.getString("repository"), rs.getString("payload_sha256"),
                        Status.valueOf(rs.getString("status")), rs.getString("error"), Sql.instant(rs, "received_at")),
                deliveryId));
    }

    static String truncate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 1999) + "…";
    }
}
