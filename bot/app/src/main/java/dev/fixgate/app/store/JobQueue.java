package dev.fixgate.app.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A durable job queue on the database, portable across H2 and PostgreSQL: a worker claims a job with a
 * conditional UPDATE (only one worker's UPDATE matches a QUEUED row), so no dialect-specific locking is needed.
 * Failed jobs are retried with exponential backoff until {@code max_attempts}, then parked as DEAD.
 */
public final class JobQueue {

    public enum Status { QUEUED, RUNNING, DONE, DEAD }

    public record Job(long id, String kind, String payload, Status status, int attempts, int maxAttempts,
                      Instant runAfter, String lastError) {
        public Job {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(runAfter, "runAfter");
            Objects.requireNonNull(lastError, "lastError");
        }
    }

    static final Duration BASE_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final Database db;

    public JobQueue(Database db) {
        this.db = db;
    }

    /**
     * Queues a job. With a dedupe key, a job whose key is already pending (queued or running) is not queued
     * again and the pending job's id is returned.
     */
    public long enqueue(String kind, String payload, Optional<String> dedupeKey, int maxAttempts, Instant runAfter) {
        return db.inTransaction(c -> {
            if (dedupeKey.isPresent()) {
                Optional<Long> pending = Sql.queryOne(c, "SELECT id FROM jobs WHERE dedupe_key = ?",
                        rs -> rs.getLong(1), dedupeKey.get());
                if (pending.isPresent()) {
                    return pending.get();
                }
            }
            Instant now = Instant.now();
            return Sql.insert(c, """
                    INSERT INTO jobs (kind, payload, dedupe_key, status, attempts, max_attempts, run_after,
                        locked_by, locked_at, last_error, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, '', ?, ?)""", "id",
                    kind, payload, dedupeKey.<Object>map(k -> k).orElse(Sql.nullOf(Types.VARCHAR)), Status.QUEUED,
                    maxAttempts, runAfter, Sql.nullOf(Types.VARCHAR), Sql.nullOf(Types.TIMESTAMP_WITH_TIMEZONE), now, now);
        });
    }

    /** Claims the oldest job that is due, for {@code worker}; empty when none is due. */
    public Optional<Job> claim(String worker, Instant now) {
        // A few rounds: another worker may win the race for the first candidates.
        for (int round = 0; round < 5; round++) {
            List<Long> candidates = db.withConnection(c -> Sql.query(c,
                    "SELECT id FROM jobs WHERE status = ? AND run_after <= ? ORDER BY run_after, id FETCH FIRST 5 ROWS ONLY",
                    rs -> rs.getLong(1), Status.QUEUED, now));
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            for (long id : candidates) {
                int won = db.withConnection(c -> Sql.update(c, """
                        UPDATE jobs SET status = ?, attempts = attempts + 1, locked_by = ?, locked_at = ?, updated_at = ?
                        WHERE id = ? AND status = ?""", Status.RUNNING, worker, now, now, id, Status.QUEUED));
                if (won == 1) {
                    return find(id);
                }
            }
        }
        return Optional.empty();
    }

    public void complete(long id, Instant now) {
        db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET status = ?, dedupe_key = NULL, locked_by = NULL, locked_at = NULL, updated_at = ?
                WHERE id = ?""", Status.DONE, now, id));
    }

    /** Records a failure: the job is retried after a backoff, or parked as DEAD after its last attempt. */
    public Status fail(long id, String error, Instant now) {
        return db.inTransaction(c -> {
            Job job = Sql.queryOne(c, "SELECT * FROM jobs WHERE id = ?", JobQueue::row, id)
                    .orElseThrow(() -> new SQLException("no job " + id));
            boolean dead = job.attempts() >= job.maxAttempts();
            Status next = dead ? Status.DEAD : Status.QUEUED;
            Sql.update(c, """
                    UPDATE jobs SET status = ?, run_after = ?, last_error = ?, locked_by = NULL, locked_at = NULL,
                        dedupe_key = CASE WHEN ? THEN NULL ELSE dedupe_key END, updated_at = ?
                    WHERE id = ?""", next, dead ? now : now.plus(backoff(job.attempts())),
                    WebhookDeliveries.truncate(error), dead, now, id);
            return next;
        });
    }

    /** Requeues jobs whose worker has held them longer than {@code timeout} (it crashed or was killed). */
    public int releaseStale(Duration timeout, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET status = ?, locked_by = NULL, locked_at = NULL, updated_at = ?
                WHERE status = ? AND locked_at < ?""", Status.QUEUED, now, Status.RUNNING, now.minus(timeout)));
    }

    public Optional<Job> find(long id) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT * FROM jobs WHERE id = ?", JobQueue::row, id));
    }

    /** 30 s, 60 s, 120 s, … capped at one hour. */
    static Duration backoff(int attempts) {
        int exponent = Math.max(0, Math.min(attempts - 1, 20));
        Duration d = BASE_BACKOFF.multipliedBy(1L << exponent);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private static Job row(ResultSet rs) throws SQLException {
        return new Job(rs.getLong("id"), rs.getString("kind"), rs.getString("payload"),
                Status.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getInt("max_attempts"),
                Sql.instant(rs, "run_after"), rs.getString("last_error"));
    }
}
