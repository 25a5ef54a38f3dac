package dev.fixgate.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.finding.InitiativeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReassessJobHandlerTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:07:00Z");

    @Test
    void oneRunPerSlotWhateverReplicaOrRestartSchedulesIt() {
        try (Database db = TestDb.H2.fresh()) {
            JobQueue queue = new JobQueue(db);
            Instant at = ReassessJobHandler.schedule(queue, Duration.ofHours(6), NOW);
            assertThat(at).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
            // a second replica, or a restart, in the same slot
            ReassessJobHandler.schedule(queue, Duration.ofHours(6), NOW.plusSeconds(600));
            assertThat(queue.list(Optional.of(JobQueue.Status.QUEUED), 10))
                    .filteredOn(j -> j.kind().equals(ReassessJobHandler.KIND)).hasSize(1);
        }
    }

    @Test
    void queuesTheRemediationOfEveryInitiativeWithAnOpenRemediationOnceAndTheNextRun() {
        try (Database db = TestDb.H2.fresh()) {
            JobQueue queue = new JobQueue(db);
            RemediationStore remediations = new RemediationStore(db);
            InitiativeStore initiatives = new InitiativeStore(db);
            dev.fixgate.app.store.FindingStore findings = new dev.fixgate.app.store.FindingStore(db);
            InitiativeId open = saved(findings, initiatives, "aws.s3.bucket.https_only");
            InitiativeId merged = saved(findings, initiatives, "aws.s3.bucket.versioning");
            remediations.create(open, "s3_bucket_https_only", RciLevel.RISKY, 0.5, "acme/infra", "fixgate/x", "{}", NOW);
            remediations.create(open, "s3_bucket_https_only", RciLevel.RISKY, 0.5, "acme/infra", "fixgate/y", "{}", NOW);
            long m = remediations.create(merged, "s3_bucket_versioning", RciLevel.SAFE, 1, "acme/infra", "fixgate/z", "{}",
                    NOW);
            remediations.merged(m, "abc", NOW);
            AtomicInteger woken = new AtomicInteger();
            ReassessJobHandler handler = new ReassessJobHandler(remediations, initiatives, queue,
                    Duration.ofHours(6), Clock.fixed(NOW, ZoneOffset.UTC), woken::incrementAndGet);

            handler.handle(null);

            assertThat(queue.list(Optional.of(JobQueue.Status.QUEUED), 10)).extracting(JobQueue.Job::kind)
                    .containsExactlyInAnyOrder(RemediateJobHandler.KIND, ReassessJobHandler.KIND);
            assertThat(queue.list(Optional.of(JobQueue.Status.QUEUED), 10))
                    .filteredOn(j -> j.kind().equals(RemediateJobHandler.KIND)).singleElement()
                    .satisfies(j -> assertThat(queue.find(j.id()).orElseThrow().payload()).contains(open.value()));
            assertThat(woken).hasValue(1);
        }
    }

    private static InitiativeId saved(dev.fixgate.app.store.FindingStore findings, InitiativeStore initiatives,
                                      String control) {
        dev.fixgate.spi.finding.ControlId c = dev.fixgate.spi.finding.ControlId.canonical(control);
        dev.fixgate.spi.finding.Finding f = new dev.fixgate.spi.finding.Finding("securityhub", control, c, "S3.x",
                dev.fixgate.spi.finding.Severity.HIGH, "HIGH", new dev.fixgate.spi.finding.CloudResource(
                        dev.fixgate.spi.finding.Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::data"), "", true, NOW,
                NOW, dev.fixgate.spi.error.SourceLocation.of("f.json"));
        findings.record(f);
        InitiativeId id = InitiativeId.of(c, "account:1");
        initiatives.save(new dev.fixgate.spi.finding.Initiative(id, c, "account:1", dev.fixgate.spi.finding.Severity.HIGH,
                java.util.List.of(f.fingerprint())), NOW);
        return id;
    }
}
