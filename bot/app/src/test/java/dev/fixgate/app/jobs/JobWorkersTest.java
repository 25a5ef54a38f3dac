package dev.fixgate.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.JobQueue.Status;
import dev.fixgate.app.store.TestDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The worker pool on both databases, with real time (short polls, leases and backoffs). */
class JobWorkersTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private Database db;
    private JobQueue queue;
    private JobWorkers workers;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        if (workers != null) {
            workers.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** Fast settings: 20 ms polls, a 2 s lease, backoff 50 ms .. 200 ms. */
    private static WorkerSettings fast() {
        return WorkerSettings.defaults(2).withPollInterval(Duration.ofMillis(20)).withLease(Duration.ofSeconds(2))
                .withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), RandomGenerator.getDefault()))
                .withShutdownGrace(Duration.ofSeconds(5));
    }

    private JobWorkers start(TestDb kind, WorkerSettings settings, JobHandler... handlers) {
        open(kind);
        return startWorkers(settings, handlers);
    }

    private void open(TestDb kind) {
        db = kind.fresh();
        queue = new JobQueue(db);
    }

    private JobWorkers startWorkers(WorkerSettings settings, JobHandler... handlers) {
        JobWorkersBuilder b = JobWorkers.builder(queue).settings(settings).metrics(metrics).workerId("test-pool");
        for (JobHandler h : handlers) {
            b.register(h);
        }
        workers = b.build().start();
        return workers;
    }

    private long enqueue(String kind, int maxAttempts) {
        long id = queue.enqueue(kind, "{}", Optional.empty(), maxAttempts, Instant.now());
        workers.wake();
        return id;
    }

    private Job awaitStatus(long id, Status status) {
        await().atMost(WAIT).until(() -> queue.find(id).orElseThrow().status() == status);
        return queue.find(id).orElseThrow();
    }

    private double count(String name, String kind) {
        var c = metrics.find(name).tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    static JobHandler handler(String kind, Throwing body) {
        return new JobHandler() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void handle(Job job) throws Exception {
                body.run(job);
            }
        };
    }

    @FunctionalInterface
    interface Throwing {
        void run(Job job) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void jobsAreDispatchedByKindAndCompleted(TestDb kind) {
        List<String> ran = new CopyOnWriteArrayList<>();
        start(kind, fast(), handler("a", j -> ran.add("a" + j.id())), handler("b", j -> ran.add("b" + j.id())));

        long a = enqueue("a", 3);
        long b = enqueue("b", 3);

        awaitStatus(a, Status.DONE);
        awaitStatus(b, Status.DONE);
        assertThat(ran).containsExactlyInAnyOrder("a" + a, "b" + b);
        assertThat(count("fixgate_jobs_processed", "a")).isEqualTo(1);
        assertThat(workers.running()).isTrue();
        assertThat(workers.kinds()).containsExactlyInAnyOrder("a", "b");
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aFailingJobIsRetriedWithBackoffUntilItSucceeds(TestDb kind) {
        List<Instant> attempts = new CopyOnWriteArrayList<>();
        start(kind, fast(), handler("flaky", j -> {
            attempts.add(Instant.now());
            if (j.attempts() < 3) {
                throw new IllegalStateException("GitHub returned 502");
            }
        }));

        long id = enqueue("flaky", 5);

        Job done = awaitStatus(id, Status.DONE);
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(attempts).hasSize(3);
        // 1st retry after 25..50 ms, 2nd after 50..100 ms (equal jitter of 50 ms and 100 ms)
        assertThat(Duration.between(attempts.get(0), attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(25));
        assertThat(Duration.between(attempts.get(1), attempts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(count("fixgate_jobs_failed", "flaky")).isEqualTo(2);
        assertThat(count("fixgate_jobs_processed", "flaky")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aJobThatKeepsFailingIsDeadAfterItsLastAttemptWithItsError(TestDb kind) {
        AtomicInteger runs = new AtomicInteger();
        start(kind, fast(), handler("broken", j -> {
            runs.incrementAndGet();
            throw new IllegalStateException("always fails; token=ghp_" + "a".repeat(36));
        }));

        long id = enqueue("broken", 3);

        Job dead = awaitStatus(id, Status.DEAD);
        assertThat(runs).hasValue(3);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.lastError()).startsWith("IllegalStateException: always fails").doesNotContain("ghp_aaaa");
        assertThat(count("fixgate_jobs_dead", "broken")).isEqualTo(1);
        assertThat(count("fixgate_jobs_failed", "broken")).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void anUnknownKindIsDeadAtOnceWithAClearError(TestDb kind) {
        start(kind, fast(), handler("known", j -> { }));

        long id = enqueue("github.unknown", 5);

        Job dead = awaitStatus(id, Status.DEAD);
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.lastError()).isEqualTo("no handler is registered for job kind 'github.unknown' (known kinds: [known])");
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aPermanentFailureIsDeadAtOnce(TestDb kind) {
        start(kind, fast(), handler("p", j -> {
            throw new PermanentJobFailure("repository acme/gone no longer exists");
        }));

        Job dead = awaitStatus(enqueue("p", 5), Status.DEAD);
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.lastError()).contains("repository acme/gone no longer exists");
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aJobThatAsksToWaitIsNotRetriedBeforeThen(TestDb kind) {
        Instant notBefore = Instant.now().plus(Duration.ofHours(1));
        start(kind, fast(), handler("limited", j -> {
            throw new RuntimeException("wrapped", new RetryLater("rate limited", notBefore));
        }));

        long id = enqueue("limited", 5);

        await().atMost(WAIT).until(() -> queue.find(id).orElseThrow().attempts() == 1
                && queue.find(id).orElseThrow().status() == Status.QUEUED);
        assertThat(queue.find(id).orElseThrow().runAfter()).isAfterOrEqualTo(notBefore.minusMillis(1));
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aJobThatMustWaitForACapKeepsItsAttemptsAndSaysWhy(TestDb kind) {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        start(kind, fast(), handler("capped", j -> {
            if (calls.incrementAndGet() <= 3) {
                throw new WaitUntil("cap reached: 5 open", Instant.now());
            }
        }));

        long id = enqueue("capped", 1); // one attempt: a counted wait would park it as DEAD at once

        Job done = awaitStatus(id, Status.DONE);
        assertThat(calls.get()).isEqualTo(4);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.lastError()).contains("cap reached: 5 open");
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aJobLeftRunningByADeadWorkerIsTakenBackAfterItsLease(TestDb kind) {
        open(kind);
        Instant minuteAgo = Instant.now().minusSeconds(60);
        long orphan = queue.enqueue("work", "{}", Optional.empty(), 3, minuteAgo);
        // A previous process claimed it a minute ago and died: nobody heart-beats it any more.
        assertThat(queue.claim("crashed-process", minuteAgo)).isPresent();
        List<Long> ran = new CopyOnWriteArrayList<>();

        startWorkers(fast(), handler("work", j -> ran.add(j.id())));

        Job done = awaitStatus(orphan, Status.DONE);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(ran).containsExactly(orphan);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void heartbeatsKeepALongJobFromBeingRunTwice(TestDb kind) {
        AtomicInteger runs = new AtomicInteger();
        // Runs three times as long as the lease: only heartbeats keep others from taking it.
        start(kind, fast().withLease(Duration.ofMillis(900)), handler("slow", j -> {
            runs.incrementAndGet();
            Thread.sleep(2_700);
        }));

        long id = enqueue("slow", 3);

        awaitStatus(id, Status.DONE);
        assertThat(runs).hasValue(1);
        assertThat(queue.find(id).orElseThrow().attempts()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void closeLetsARunningJobFinish(TestDb kind) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        start(kind, fast(), handler("finish", j -> {
            started.countDown();
            Thread.sleep(300);
        }));
        long id = enqueue("finish", 3);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        workers.close();

        assertThat(workers.running()).isFalse();
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(Status.DONE);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aJobInterruptedByShutdownGoesBackWithoutUsingAnAttempt(TestDb kind) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        start(kind, fast().withShutdownGrace(Duration.ofMillis(200)), handler("endless", j -> {
            started.countDown();
            Thread.sleep(60_000);
        }));
        long id = enqueue("endless", 3);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        workers.close();

        Job back = queue.find(id).orElseThrow();
        assertThat(back.status()).isEqualTo(Status.QUEUED);
        assertThat(back.attempts()).isZero();
        assertThat(back.lockedBy()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void anOutOfMemoryErrorFailsItsJobNeverTheWorker(TestDb kind) {
        List<String> ran = new CopyOnWriteArrayList<>();
        start(kind, fast(), handler("hog", j -> {
            // A real OutOfMemoryError from the VM: an array larger than any heap this test runs with.
            long[] hog = new long[Integer.MAX_VALUE - 16];
            ran.add("hog" + hog.length);
        }), handler("fine", j -> ran.add("fine" + j.id())));

        long hog = enqueue("hog", 2);
        Job dead = awaitStatus(hog, Status.DEAD);
        long fine = enqueue("fine", 1);

        awaitStatus(fine, Status.DONE);
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.lastError()).startsWith("OutOfMemoryError");
        assertThat(ran).containsExactly("fine" + fine);
        assertThat(workers.running()).isTrue();
        assertThat(workers.live()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aStackOverflowFailsItsJobNeverTheWorker(TestDb kind) {
        start(kind, fast(), handler("deep", j -> recurse(0)), handler("fine", j -> { }));

        Job dead = awaitStatus(enqueue("deep", 1), Status.DEAD);

        assertThat(dead.lastError()).startsWith("StackOverflowError");
        awaitStatus(enqueue("fine", 1), Status.DONE);
        assertThat(workers.live()).isTrue();
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void anAttemptPastItsTimeBudgetIsInterruptedAndFails(TestDb kind) {
        AtomicInteger runs = new AtomicInteger();
        start(kind, fast().withJobTimeout(Duration.ofMillis(300)), handler("slow", j -> {
            runs.incrementAndGet();
            Thread.sleep(60_000);
        }));

        Job dead = awaitStatus(enqueue("slow", 2), Status.DEAD);

        assertThat(runs).hasValue(2);
        assertThat(dead.lastError()).startsWith("TimeBudgetExceeded: exceeded its time budget of PT0.3S");
        assertThat(workers.live()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aHandlerThatIgnoresItsBudgetIsAbandonedAndItsWorkerReplaced(TestDb kind) {
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        start(kind, fast().withJobTimeout(Duration.ofMillis(200)).withWorkers(1), handler("stubborn", j -> {
            // CPU-bound and deaf to interrupts, like a parser stuck in hostile input.
            while (!release.get()) {
                Thread.interrupted();
                Thread.onSpinWait();
            }
        }), handler("fine", j -> { }));
        try {
            long stubborn = enqueue("stubborn", 1);
            Job dead = awaitStatus(stubborn, Status.DEAD);
            // The stubborn handler still spins, yet the pool's only worker slot runs other jobs.
            awaitStatus(enqueue("fine", 1), Status.DONE);

            assertThat(dead.lastError()).contains("did not stop when interrupted; its thread was abandoned");
            assertThat(workers.live()).isTrue();
        } finally {
            release.set(true);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void theWorkersAreNotLiveWhenMoreHandlersAreStuckThanThereAreWorkers(TestDb kind) {
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        open(kind);
        startWorkers(fast().withJobTimeout(Duration.ofMillis(200)).withWorkers(1), handler("stubborn", j -> {
            while (!release.get()) {
                Thread.interrupted();
                Thread.onSpinWait();
            }
        }));

        try {
            long first = enqueue("stubborn", 1);
            long second = enqueue("stubborn", 1);
            awaitStatus(first, Status.DEAD);
            awaitStatus(second, Status.DEAD);

            assertThat(workers.live()).isFalse();
        } finally {
            release.set(true);
        }
        await().atMost(WAIT).until(workers::live);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void queueDepthIsPublished(TestDb kind) {
        start(kind, fast(), handler("x", j -> { }));
        queue.enqueue("x", "{}", Optional.empty(), 1, Instant.now().plus(Duration.ofHours(1)));
        queue.enqueue("x", "{}", Optional.empty(), 1, Instant.now().plus(Duration.ofHours(1)));

        await().atMost(WAIT).until(() -> metrics.get("fixgate_jobs_queue_depth").tag("status", "queued").gauge().value() == 2.0);
        assertThat(metrics.get("fixgate_jobs_queue_depth").tag("status", "dead").gauge().value()).isZero();
    }

    @Test
    void aKindHasOneHandler() {
        JobWorkersBuilder b = JobWorkers.builder(new JobQueue(null)).register(handler("k", j -> { }));
        assertThatThrownBy(() -> b.register(handler("k", j -> { })))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'k' already has a handler");
    }

    @Test
    void backoffDoublesIsCappedAndJittersWithinTheUpperHalf() {
        Backoff lowest = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), new FixedRandom(0));
        Backoff highest = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), new FixedRandom(Long.MAX_VALUE));

        assertThat(lowest.ceiling(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(lowest.ceiling(3)).isEqualTo(Duration.ofSeconds(120));
        assertThat(lowest.ceiling(200)).isEqualTo(Duration.ofHours(1));
        assertThat(lowest.delay(3)).isEqualTo(Duration.ofSeconds(60));
        assertThat(highest.delay(3)).isEqualTo(Duration.ofSeconds(120));
        assertThat(highest.delay(200)).isEqualTo(Duration.ofHours(1));
        Backoff real = Backoff.standard();
        for (int i = 0; i < 1000; i++) {
            assertThat(real.delay(2)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    /** nextLong(bound) returns min(value, bound - 1): 0 is the lowest draw, MAX_VALUE the highest. */
    private record FixedRandom(long value) implements RandomGenerator {
        @Override
        public long nextLong() {
            return value;
        }

        @Override
        public long nextLong(long bound) {
            return Math.min(value, bound - 1);
        }
    }
}
