package dev.fixgate.app.store;

import dev.fixgate.spi.error.FixgateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

    /** The dedupe key of a delivery's job: this and the delivery id. */
    static final String DEDUPE_PREFIX = "github-delivery:";

    /** The most deliveries committed in one transaction. */
    static final int MAX_BATCH = 256;

    private final Database db;
    private final GroupCommit commits = new GroupCommit();

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
     * Returns once the transaction is committed — durably: on PostgreSQL the commit is fsync'd, and the embedded H2
     * database is opened with {@code WRITE_DELAY=0}, which writes and syncs every commit.
     *
     * <p>Group commit: deliveries that arrive while a commit is in flight are written together in the next
     * transaction, by one writer thread, so a burst costs one durable commit per batch rather than one per delivery —
     * and nobody waits for a batch to fill: the writer takes what has queued up and commits it at once.
     *
     * @return the id of the queued job; empty when this delivery id was recorded before (a redelivery), in which
     *         case nothing is written
     */
    public Optional<Long> recordWithJob(Delivery d, String jobKind, String jobPayload, int maxAttempts) {
        return commits.submit(new Pending(d, jobKind, jobPayload, maxAttempts));
    }

    /** {@link #recordWithJob} in a transaction of its own (a batch that failed is retried this way, one by one). */
    Optional<Long> recordWithJobAlone(Delivery d, String jobKind, String jobPayload, int maxAttempts) {
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
            return Optional.of(JobQueue.insert(c, jobKind, jobPayload, Optional.of(DEDUPE_PREFIX + d.deliveryId()),
                    maxAttempts, d.receivedAt(), d.receivedAt()));
        });
    }

    private record Pending(Delivery delivery, String jobKind, String jobPayload, int maxAttempts,
                           CompletableFuture<Optional<Long>> result) {
        Pending(Delivery delivery, String jobKind, String jobPayload, int maxAttempts) {
            this(delivery, jobKind, jobPayload, maxAttempts, new CompletableFuture<>());
        }
    }

    /**
     * The writer: one thread, started when work arrives and gone after a second without any, that takes every
     * delivery waiting and commits them in one transaction.
     */
    private final class GroupCommit {
        private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        private final Object lock = new Object();
        private boolean running;

        Optional<Long> submit(Pending p) {
            synchronized (lock) {
                queue.add(p);
                if (!running) {
                    running = true;
                    Thread.ofPlatform().daemon().name("fixgate-delivery-writer").start(this::loop);
                }
            }
            try {
                return p.result().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }

        private void loop() {
            while (true) {
                Pending first;
                try {
                    first = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    first = null;
                }
                if (first == null) {
                    synchronized (lock) {
                        if (queue.isEmpty()) {
                            running = false;
                            return;
                        }
                    }
                    continue;
                }
                List<Pending> batch = new ArrayList<>(Math.min(MAX_BATCH, queue.size() + 1));
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            }
        }

        private void write(List<Pending> batch) {
            try {
                List<Optional<Long>> results = batch.size() == 1 && db.dialect() != Dialect.POSTGRESQL
                        ? List.of(recordWithJobAlone(batch.getFirst().delivery(), batch.getFirst().jobKind(),
                                batch.getFirst().jobPayload(), batch.getFirst().maxAttempts()))
                        : db.dialect() == Dialect.POSTGRESQL ? db.withConnection(c -> writeBatchInOneStatement(c, batch))
                        : db.inTransaction(c -> writeBatch(c, batch));
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(results.get(i));
                }
            } catch (FixgateException e) {
                if (batch.size() > 1 && Sql.REJECTED.equals(e.code())) {
                    // One delivery's values, or another replica storing the same delivery at the same moment: the
                    // transaction is gone, so each goes again on its own and only the one at fault fails.
                    for (Pending p : batch) {
                        alone(p);
                    }
                } else {
                    batch.forEach(p -> p.result().completeExceptionally(e));
                }
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.result().completeExceptionally(e));
            }
        }

        private void alone(Pending p) {
            try {
                p.result().complete(recordWithJobAlone(p.delivery(), p.jobKind(), p.jobPayload(), p.maxAttempts()));
            } catch (RuntimeException e) {
                p.result().completeExceptionally(e);
            }
        }
    }

    /** A batch in one transaction: redeliveries (stored before, or twice in the batch) get nothing, the rest both rows. */
    private static List<Optional<Long>> writeBatch(Connection c, List<Pending> batch) throws SQLException {
        List<String> ids = batch.stream().map(p -> p.delivery().deliveryId()).distinct().toList();
        Set<String> stored = new HashSet<>(Sql.query(c, "SELECT delivery_id FROM webhook_deliveries WHERE delivery_id IN ("
                + Sql.placeholders(ids.size()) + ")", rs -> rs.getString(1), ids.toArray()));
        List<Pending> fresh = new ArrayList<>();
        Set<String> taken = new HashSet<>(stored);
        for (Pending p : batch) {
            if (taken.add(p.delivery().deliveryId())) {
                fresh.add(p);
            }
        }
        List<Object[]> deliveries = new ArrayList<>();
        List<Object[]> jobs = new ArrayList<>();
        for (Pending p : fresh) {
            Delivery d = p.delivery();
            deliveries.add(new Object[] {d.deliveryId(), d.event(), d.action(), d.installationId(), d.repository(),
                    d.payloadSha256(), Status.RECEIVED, "", d.receivedAt(), Sql.nullOf(Types.TIMESTAMP_WITH_TIMEZONE)});
            jobs.add(JobQueue.row(p.jobKind(), p.jobPayload(), DEDUPE_PREFIX + d.deliveryId(), p.maxAttempts(),
                    d.receivedAt(), d.receivedAt()));
        }
        Sql.batch(c, """
                INSERT INTO webhook_deliveries (delivery_id, event, action, installation_id, repository,
                    payload_sha256, status, error, received_at, processed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", deliveries);
        List<Long> jobIds = Sql.batchInsert(c, JobQueue.INSERT, "id", jobs);
        Map<Pending, Long> byPending = new IdentityHashMap<>();
        for (int i = 0; i < fresh.size(); i++) {
            byPending.put(fresh.get(i), jobIds.get(i));
        }
        List<Optional<Long>> out = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            out.add(Optional.ofNullable(byPending.get(p)));
        }
        return out;
    }

    /**
     * {@link #writeBatch} on PostgreSQL as one statement in auto-commit: the deliveries inserted (those already
     * stored skipped by {@code ON CONFLICT DO NOTHING}, which also waits out another replica storing the same one),
     * the jobs of those inserted, and their ids returned — one round trip and one synced commit per batch, where the
     * transaction took five (look up, two inserts, commit, and the connection's reset), each a wake-up of the server
     * process on a machine the clients share with it.
     */
    private static List<Optional<Long>> writeBatchInOneStatement(Connection c, List<Pending> batch) throws SQLException {
        Set<String> seen = new HashSet<>();
        List<Pending> fresh = batch.stream().filter(p -> seen.add(p.delivery().deliveryId())).toList();
        StringBuilder sql = new StringBuilder("""
                WITH input (delivery_id, event, action, installation_id, repository, payload_sha256, received_at,
                            kind, payload, max_attempts, ord) AS (VALUES """);
        List<Object> params = new ArrayList<>(fresh.size() * 11);
        for (int i = 0; i < fresh.size(); i++) {
            Pending p = fresh.get(i);
            Delivery d = p.delivery();
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, CAST(? AS BIGINT), ?, ?, CAST(? AS TIMESTAMP WITH TIME ZONE),"
                    + " ?, ?, CAST(? AS INTEGER), CAST(? AS INTEGER))");
            params.addAll(List.of(d.deliveryId(), d.event(), d.action(), d.installationId(), d.repository(),
                    d.payloadSha256(), d.receivedAt(), p.jobKind(), p.jobPayload(), p.maxAttempts(), i));
            if (p.maxAttempts() < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
        }
        sql.append("""
                ),
                stored AS (
                    INSERT INTO webhook_deliveries (delivery_id, event, action, installation_id, repository,
                        payload_sha256, status, error, received_at, processed_at)
                    SELECT delivery_id, event, action, installation_id, repository, payload_sha256, ?, '', received_at,
                        CAST(NULL AS TIMESTAMP WITH TIME ZONE)
                    FROM input ORDER BY ord
                    ON CONFLICT (delivery_id) DO NOTHING
                    RETURNING delivery_id),
                queued AS (
                    INSERT INTO jobs (kind, payload, dedupe_key, status, attempts, max_attempts, run_after,
                        locked_by, locked_at, last_error, created_at, updated_at)
                    SELECT i.kind, i.payload, ? || i.delivery_id, ?, 0, i.max_attempts, i.received_at,
                        CAST(NULL AS VARCHAR), CAST(NULL AS TIMESTAMP WITH TIME ZONE), '', i.received_at, i.received_at
                    FROM input i JOIN stored s ON s.delivery_id = i.delivery_id ORDER BY i.ord
                    RETURNING id, dedupe_key)
                SELECT id, dedupe_key FROM queued""");
        params.addAll(List.of(Status.RECEIVED, DEDUPE_PREFIX, JobQueue.Status.QUEUED));
        Map<String, Long> jobs = new HashMap<>();
        for (Object[] row : Sql.query(c, sql.toString(), rs -> new Object[] {rs.getLong(1), rs.getString(2)},
                params.toArray())) {
            jobs.put(((String) row[1]).substring(DEDUPE_PREFIX.length()), (Long) row[0]);
        }
        List<Optional<Long>> out = new ArrayList<>(batch.size());
        Set<String> answered = new HashSet<>();
        for (Pending p : batch) {
            String id = p.delivery().deliveryId();
            out.add(answered.add(id) ? Optional.ofNullable(jobs.get(id)) : Optional.empty());
        }
        return out;
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

    /**
     * {@link #finish} and the completion of the delivery's job in one transaction: one synced commit where the two
     * took two, of the three a webhook job cost its worker (claim, finish, complete; JFR under WebhookIntakeBench).
     * The delivery's status is written whether or not the job is still its worker's, as {@link #finish} writes it.
     */
    public void finishAndComplete(String deliveryId, Status status, String error, Instant at, JobQueue queue,
                                  JobQueue.Job job) {
        // PostgreSQL: one statement in auto-commit (a data-modifying WITH), one round trip; a transaction would take
        // four (the two updates, the commit and the connection's reset), each a wake-up of the server process.
        boolean completed = db.dialect() == Dialect.POSTGRESQL
                ? db.withConnection(c -> Sql.query(c, """
                        WITH finished AS (
                            UPDATE webhook_deliveries SET status = ?, error = ?, processed_at = ? WHERE delivery_id = ?
                            RETURNING delivery_id)
                        """ + JobQueue.COMPLETE_HELD + " RETURNING id", rs -> rs.getLong(1), status, truncate(error), at,
                        deliveryId, JobQueue.Status.DONE, at, job.id(), JobQueue.Status.RUNNING, job.lockedBy())).size() == 1
                : db.inTransaction(c -> {
                    Sql.update(c, "UPDATE webhook_deliveries SET status = ?, error = ?, processed_at = ?"
                            + " WHERE delivery_id = ?", status, truncate(error), at, deliveryId);
                    return JobQueue.completeIn(c, job, at);
                });
        if (completed) {
            queue.completedAhead(job.id());
        }
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
