package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.store.WebhookDeliveries.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookDispatcherTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path home;
    private Database db;
    private WebhookDeliveries deliveries;
    private JobQueue jobs;

    @BeforeEach
    void open() {
        db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2);
        deliveries = new WebhookDeliveries(db);
        jobs = new JobQueue(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Job queued(String event, String delivery, String file) throws Exception {
        byte[] body = WebhookReceiverTest.payload(file);
        WebhookReceiver.Result r = new WebhookReceiver(WebhookReceiverTest.SECRET, deliveries, CLOCK)
                .receive(event, delivery, WebhookSignature.sign(WebhookReceiverTest.SECRET, body), body);
        return jobs.find(((WebhookReceiver.Result.Accepted) r).jobId()).orElseThrow();
    }

    @Test
    void everyHandlerOfTheEventRunsInOrderAndTheDeliveryIsProcessed() throws Exception {
        List<String> calls = new ArrayList<>();
        WebhookDispatcher dispatcher = WebhookDispatcher.builder(deliveries, CLOCK)
                .on("pull_request", e -> calls.add("first " + e.action() + " #" + e.payload().path("number").asInt()))
                .on("pull_request", e -> calls.add("second " + e.installationId()))
                .on("issue_comment", e -> calls.add("not me"))
                .build();

        dispatcher.handle(queued("pull_request", "d-1", "pull_request-opened.json"));

        assertThat(dispatcher.kind()).isEqualTo(WebhookReceiver.JOB_KIND);
        assertThat(calls).containsExactly("first opened #2", "second 0");
        assertThat(deliveries.find("d-1")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.PROCESSED));
    }

    @Test
    void withItsQueueTheJobCompletesInTheSameTransactionAsItsDelivery() throws Exception {
        WebhookDispatcher dispatcher = WebhookDispatcher.builder(deliveries, CLOCK).completingJobsIn(jobs)
                .on("pull_request", e -> { }).build();
        queued("pull_request", "d-9", "pull_request-opened.json");
        queued("ping", "d-10", "ping.json");

        for (int i = 0; i < 2; i++) {
            Job claimed = jobs.claim("worker-1", CLOCK.instant().plusSeconds(1)).orElseThrow();
            dispatcher.handle(claimed);
            // done already, before the worker completes it; the worker's completion then succeeds without a write
            assertThat(jobs.find(claimed.id())).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(JobQueue.Status.DONE));
            assertThat(jobs.complete(claimed.id(), "worker-1", CLOCK.instant())).isTrue();
        }
        assertThat(deliveries.find("d-9")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.PROCESSED));
        assertThat(deliveries.find("d-10")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(Status.IGNORED));
        // a job that is no longer the worker's is not completed by it: the worker's own completion says so
        queued("pull_request", "d-11", "pull_request-opened.json");
        Job claimed = jobs.claim("worker-1", CLOCK.instant().plusSeconds(1)).orElseThrow();
        assertThat(jobs.release(claimed.id(), "worker-1", CLOCK.instant())).isTrue();
        dispatcher.handle(claimed);
        assertThat(jobs.find(claimed.id())).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(JobQueue.Status.QUEUED));
        assertThat(jobs.complete(claimed.id(), "worker-1", CLOCK.instant())).isFalse();
    }

    @Test
    void eventsWithoutAHandlerAreIgnored() throws Exception {
        WebhookDispatcher.builder(deliveries, CLOCK).build().handle(queued("ping", "d-2", "ping.json"));

        assertThat(deliveries.find("d-2")).hasValueSatisfying(d -> {
            assertThat(d.status()).isEqualTo(Status.IGNORED);
            assertThat(d.error()).contains("no handler for event 'ping'");
        });
    }

    @Test
    void aFailingHandlerMarksTheDeliveryFailedAndFailsTheAttempt() throws Exception {
        WebhookDispatcher dispatcher = WebhookDispatcher.builder(deliveries, CLOCK)
                .on("ping", e -> {
                    throw new IllegalStateException("GitHub said 502 password=hunter2hunter2");
                }).build();
        Job job = queued("ping", "d-3", "ping.json");

        assertThatThrownBy(() -> dispatcher.handle(job)).isInstanceOf(IllegalStateException.class);
        assertThat(deliveries.find("d-3")).hasValueSatisfying(d -> {
            assertThat(d.status()).isEqualTo(Status.FAILED);
            assertThat(d.error()).contains("GitHub said 502").doesNotContain("hunter2");
        });
    }

    @Test
    void aJobThatIsNotAnEnvelopeFailsPermanently() {
        Job broken = new Job(1, WebhookReceiver.JOB_KIND, "{\"not\":\"an envelope\"}", JobQueue.Status.RUNNING, 1, 3,
                CLOCK.instant(), "", "w", CLOCK.instant(), CLOCK.instant());

        assertThatThrownBy(() -> WebhookDispatcher.builder(deliveries, CLOCK).build().handle(broken))
                .isInstanceOf(PermanentJobFailure.class);
    }
}
