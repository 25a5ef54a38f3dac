package dev.fixgate.app.store;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locks by name shared by every fixgate process on one database: a {@code named_locks} row is the lock, its lease is
 * timed by the database's clock (so hosts whose clocks disagree still agree), and a holder renews it while it
 * works. A holder that dies — {@code kill -9}, a lost host — holds nothing once its lease has run out. Portable: an
 * insert that yields to the primary key, or an update that takes over an expired row; no dialect-specific locks and
 * no connection held while the lock is held.
 *
 * <pre>{@code
 * Optional<NamedLocks.Held> held = locks.acquire("deliver:acme/infra", Duration.ofMinutes(2));
 * try (NamedLocks.Held h = held.orElseThrow(...)) { ... }      // renewed in the background until closed
 * }</pre>
 */
public final class NamedLocks {

    private static final Logger LOG = LoggerFactory.getLogger(NamedLocks.class);
    /** How long a lock outlives its holder's last renewal. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    private final Database db;
    private final String owner;
    private final Duration lease;

    /**
     * @param owner who holds the locks this instance takes (a process id, for operators reading the table)
     * @param lease how long a lock outlives its holder's last renewal; renewals run every third of it
     */
    public NamedLocks(Database db, String owner, Duration lease) {
        this.db = Objects.requireNonNull(db, "db");
        this.owner = Objects.requireNonNull(owner, "owner");
        if (lease.toMillis() < 300) {
            throw new IllegalArgumentException("lease must be at least 300 ms");
        }
        this.lease = lease;
    }

    public NamedLocks(Database db, String owner) {
        this(db, owner, DEFAULT_LEASE);
    }

    /** A lock held: renewed until {@link #close()} releases it. */
    public final class Held implements AutoCloseable {
        private final String name;
        private final String holder;
        private final AtomicBoolean released = new AtomicBoolean();
        private final Thread renewer;
        private volatile boolean lost;

        private Held(String name, String holder) {
            this.name = name;
            this.holder = holder;
            this.renewer = Thread.ofVirtual().name("fixgate-lock-" + name).start(this::renew);
        }

        public String name() {
            return name;
        }

        /** True when a renewal found the lock taken over (this holder stalled past its lease): mutual exclusion is gone. */
        public boolean lost() {
            return lost;
        }

        private void renew() {
            long every = Math.max(100, lease.toMillis() / 3);
            while (!released.get()) {
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
                if (released.get()) {
                    return;
                }
                try {
                    int n = db.withConnection(c -> {
                        Instant now = now(c);
                        return Sql.update(c, "UPDATE named_locks SET expires_at = ? WHERE name = ? AND holder = ?",
                                now.plus(lease), name, holder);
                    });
                    if (n == 0) {
                        lost = true;
                        LOG.atError().setMessage("a lock was taken over while held; its holder stalled past the lease")
                                .addKeyValue("lock", name).log();
                        return;
                    }
                } catch (RuntimeException e) {
                    LOG.atWarn().setMessage("could not renew a lock; retrying").addKeyValue("lock", name)
                            .addKeyValue("error", e.getMessage()).log();
                }
            }
        }

        @Override
        public void close() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            renewer.interrupt();
            try {
                db.withConnection(c -> Sql.update(c, "DELETE FROM named_locks WHERE name = ? AND holder = ?", name, holder));
            } catch (RuntimeException e) {
                // The lease frees it soon enough.
                LOG.atWarn().setMessage("could not release a lock; it frees when its lease runs out")
                        .addKeyValue("lock", name).addKeyValue("error", e.getMessage()).log();
            }
        }
    }

    /** Takes {@code name} if it is free (or its holder's lease ran out); empty at once when it is held. */
    public Optional<Held> tryAcquire(String name) {
        if (name.isBlank() || name.length() > 400) {
            throw new IllegalArgumentException("a lock name is 1 to 400 characters");
        }
        String holder = owner + "/" + UUID.randomUUID();
        boolean taken = db.withConnection(c -> {
            Instant now = now(c);
            if (Sql.update(c, """
                    INSERT INTO named_locks (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""", name, holder, now, now.plus(lease)) == 1) {
                return true;
            }
            return Sql.update(c, """
                    UPDATE named_locks SET holder = ?, acquired_at = ?, expires_at = ?
                    WHERE name = ? AND expires_at < ?""", holder, now, now.plus(lease), name, now) == 1;
        });
        return taken ? Optional.of(new Held(name, holder)) : Optional.empty();
    }

    /** Takes {@code name}, waiting up to {@code maxWait} for it (polling, with jitter); empty when it stayed held. */
    public Optional<Held> acquire(String name, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pause = 20;
        while (true) {
            Optional<Held> held = tryAcquire(name);
            if (held.isPresent() || System.nanoTime() > deadline) {
                return held;
            }
            Thread.sleep(pause + ThreadLocalRandom.current().nextLong(pause));
            pause = Math.min(500, pause * 2);
        }
    }

    private static Instant now(java.sql.Connection c) throws java.sql.SQLException {
        return Sql.queryOne(c, "SELECT CURRENT_TIMESTAMP", rs -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .orElseThrow();
    }
}
