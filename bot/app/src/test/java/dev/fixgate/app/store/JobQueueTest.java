package dev.fixgate.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.JobQueue.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobQueueTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aJobIsClaimedOnceThenCompleted(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            long id = q.enqueue("webhook", "{\"delivery\":\"1\"}", Optional.empty(), 3, NOW);

            Optional<Job> job = q.claim("worker-1", NOW);
            assertThat(job).hasValueSatisfying(j -> {
                assertThat(j.id()).isEqualTo(id);
                assertThat(j.status()).isEqualTo(Status.RUNNING);
                assertThat(j.attempts()).isEqualTo(1);
                assertThat(j.payload()).isEqualTo("{\"delivery\":\"1\"}");
            });
            assertThat(q.claim("worker-2", NOW)).isEmpty();
            q.complete(id, NOW);
            assertThat(q.find(id)).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(Status.DONE));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void jobsAreNotClaimedBeforeTheyAreDue(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            q.enqueue("verify", "{}", Optional.empty(), 3, NOW.plusSeconds(60));
            assertThat(q.claim("w", NOW)).isEmpty();
            assertThat(q.claim("w", NOW.plusSeconds(60))).isPresent();
        }
    }

    /**
     * A worker's candidate list can be stale: another worker claimed the job, failed it and queued it again with a
     * backoff in between. The stale candidate must not be claimed (it once ran a retry 2 ms after the failure).
     */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aStaleCandidateThatWasRequeuedWithABackoffIsNotClaimedEarly(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            long id = q.enqueue("flaky", "{}", Optional.empty(), 5, NOW);
            // worker-2 saw the job as a candidate at NOW; worker-1 claims it first and fails it with a 50 ms backoff
            assertThat(q.claim("worker-1", NOW)).isPresent();
            assertThat(q.fail(id, "worker-1", "GitHub returned 502", Duration.ofMillis(50), NOW)).contains(Status.QUEUED);

            assertThat(q.claimIfDue(id, "worker-2", NOW.plusMillis(2))).isFalse();
            assertThat(q.find(id).orElseThrow().attempts()).isEqualTo(1);
            assertThat(q.claimIfDue(id, "worker-2", NOW.plusMillis(50))).isTrue();
            assertThat(q.find(id).orElseThrow().attempts()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aPendingDedupeKeyIsNotQueuedTwiceButCanBeAfterTheJobEnds(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            long first = q.enqueue("plan", "{}", Optional.of("plan:abc"), 3, NOW);
            assertThat(q.enqueue("plan", "{}", Optional.of("plan:abc"), 3, NOW)).isEqualTo(first);

            q.claim("w", NOW);
            q.complete(first, NOW);
            assertThat(q.enqueue("plan", "{}", Optional.of("plan:abc"), 3, NOW)).isNotEqualTo(first);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void failuresBackOffThenTheJobIsParkedAsDead(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            long id = q.enqueue("deliver", "{}", Optional.of("deliver:1"), 2, NOW);

            q.claim("w", NOW);
            assertThat(q.fail(id, "GitHub returned 502", NOW)).isEqualTo(Status.QUEUED);
            assertThat(q.find(id)).hasValueSatisfying(j -> {
                assertThat(j.runAfter()).isEqualTo(NOW.plusSeconds(30));
                assertThat(j.lastError()).isEqualTo("GitHub returned 502");
            });
            assertThat(q.claim("w", NOW.plusSeconds(29))).isEmpty();

            assertThat(q.claim("w", NOW.plusSeconds(30))).isPresent();
            assertThat(q.fail(id, "again", NOW.plusSeconds(31))).isEqualTo(Status.DEAD);
            assertThat(q.claim("w", NOW.plusSeconds(3600))).isEmpty();
            // A dead job releases its dedupe key.
            assertThat(q.enqueue("deliver", "{}", Optional.of("deliver:1"), 2, NOW)).isNotEqualTo(id);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void jobsOfACrashedWorkerAreReleased(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            long id = q.enqueue("x", "{}", Optional.empty(), 3, NOW);
            q.claim("crashed", NOW);

            assertThat(q.releaseStale(Duration.ofMinutes(10), NOW.plusSeconds(60))).isZero();
            assertThat(q.releaseStale(Duration.ofMinutes(10), NOW.plusSeconds(601))).isEqualTo(1);
            assertThat(q.claim("w2", NOW.plusSeconds(602))).hasValueSatisfying(j -> {
                assertThat(j.id()).isEqualTo(id);
                assertThat(j.attempts()).isEqualTo(2);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void concurrentWorkersNeverClaimTheSameJob(TestDb kind) throws Exception {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            for (int i = 0; i < 30; i++) {
                q.enqueue("x", "{\"n\":" + i + "}", Optional.empty(), 1, NOW);
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    String name = "w" + w;
                    workers.add(pool.submit(() -> {
                        Optional<Job> job;
                        while ((job = q.claim(name, NOW)).isPresent()) {
                            claimed.add(job.get().id());
                            q.complete(job.get().id(), NOW);
                        }
                    }));
                }
                for (Future<?> f : workers) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            Set<Long> unique = new HashSet<>(claimed);
            assertThat(claimed).hasSize(30);
            assertThat(unique).hasSize(30);
        }
    }

    @Test
    void backoffDoublesAndIsCapped() {
        assertThat(JobQueue.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(JobQueue.backoff(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(JobQueue.backoff(4)).isEqualTo(Duration.ofSeconds(240));
        assertThat(JobQueue.backoff(30)).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void onlyTheWorkerHoldingAJobCanFinishIt(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            long id = q.enqueue("x", "{}", Optional.empty(), 3, NOW);
            q.claim("w1", NOW);

            assertThat(q.complete(id, "w2", NOW)).isFalse();
            assertThat(q.fail(id, "w2", "nope", Duration.ofSeconds(5), NOW)).isEmpty();
            assertThat(q.bury(id, "w2", "nope", NOW)).isFalse();
            assertThat(q.find(id)).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(Status.RUNNING));

            assertThat(q.fail(id, "w1", "GitHub 502", Duration.ofSeconds(5), NOW)).contains(Status.QUEUED);
            assertThat(q.find(id)).hasValueSatisfying(j -> {
                assertThat(j.runAfter()).isEqualTo(NOW.plusSeconds(5));
                assertThat(j.lockedBy()).isEmpty();
            });
            q.claim("w1", NOW.plusSeconds(5));
            assertThat(q.complete(id, "w1", NOW.plusSeconds(6))).isTrue();
            assertThat(q.find(id)).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(Status.DONE));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void heartbeatsKeepALeaseAndAnExhaustedJobWhoseWorkerDiedIsDead(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            long alive = q.enqueue("x", "{}", Optional.empty(), 3, NOW);
            long last = q.enqueue("y", "{}", Optional.of("y:1"), 1, NOW);
            q.claim("w1", NOW);
            q.claim("w2", NOW);

            assertThat(q.heartbeat("w1", NOW.plusSeconds(500))).isEqualTo(1);
            assertThat(q.releaseStale(Duration.ofMinutes(10), NOW.plusSeconds(601))).isEqualTo(1);
            assertThat(q.find(alive)).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(Status.RUNNING));
            assertThat(q.find(last)).hasValueSatisfying(j -> {
                assertThat(j.status()).isEqualTo(Status.DEAD);
                assertThat(j.lastError()).contains("lease expired");
            });
            // the dead job gave up its dedupe key
            assertThat(q.enqueue("y", "{}", Optional.of("y:1"), 1, NOW)).isNotEqualTo(last);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void buriedReleasedAndRetriedJobs(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            long a = q.enqueue("a", "{}", Optional.empty(), 5, NOW);
            long b = q.enqueue("b", "{}", Optional.empty(), 5, NOW);
            q.claim("w", NOW);
            q.claim("w", NOW);

            assertThat(q.bury(a, "w", "no handler", NOW)).isTrue();
            assertThat(q.release(b, "w", NOW.plusSeconds(1))).isTrue();
            assertThat(q.find(b)).hasValueSatisfying(j -> {
                assertThat(j.status()).isEqualTo(Status.QUEUED);
                assertThat(j.attempts()).isZero();
            });
            assertThat(q.counts()).containsEntry(Status.DEAD, 1L).containsEntry(Status.QUEUED, 1L)
                    .containsEntry(Status.RUNNING, 0L).containsEntry(Status.DONE, 0L);
            assertThat(q.list(Optional.of(Status.DEAD), 10)).singleElement().satisfies(j -> {
                assertThat(j.id()).isEqualTo(a);
                assertThat(j.lastError()).isEqualTo("no handler");
                assertThat(j.payload()).isEmpty();
            });

            assertThat(q.retry(a, NOW.plusSeconds(2))).isTrue();
            assertThat(q.find(a)).hasValueSatisfying(j -> {
                assertThat(j.status()).isEqualTo(Status.QUEUED);
                assertThat(j.attempts()).isZero();
            });
            q.claim("w", NOW.plusSeconds(3));
            q.claim("w", NOW.plusSeconds(3));
            assertThat(q.retry(a, NOW.plusSeconds(3))).as("a running job is not retried").isFalse();
            assertThat(q.retry(999_999, NOW)).isFalse();
            q.bury(a, "w", "again", NOW);
            q.bury(b, "w", "again", NOW);
            assertThat(q.retryAllDead(NOW.plusSeconds(4))).isEqualTo(2);
            assertThat(q.list(Optional.empty(), 10)).extracting(Job::status).containsOnly(Status.QUEUED);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void oldDoneJobsArePurged(TestDb kind) {
        try (Database db = kind.fresh()) {
            JobQueue q = new JobQueue(db);
            long done = q.enqueue("x", "{}", Optional.empty(), 1, NOW);
            long queued = q.enqueue("x", "{}", Optional.empty(), 1, NOW.plusSeconds(100));
            q.claim("w", NOW);
            q.complete(done, "w", NOW);

            assertThat(q.purgeDone(NOW)).isZero();
            assertThat(q.purgeDone(NOW.plusSeconds(1))).isEqualTo(1);
            assertThat(q.find(done)).isEmpty();
            assertThat(q.find(queued)).isPresent();
        }
    }
}
