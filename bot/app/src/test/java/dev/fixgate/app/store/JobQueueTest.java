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
}
