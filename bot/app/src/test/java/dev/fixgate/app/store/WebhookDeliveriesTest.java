package dev.fixgate.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.app.store.WebhookDeliveries.Delivery;
import dev.fixgate.app.store.WebhookDeliveries.Status;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebhookDeliveriesTest {

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aRedeliveryIsRecognised(TestDb kind) {
        try (Database db = kind.fresh()) {
            WebhookDeliveries deliveries = new WebhookDeliveries(db);
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            Delivery d = new Delivery("72d3162e-cc78-11e3-81ab-4c9367dc0958", "pull_request", "opened", 42,
                    "acme/infra", "f".repeat(64), Status.RECEIVED, "", now);

            assertThat(deliveries.recordIfNew(d)).isTrue();
            assertThat(deliveries.recordIfNew(d)).isFalse();

            deliveries.finish(d.deliveryId(), Status.FAILED, "x".repeat(5000), now.plusSeconds(1));
            assertThat(deliveries.find(d.deliveryId())).hasValueSatisfying(stored -> {
                assertThat(stored.status()).isEqualTo(Status.FAILED);
                assertThat(stored.error()).hasSize(2000).endsWith("…");
                assertThat(stored.installationId()).isEqualTo(42);
                assertThat(stored.receivedAt()).isEqualTo(now);
            });
            assertThat(deliveries.find("nope")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void theOutcomeAndTheJobsCompletionAreWrittenTogether(TestDb kind) {
        try (Database db = kind.fresh()) {
            WebhookDeliveries deliveries = new WebhookDeliveries(db);
            JobQueue jobs = new JobQueue(db);
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            for (String id : new String[] {"d-1", "d-2"}) {
                deliveries.recordWithJob(new Delivery(id, "push", "", 7, "acme/infra", "a".repeat(64), Status.RECEIVED,
                        "", now), "github.webhook", "{}", 3);
            }
            JobQueue.Job first = jobs.claim("w", now).orElseThrow();
            deliveries.finishAndComplete("d-1", Status.PROCESSED, "", now, jobs, first);
            assertThat(jobs.find(first.id())).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(JobQueue.Status.DONE));
            assertThat(deliveries.find("d-1")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.PROCESSED));
            assertThat(jobs.complete(first.id(), "w", now)).isTrue(); // done already: nothing more is written

            // no longer the worker's: the outcome is recorded, the job is not completed by it
            JobQueue.Job second = jobs.claim("w", now).orElseThrow();
            jobs.release(second.id(), "w", now);
            deliveries.finishAndComplete("d-2", Status.IGNORED, "no handler", now, jobs, second);
            assertThat(deliveries.find("d-2")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.IGNORED));
            assertThat(jobs.find(second.id())).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(JobQueue.Status.QUEUED));
            assertThat(jobs.complete(second.id(), "w", now)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aDeliveryAndItsJobAreStoredTogetherOrNotAtAll(TestDb kind) {
        try (Database db = kind.fresh()) {
            WebhookDeliveries deliveries = new WebhookDeliveries(db);
            JobQueue jobs = new JobQueue(db);
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            Delivery d = new Delivery("d-1", "push", "", 7, "acme/infra", "a".repeat(64), Status.RECEIVED, "", now);

            Optional<Long> job = deliveries.recordWithJob(d, "github.webhook", "{\"n\":1}", 3);
            assertThat(job).isPresent();
            assertThat(jobs.find(job.get())).hasValueSatisfying(j -> {
                assertThat(j.kind()).isEqualTo("github.webhook");
                assertThat(j.payload()).isEqualTo("{\"n\":1}");
                assertThat(j.status()).isEqualTo(JobQueue.Status.QUEUED);
                assertThat(j.runAfter()).isEqualTo(now);
            });

            // A redelivery writes nothing: no second delivery row, no second job.
            assertThat(deliveries.recordWithJob(d, "github.webhook", "{\"n\":2}", 3)).isEmpty();
            assertThat(jobs.counts().get(JobQueue.Status.QUEUED)).isEqualTo(1);

            // The job insert fails after the delivery insert: the delivery is rolled back with it.
            Delivery other = new Delivery("d-2", "push", "", 7, "acme/infra", "b".repeat(64), Status.RECEIVED, "", now);
            assertThatThrownBy(() -> deliveries.recordWithJob(other, "github.webhook", "{}", 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(deliveries.find("d-2")).isEmpty();
            assertThat(deliveries.recent(10)).extracting(Delivery::deliveryId).containsExactly("d-1");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aValueTheDatabaseRefusesIsAPermanentFailureNotAnOutage(TestDb kind) {
        try (Database db = kind.fresh()) {
            Delivery tooLong = new Delivery("d-long", "issues", "a".repeat(100), 7, "acme/infra", "c".repeat(64),
                    Status.RECEIVED, "", Instant.parse("2026-11-22T10:00:00Z"));

            assertThatThrownBy(() -> new WebhookDeliveries(db).recordWithJob(tooLong, "github.webhook", "{}", 3))
                    .isInstanceOfSatisfying(dev.fixgate.spi.error.FixgateException.class,
                            e -> assertThat(e.code()).isEqualTo(Sql.REJECTED));
        }
    }

    /**
     * Group commit: a burst of concurrent deliveries shares transactions, yet each is answered for itself — a
     * redelivery inside the same burst gets nothing, a delivery the database refuses fails alone, the rest are all
     * stored with their jobs.
     */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aBurstIsCommittedInBatchesYetEachDeliveryIsAnsweredForItself(TestDb kind) throws Exception {
        try (Database db = kind.fresh()) {
            WebhookDeliveries deliveries = new WebhookDeliveries(db);
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            int n = 300;
            java.util.List<java.util.concurrent.Future<Object>> answers = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(32)) {
                for (int i = 0; i < n; i++) {
                    String id = i == n - 1 ? "d-7" : "d-" + i; // the last one redelivers d-7
                    String action = i == 13 ? "a".repeat(100) : "opened";
                    Delivery d = new Delivery(id, "issues", action, 7, "acme/infra", "c".repeat(64), Status.RECEIVED, "", now);
                    answers.add(pool.submit(() -> {
                        try {
                            return deliveries.recordWithJob(d, "github.webhook", "{}", 3);
                        } catch (dev.fixgate.spi.error.FixgateException e) {
                            return e;
                        }
                    }));
                }
            }
            java.util.List<Object> results = new java.util.ArrayList<>();
            for (var a : answers) {
                results.add(a.get());
            }

            assertThat(results.get(13)).isInstanceOfSatisfying(dev.fixgate.spi.error.FixgateException.class,
                    e -> assertThat(e.code()).isEqualTo(Sql.REJECTED));
            long accepted = results.stream().filter(r -> r instanceof Optional<?> o && o.isPresent()).count();
            long redelivered = results.stream().filter(r -> r instanceof Optional<?> o && o.isEmpty()).count();
            assertThat(accepted).isEqualTo(n - 2);
            assertThat(redelivered).isEqualTo(1);
            assertThat(new JobQueue(db).counts().get(JobQueue.Status.QUEUED)).isEqualTo(n - 2);
            assertThat(deliveries.find("d-13")).isEmpty();
            assertThat(deliveries.find("d-7")).isPresent();
        }
    }

    /** Two replicas (two writers on one database) given the same deliveries at once: each is queued exactly once. */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void twoWritersGivenTheSameDeliveriesQueueEachOnce(TestDb kind) throws Exception {
        try (Database db = kind.fresh()) {
            WebhookDeliveries one = new WebhookDeliveries(db);
            WebhookDeliveries two = new WebhookDeliveries(db);
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            int n = 200;
            java.util.List<java.util.concurrent.Future<Optional<Long>>> answers = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
                for (int i = 0; i < 2 * n; i++) {
                    WebhookDeliveries writer = i % 2 == 0 ? one : two;
                    Delivery d = new Delivery("r-" + (i / 2), "issues", "opened", 7, "acme/infra", "c".repeat(64),
                            Status.RECEIVED, "", now);
                    answers.add(pool.submit(() -> writer.recordWithJob(d, "github.webhook", "{}", 3)));
                }
            }
            java.util.Set<Long> jobs = new java.util.HashSet<>();
            int accepted = 0;
            for (var a : answers) {
                Optional<Long> job = a.get();
                if (job.isPresent()) {
                    accepted++;
                    jobs.add(job.get());
                }
            }
            assertThat(accepted).isEqualTo(n);
            assertThat(jobs).hasSize(n);
            assertThat(new JobQueue(db).counts().get(JobQueue.Status.QUEUED)).isEqualTo(n);
        }
    }
}
