package dev.fixgate.app.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Webhook deliveries by {@code X-GitHub-Delivery} id. GitHub redelivers on timeouts and users redeliver by
 * hand; recording a delivery before processing it is what makes processing happen once.
 */
public final class WebhookDeliveries {

    /**
     * RECEIVED: stored with its job queued; PROCESSED / IGNORED: the job ran (ignored = no handler for the event);
     * FAILED: the last attempt failed (the job may still be retried, see {@code fixgate jobs list}).
     */
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
                insert(c, d);
                return true;
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    private static void insert(Connection c, Delivery d) throws SQLException {
        Sql.update(c, """
                INSERT INTO webhook_deliveries (delivery_id, event, action, installation_id, repository,
                    payload_sha256, status, error, received_at, processed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                d.deliveryId(), d.event(), d.action(), d.installationId(), d.repository(), d.payloadSha256(),
                Status.RECEIVED, "", d.receivedAt(), Sql.nullOf(Types.TIMESTAMP_WITH_TIMEZONE));
    }

    /**
     * Records a delivery as RECEIVED and queues its job in one transaction: both are stored or neither is, so a
     * delivery that was answered as accepted always has its job, and one that failed to store can be redelivered.
     *
     * @return the id of the queued job; empty when this delivery id was recorded before (a redelivery), in which
     *         case nothing is written
     */
    public Optional<Long> recordWithJob(Delivery d, String jobKind, String jobPayload, int maxAttempts) {
        return db.inTransaction(c -> {
            try {
                insert(c, d);
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) {
                    // PostgreSQL has aborted the transaction; roll it back so the (empty) commit that follows is clean.
                    c.rollback();
                    return Optional.empty();
                }
                throw e;
            }
            return Optional.of(JobQueue.insert(c, jobKind, jobPayload, Optional.of("github-delivery:" + d.deliveryId()),
                    maxAttempts, d.receivedAt(), d.receivedAt()));
        });
    }

    /** The newest deliveries first. */
    public List<Delivery> recent(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return db.withConnection(c -> Sql.query(c,
                "SELECT * FROM webhook_deliveries ORDER BY received_at DESC, delivery_id FETCH FIRST " + limit + " ROWS ONLY",
                WebhookDeliveries::row));
    }

    public void finish(String deliveryId, Status status, String error, Instant at) {
        db.withConnection(c -> Sql.update(c,
                "UPDATE webhook_deliveries SET status = ?, error = ?, processed_at = ? WHERE delivery_id = ?",
                status, truncate(error), at, deliveryId));
    }

    public Optional<Delivery> find(String deliveryId) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT * FROM webhook_deliveries WHERE delivery_id = ?",
                WebhookDeliveries::row, deliveryId));
    }

    private static Delivery row(ResultSet rs) throws SQLException {
        return new Delivery(rs.getString("delivery_id"), rs.getString("event"), rs.getString("action"),
                rs.getLong("installation_id"), rs.getString("repository"), rs.getString("payload_sha256"),
                Status.valueOf(rs.getString("status")), rs.getString("error"), Sql.instant(rs, "received_at"));
    }

    static String truncate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 1999) + "…";
    }
}
