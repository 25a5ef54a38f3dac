package dev.fixgate.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.Secret;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.finding.InitiativeId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What several fixgate processes on one database rely on, done by several "replicas" at once: each replica is a
 * {@link Database} pool of its own on the same database (on PostgreSQL two pools are two sets of sessions, exactly
 * what two processes are; on H2 they share the file as AUTO_SERVER lets two processes do).
 */
class ReplicaPrimitivesTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    /** Two pools on one database. */
    private record Replicas(Database a, Database b) implements AutoCloseable {
        static Replicas of(TestDb kind) throws Exception {
            String url = kind == TestDb.POSTGRESQL ? TestDb.freshPostgresUrl()
                    : Database.embeddedUrl(TestDb.tempHome("fixgate-h2-replicas-"));
            String user = kind == TestDb.POSTGRESQL ? "postgres" : "";
            Database a = Database.open(url, user, Secret.none(), 8);
            return new Replicas(a, Database.open(url, user, Secret.none(), 8));
        }

        Database pick(int i) {
            return i % 2 == 0 ? a : b;
        }

        @Override
        public void close() {
            b.close();
            a.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aNamedLockIsHeldByOneReplicaAtATime(TestDb kind) throws Exception {
        try (Replicas r = Replicas.of(kind)) {
            NamedLocks[] locks = {new NamedLocks(r.a(), "replica-a", Duration.ofSeconds(5)),
                    new NamedLocks(r.b(), "replica-b", Duration.ofSeconds(5))};
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            AtomicInteger entered = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                NamedLocks mine = locks[t % 2];
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        try (NamedLocks.Held held = mine.acquire("deliver:acme/infra", Duration.ofSeconds(60)).orElseThrow()) {
                            int now = inside.incrementAndGet();
                            most.accumulateAndGet(now, Math::max);
                            entered.incrementAndGet();
                            Thread.sleep(2);
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(entered).hasValue(80);
            assertThat(most).as("holders at once").hasValue(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aLockWhoseHolderDiedIsFreeOnceItsLeaseHasRunOut(TestDb kind) throws Exception {
        try (Replicas r = Replicas.of(kind)) {
            // A holder that was killed: its row stays, nobody renews it.
            r.a().withConnection(c -> Sql.update(c, "INSERT INTO named_locks (name, holder, acquired_at, expires_at)"
                    + " VALUES ('remediate:acme/infra', 'dead/1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP + INTERVAL '2' SECOND)"));
            NamedLocks b = new NamedLocks(r.b(), "replica-b", Duration.ofSeconds(5));

            assertThat(b.tryAcquire("remediate:acme/infra")).isEmpty();
            long start = System.nanoTime();
            try (NamedLocks.Held held = b.acquire("remediate:acme/infra", Duration.ofSeconds(30)).orElseThrow()) {
                assertThat(held.lost()).isFalse();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            // Released: free at once for the other replica.
            assertThat(new NamedLocks(r.a(), "replica-a").tryAcquire("remediate:acme/infra")).isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aHeldLockIsRenewedPastItsLease(TestDb kind) throws Exception {
        try (Replicas r = Replicas.of(kind)) {
            NamedLocks a = new NamedLocks(r.a(), "replica-a", Duration.ofMillis(600));
            NamedLocks b = new NamedLocks(r.b(), "replica-b", Duration.ofMillis(600));
            try (NamedLocks.Held held = a.tryAcquire("deliver:acme/infra").orElseThrow()) {
                Thread.sleep(2_000); // more than three leases
                assertThat(b.tryAcquire("deliver:acme/infra")).isEmpty();
                assertThat(held.lost()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void replicasQueueingTheSameWorkAtOnceQueueOneJob(TestDb kind) throws Exception {
        try (Replicas r = Replicas.of(kind)) {
            JobQueue[] queues = {new JobQueue(r.a()), new JobQueue(r.b())};
            CountDownLatch go = new CountDownLatch(1);
            Set<Long> ids = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                JobQueue q = queues[t % 2];
                done.add(pool.submit(() -> {
                    go.await();
                    ids.add(q.enqueue("fixgate.remediate", "{}", Optional.of("remediate:init-1:3/3"), 5, NOW));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS); // none throws a unique violation
            }
            pool.shutdown();
            assertThat(ids).hasSize(1);
            assertThat(queues[0].counts().get(JobQueue.Status.QUEUED)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void replicasClaimingTogetherRunEachJobOnce(TestDb kind) throws Exception {
        try (Replicas r = Replicas.of(kind)) {
            JobQueue[] queues = {new JobQueue(r.a()), new JobQueue(r.b())};
            for (int i = 0; i < 200; i++) {
                queues[0].enqueue("k", "{}", Optional.empty(), 3, NOW);
            }
            Set<Long> claimed = ConcurrentHashMap.newKeySet();
            AtomicInteger twice = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                JobQueue q = queues[t % 2];
                String worker = "replica-" + (t % 2) + "-" + t;
                done.add(pool.submit(() -> {
                    Optional<JobQueue.Job> job;
                    while ((job = q.claim(worker, NOW, NOW)).isPresent()) {
                        if (!claimed.add(job.get().id())) {
                            twice.incrementAndGet();
                        }
                        q.complete(job.get().id(), worker, NOW);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(claimed).hasSize(200);
            assertThat(twice).hasValue(0);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void oneOpenRemediationPerInitiativeRepositoryAndBranchWhoeverWritesIt(TestDb kind) throws Exception {
        try (Replicas r = Replicas.of(kind)) {
            r.a().withConnection(c -> Sql.update(c, "INSERT INTO initiatives (id, control_id, scope, severity, status,"
                    + " created_at, updated_at) VALUES ('init-1', 'c', 's', 'LOW', 'OPEN', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"));
            RemediationStore[] stores = {new RemediationStore(r.a()), new RemediationStore(r.b())};
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            Set<Long> ids = ConcurrentHashMap.newKeySet();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                RemediationStore s = stores[t % 2];
                int n = t;
                done.add(pool.submit(() -> {
                    go.await();
                    ids.add(s.createOrReplan(new InitiativeId("init-1"), "p", RciLevel.SAFE, 1.0, "acme/infra",
                            "fixgate/aws.s3.bucket.versioning/abc", "{\"n\":" + n + "}", NOW));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(ids).hasSize(1);
            assertThat(stores[0].openIn("acme/infra")).hasSize(1);

            // Merged: closed, so the next plan opens a new one; the merged row stays as history.
            long first = ids.iterator().next();
            stores[0].merged(first, "a".repeat(40), NOW);
            long next = stores[1].createOrReplan(new InitiativeId("init-1"), "p", RciLevel.SAFE, 1.0, "acme/infra",
                    "fixgate/aws.s3.bucket.versioning/abc", "{}", NOW);
            assertThat(next).isNotEqualTo(first);
            assertThat(stores[0].forInitiative(new InitiativeId("init-1"))).hasSize(2);
        }
    }
}
