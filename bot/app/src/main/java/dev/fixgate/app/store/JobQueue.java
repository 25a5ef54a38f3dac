package dev.fixgate.app.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A durable job queue on the database, shared by every fixgate process that uses it. On PostgreSQL a worker claims
 * the oldest due job with {@code FOR UPDATE SKIP LOCKED} in one statement, so replicas never queue behind each
 * other's row locks and never take the same job; on H2 (one process, or a second one through AUTO_SERVER) with a
 * conditional UPDATE (only one worker's UPDATE matches a QUEUED row). Failed jobs are retried with exponential
 * backoff until {@code max_attempts}, then parked as DEAD.
 *
 * <p>Leases ({@code locked_at}, heartbeats, taking back a crashed worker's jobs) are meant to be timed by the
 * database's clock, not each host's: the workers pass {@link #databaseNow()} (see {@code JobWorkers}), so replicas
 * whose clocks disagree still agree on whose lease has run out.
 */
public final class JobQueue {

    public enum Status { QUEUED, RUNNING, DONE, DEAD }

    /** @param lockedBy the worker holding a RUNNING job, else empty */
    public record Job(long id, String kind, String payload, Status status, int attempts, int maxAttempts,
                      Instant runAfter, String lastError, String lockedBy, Instant createdAt, Instant updatedAt) {
        public Job {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(runAfter, "runAfter");
            Objects.requireNonNull(lastError, "lastError");
            Objects.requireNonNull(lockedBy, "lockedBy");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }
    }

    static final Duration BASE_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final Database db;
    /**
     * Jobs completed by their handler in the transaction of its last write ({@link #completeIn}): the pool's
     * {@link #complete(long, String, Instant)} that follows finds them here and writes nothing more.
     */
    private final Set<Long> completedAhead = ConcurrentHashMap.newKeySet();

    public JobQueue(Database db) {
        this.db = db;
    }

    /**
     * Queues a job. With a dedupe key, a job whose key is already pending (queued or running) is not queued
     * again and the pending job's id is returned.
     */
    public long enqueue(String kind, String payload, Optional<String> dedupeKey, int maxAttempts, Instant runAfter) {
        return db.inTransaction(c -> insert(c, kind, payload, dedupeKey, maxAttempts, runAfter, Instant.now()));
    }

    /**
     * {@link #enqueue} on a connection the caller controls, so a job can be queued in the same transaction as
     * the record that asks for it (a webhook delivery and its job are stored together or not at all).
     */
    static long insert(Connection c, String kind, String payload, Optional<String> dedupeKey, int maxAttempts,
                       Instant runAfter, Instant now) throws SQLException {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Object[] row = row(kind, payload, dedupeKey.orElse(null), maxAttempts, runAfter, now);
        if (dedupeKey.isEmpty()) {
            return Sql.insert(c, INSERT, "id", row);
        }
        // Another process may queue the same work at the same moment: the insert yields to the unique key instead of
        // failing (ON CONFLICT DO NOTHING, which does not abort the transaction), and the pending job is returned.
        for (int round = 0; round < 5; round++) {
            Optional<Long> pending = Sql.queryOne(c, "SELECT id FROM jobs WHERE dedupe_key = ?",
                    rs -> rs.getLong(1), dedupeKey.get());
            if (pending.isPresent()) {
                return pending.get();
            }
            Optional<Long> inserted = Sql.insertIfAbsent(c, INSERT + " ON CONFLICT DO NOTHING", "id", row);
            if (inserted.isPresent()) {
                return inserted.get();
            }
        }
        throw new SQLException("could not queue or find the job for dedupe key " + dedupeKey.get());
    }

    /** A new QUEUED job's row, for {@link #INSERT}. */
    static final String INSERT = """
            INSERT INTO jobs (kind, payload, dedupe_key, status, attempts, max_attempts, run_after,
                locked_by, locked_at, last_error, created_at, updated_at)
            VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, '', ?, ?)""";

    /** The values of {@link #INSERT} for a new QUEUED job; {@code dedupeKey} may be null. */
    static Object[] row(String kind, String payload, String dedupeKey, int maxAttempts, Instant runAfter, Instant now) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        return new Object[] {kind, payload, dedupeKey == null ? Sql.nullOf(Types.VARCHAR) : dedupeKey, Status.QUEUED,
                maxAttempts, runAfter, Sql.nullOf(Types.VARCHAR), Sql.nullOf(Types.TIMESTAMP_WITH_TIMEZONE), now, now};
    }

    /** Claims the oldest job that is due, for {@code worker}; empty when none is due. */
    public Optional<Job> claim(String worker, Instant now) {
        return claim(worker, now, now);
    }

    /**
     * Claims the oldest job due at {@code now} for {@code worker}, its lease starting at {@code leaseNow} (the
     * database's clock); empty when none is due.
     */
    public Optional<Job> claim(String worker, Instant now, Instant leaseNow) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            return db.withConnection(c -> Sql.queryOne(c, """
                    UPDATE jobs SET status = ?, attempts = attempts + 1, locked_by = ?, locked_at = ?, updated_at = ?
                    WHERE id = (SELECT id FROM jobs WHERE status = ? AND run_after <= ?
                                ORDER BY run_after, id FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED)
                    RETURNING *""", JobQueue::row, Status.RUNNING, worker, leaseNow, now, Status.QUEUED, now));
        }
        // A few rounds: another worker may win the race for the first candidates. "ORDER BY status, run_after"
        // (status is fixed by the WHERE, so the order is the same) lets H2 read the jobs_ready index in order and stop
        // after the first few; with "ORDER BY run_after" it read and sorted every due job on each claim, which a
        // backlog of webhook jobs made the most expensive query of serve's intake (JFR, WebhookIntakeBench).
        for (int round = 0; round < 5; round++) {
            List<Long> candidates = db.withConnection(c -> Sql.query(c,
                    "SELECT id FROM jobs WHERE status = ? AND run_after <= ? ORDER BY status, run_after, id"
                            + " FETCH FIRST 5 ROWS ONLY",
                    rs -> rs.getLong(1), Status.QUEUED, now));
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            for (long id : candidates) {
                Optional<Job> claimed = claimIfDueReturning(id, worker, now, leaseNow);
                if (claimed.isPresent()) {
                    return claimed;
                }
            }
        }
        return Optional.empty();
    }

    /** The database's clock: what leases are measured by, whatever the clocks of the hosts say. */
    public Instant databaseNow() {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT CURRENT_TIMESTAMP",
                rs -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant()).orElseThrow());
    }

    /**
     * Takes one candidate if it is still QUEUED <em>and still due</em>. The candidate list can be stale: between
     * the SELECT and this UPDATE another worker may have claimed the job, failed it and queued it again with a
     * backoff; checking the status alone would then run the retry at once, before its backoff or wait.
     */
    boolean claimIfDue(long id, String worker, Instant now) {
        return claimIfDue(id, worker, now, now);
    }

    private boolean claimIfDue(long id, String worker, Instant now, Instant leaseNow) {
        // "(…) IS TRUE" keeps H2 on the primary key: given "status = ? AND run_after <= ?" as plain conditions it
        // chose the jobs_ready index and walked every due job to find this one (EXPLAIN; JFR under webhook load).
        return db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET status = ?, attempts = attempts + 1, locked_by = ?, locked_at = ?, updated_at = ?
                WHERE id = ? AND (status = ? AND run_after <= ?) IS TRUE""", Status.RUNNING, worker, leaseNow, now, id,
                Status.QUEUED, now)) == 1;
    }

    /**
     * {@link #claimIfDue} and the claimed row in one statement ({@code FINAL TABLE}, H2's {@code RETURNING}): the
     * claim's {@code SELECT} afterwards was a statement per job of its own, a third of what a claim cost under webhook
     * load (JFR, WebhookIntakeBench).
     */
    private Optional<Job> claimIfDueReturning(long id, String worker, Instant now, Instant leaseNow) {
        return db.withConnection(c -> Sql.queryOne(c, """
                SELECT * FROM FINAL TABLE (
                    UPDATE jobs SET status = ?, attempts = attempts + 1, locked_by = ?, locked_at = ?, updated_at = ?
                    WHERE id = ? AND (status = ? AND run_after <= ?) IS TRUE)""", JobQueue::row, Status.RUNNING, worker,
                leaseNow, now, id, Status.QUEUED, now));
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

    /**
     * Completes a job held by {@code worker}; false when the job is no longer this worker's (its lease expired
     * and it was released, or an operator changed it), in which case nothing is written.
     */
    public boolean complete(long id, String worker, Instant now) {
        if (completedAhead.remove(id)) {
            return true; // completed by its handler, in the transaction of the handler's own last write
        }
        return db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET status = ?, dedupe_key = NULL, locked_by = NULL, locked_at = NULL, updated_at = ?
                WHERE id = ? AND status = ? AND locked_by = ?""", Status.DONE, now, id, Status.RUNNING, worker)) == 1;
    }

    /**
     * Completes {@code job}, held by its {@code lockedBy} worker, on a connection in the caller's transaction, so a
     * handler's last write and the job's completion are one commit instead of two (each a synced write on H2); the
     * worker's {@link #complete(long, String, Instant)} afterwards then writes nothing. Call {@link #completedAhead}
     * once the transaction has committed. False when the job is no longer that worker's (nothing is written then,
     * and the worker's own completion reports the lost lease as before).
     */
    static boolean completeIn(Connection c, Job job, Instant now) throws SQLException {
        return Sql.update(c, COMPLETE_HELD, Status.DONE, now, job.id(), Status.RUNNING, job.lockedBy()) == 1;
    }

    /** Completes a job its worker holds: DONE, {@code updated_at}, id, RUNNING, the worker. */
    static final String COMPLETE_HELD = """
            UPDATE jobs SET status = ?, dedupe_key = NULL, locked_by = NULL, locked_at = NULL, updated_at = ?
            WHERE id = ? AND status = ? AND locked_by = ?""";

    /** After the transaction of {@link #completeIn} committed: the worker's completion of {@code id} is done already. */
    void completedAhead(long id) {
        completedAhead.add(id);
    }

    /**
     * Records a failed attempt of a job held by {@code worker}: it runs again after {@code delay}, or is parked
     * as DEAD when this was its last attempt. Empty when the job is no longer this worker's.
     */
    public Optional<Status> fail(long id, String worker, String error, Duration delay, Instant now) {
        completedAhead.remove(id); // completed by its handler, then failed by the pool (time budget): it stays DONE
        return db.inTransaction(c -> {
            Optional<Job> held = Sql.queryOne(c, "SELECT * FROM jobs WHERE id = ? AND status = ? AND locked_by = ?",
                    JobQueue::row, id, Status.RUNNING, worker);
            if (held.isEmpty()) {
                return Optional.empty();
            }
            boolean dead = held.get().attempts() >= held.get().maxAttempts();
            Status next = dead ? Status.DEAD : Status.QUEUED;
            Sql.update(c, """
                    UPDATE jobs SET status = ?, run_after = ?, last_error = ?, locked_by = NULL, locked_at = NULL,
                        dedupe_key = CASE WHEN ? THEN NULL ELSE dedupe_key END, updated_at = ?
                    WHERE id = ?""", next, dead ? now : now.plus(delay), WebhookDeliveries.truncate(error), dead, now, id);
            return Optional.of(next);
        });
    }

    /** Parks a job held by {@code worker} as DEAD at once: retrying cannot help (no handler, a permanent error). */
    public boolean bury(long id, String worker, String error, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET status = ?, last_error = ?, locked_by = NULL, locked_at = NULL, dedupe_key = NULL,
                    updated_at = ?
                WHERE id = ? AND status = ? AND locked_by = ?""", Status.DEAD, WebhookDeliveries.truncate(error), now,
                id, Status.RUNNING, worker)) == 1;
    }

    /**
     * Gives a job back without counting the attempt (the worker is shutting down and interrupted it): it is
     * QUEUED again and due at once.
     */
    public boolean release(long id, String worker, Instant now) {
        completedAhead.remove(id);
        return db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET status = ?, attempts = attempts - 1, locked_by = NULL, locked_at = NULL, run_after = ?,
                    updated_at = ?
                WHERE id = ? AND status = ? AND locked_by = ?""", Status.QUEUED, now, now, id, Status.RUNNING, worker)) == 1;
    }

    /**
     * Puts a job held by {@code worker} back to wait until {@code until} without counting the attempt (it could not
     * run yet, nothing failed); {@code reason} becomes its last error. False when the job is no longer this worker's.
     */
    public boolean postpone(long id, String worker, String reason, Instant until, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET status = ?, attempts = attempts - 1, locked_by = NULL, locked_at = NULL, run_after = ?,
                    last_error = ?, updated_at = ?
                WHERE id = ? AND status = ? AND locked_by = ?""", Status.QUEUED, until, WebhookDeliveries.truncate(reason),
                now, id, Status.RUNNING, worker)) == 1;
    }

    /** Renews the lease of every job {@code worker} holds, so a long job is not mistaken for a crashed one. */
    public int heartbeat(String worker, Instant now) {
        return db.withConnection(c -> Sql.update(c,
                "UPDATE jobs SET locked_at = ? WHERE status = ? AND locked_by = ?", now, Status.RUNNING, worker));
    }

    /**
     * Requeues jobs whose worker has held them longer than {@code timeout} without a heartbeat (it crashed, was
     * killed or lost the database). A job whose attempts are used up is parked as DEAD instead, so a job that
     * kills its worker every time cannot loop forever.
     */
    public int releaseStale(Duration timeout, Instant now) {
        Instant before = now.minus(timeout);
        return db.inTransaction(c -> {
            int dead = Sql.update(c, """
                    UPDATE jobs SET status = ?, locked_by = NULL, locked_at = NULL, dedupe_key = NULL, updated_at = ?,
                        last_error = 'lease expired on the last attempt: the worker stopped or crashed while running it'
                    WHERE status = ? AND locked_at < ? AND attempts >= max_attempts""",
                    Status.DEAD, now, Status.RUNNING, before);
            int requeued = Sql.update(c, """
                    UPDATE jobs SET status = ?, locked_by = NULL, locked_at = NULL, updated_at = ?
                    WHERE status = ? AND locked_at < ?""", Status.QUEUED, now, Status.RUNNING, before);
            return dead + requeued;
        });
    }

    /**
     * Queues a DEAD job again with a fresh set of attempts, or makes a QUEUED job due now. False for a job that
     * is running or done, or that does not exist.
     */
    public boolean retry(long id, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET attempts = CASE WHEN status = ? THEN 0 ELSE attempts END, status = ?, run_after = ?,
                    updated_at = ?
                WHERE id = ? AND status IN (?, ?)""", Status.DEAD, Status.QUEUED, now, now, id, Status.DEAD, Status.QUEUED)) == 1;
    }

    /**
     * Makes due now the QUEUED jobs of {@code kind} that wait for a later time, whose payload contains
     * {@code payloadPart} and whose last error (why they wait) contains {@code reasonPart}: what they waited for has
     * happened. Returns how many; attempts are not touched.
     */
    public int wakeWaiting(String kind, String payloadPart, String reasonPart, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET run_after = ?, updated_at = ?
                WHERE kind = ? AND status = ? AND run_after > ? AND POSITION(? IN payload) > 0
                    AND POSITION(? IN last_error) > 0""", now, now, kind, Status.QUEUED, now, payloadPart, reasonPart));
    }

    /** {@link #retry} for every DEAD job; returns how many were queued again. */
    public int retryAllDead(Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE jobs SET attempts = 0, status = ?, run_after = ?, updated_at = ?
                WHERE status = ?""", Status.QUEUED, now, now, Status.DEAD));
    }

    /** Deletes DONE jobs last touched before {@code before}: they hold whole webhook payloads. */
    public int purgeDone(Instant before) {
        return db.withConnection(c -> Sql.update(c, "DELETE FROM jobs WHERE status = ? AND updated_at < ?",
                Status.DONE, before));
    }

    /** How many jobs are in each status (every status is present, zero when none). */
    public Map<Status, Long> counts() {
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0L);
        }
        db.withConnection(c -> Sql.query(c, "SELECT status, COUNT(*) FROM jobs GROUP BY status",
                rs -> counts.put(Status.valueOf(rs.getString(1)), rs.getLong(2))));
        return counts;
    }

    /**
     * The newest jobs first, optionally of one status. Payloads are not loaded (a webhook job holds the whole
     * delivery): {@link Job#payload()} is empty in what this returns; {@link #find} loads one job in full.
     */
    public List<Job> list(Optional<Status> status, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        String columns = "id, kind, '' AS payload, status, attempts, max_attempts, run_after, last_error, locked_by,"
                + " created_at, updated_at";
        String fetch = " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY";
        return db.withConnection(c -> status.isPresent()
                ? Sql.query(c, "SELECT " + columns + " FROM jobs WHERE status = ?" + fetch, JobQueue::row, status.get())
                : Sql.query(c, "SELECT " + columns + " FROM jobs" + fetch, JobQueue::row));
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

    static Job row(ResultSet rs) throws SQLException {
        return new Job(rs.getLong("id"), rs.getString("kind"), rs.getString("payload"),
                Status.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getInt("max_attempts"),
                Sql.instant(rs, "run_after"), rs.getString("last_error"), Objects.requireNonNullElse(rs.getString("locked_by"), ""),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
