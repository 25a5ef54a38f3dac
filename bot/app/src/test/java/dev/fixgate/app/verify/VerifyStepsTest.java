package dev.fixgate.app.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.enrich.Enrichment;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.VerifyStore;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.FindingState;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The three steps of verification after merge and the verdict over them, without GitHub or a cloud. */
class VerifyStepsTest {

    static final Instant MERGED = Instant.parse("2026-11-20T10:00:00Z");
    static final Playbook VERSIONING = PlaybookCatalog.builtIn().byId("s3_bucket_versioning").orElseThrow();
    static final CodeCheck CODE = new CodeCheck(new Detector());

    static final String BEFORE = """
            resource "aws_s3_bucket" "data" {
              bucket = "acme-data"
            }

            resource "aws_s3_bucket" "logs" {
              bucket = "acme-logs"
            }
            """;
    static final String FIXED = BEFORE.replace("""
            resource "aws_s3_bucket" "logs" {""", """
            resource "aws_s3_bucket_versioning" "data" {
              bucket = aws_s3_bucket.data.id
              versioning_configuration {
                status = "Enabled"
              }
            }

            resource "aws_s3_bucket" "logs" {""");

    @Test
    void theCodeStepPassesWhenTheMergeCommitKeepsTheFix() {
        VerifyStep s = CODE.check(VERSIONING, Map.of("infra/s3.tf", FIXED),
                Map.of("infra/s3.tf", FIXED, "infra/other.tf", "variable \"x\" {}\n"), Map.of());
        assertThat(s.status()).isEqualTo(VerifyStep.Status.PASSED);
        // the bucket the fix did not make compliant (acme-logs) is not its business
        assertThat(s.detail()).contains("aws_s3_bucket.data passes s3_bucket_versioning").doesNotContain("logs");
    }

    @Test
    void theCodeStepFailsWhenTheFixWasUndoneOrTheFileIsGone() {
        VerifyStep undone = CODE.check(VERSIONING, Map.of("infra/s3.tf", FIXED), Map.of("infra/s3.tf", BEFORE), Map.of());
        assertThat(undone.status()).isEqualTo(VerifyStep.Status.FAILED);
        assertThat(undone.detail()).contains("aws_s3_bucket.data fails s3_bucket_versioning at the merge commit");

        VerifyStep gone = CODE.check(VERSIONING, Map.of("infra/s3.tf", FIXED), Map.of("infra/main.tf", FIXED), Map.of());
        assertThat(gone.status()).isEqualTo(VerifyStep.Status.FAILED);
        assertThat(gone.detail()).contains("infra/s3.tf: not on the default branch");
    }

    @Test
    void theCodeStepFailsClosedWhenTheFixMadeNothingCompliant() {
        VerifyStep s = CODE.check(VERSIONING, Map.of("infra/s3.tf", BEFORE), Map.of("infra/s3.tf", BEFORE), Map.of());
        assertThat(s.status()).isEqualTo(VerifyStep.Status.UNAVAILABLE);
    }

    static CloudResource bucket(String name) {
        return new CloudResource(Cloud.AWS, "111111111111", "us-east-1", "AwsS3Bucket", "arn:aws:s3:::" + name);
    }

    /** A source answering s3.versioning_enabled per bucket from {@code values}; absent → unavailable. */
    static EvidenceSource source(Map<String, Object> values, AtomicReference<Instant> readAfter) {
        EvidenceSource live = q -> {
            String id = q.target().orElseThrow().id();
            assertThat(q.named()).containsExactly("s3.versioning_enabled");
            Object v = values.get(id);
            return v == null ? new Enrichment(Map.of(), Map.of(), List.of("s3.versioning_enabled: AccessDenied on"
                    + " s3:GetBucketVersioning"))
                    : new Enrichment(Map.of("s3.versioning_enabled", new Observation(id, "s3.versioning_enabled", v,
                    MERGED.plusSeconds(600), "s3:GetBucketVersioning")), Map.of(), List.of());
        };
        return new EvidenceSource() {
            @Override
            public Enrichment observe(dev.fixgate.app.enrich.EvidenceQuery query) {
                assertThat(readAfter.get()).as("read fresh, after the deployment").isNotNull();
                return live.observe(query);
            }

            @Override
            public EvidenceSource readAfter(Instant instant) {
                readAfter.set(instant);
                return this;
            }
        };
    }

    @Test
    void theCloudStepChecksEveryResourceAgainstTheVerifyRule() {
        AtomicReference<Instant> after = new AtomicReference<>();
        EvidenceSource s = source(Map.of("arn:aws:s3:::a", true, "arn:aws:s3:::b", true), after)
                .readAfter(MERGED.plusSeconds(300));
        List<VerifyStep> ok = new CloudCheck().check(VERSIONING, List.of(bucket("a"), bucket("b")), "", s, MERGED);
        assertThat(ok).singleElement().satisfies(step -> {
            assertThat(step.method()).isEqualTo("cloud:s3.versioning_enabled");
            assertThat(step.status()).isEqualTo(VerifyStep.Status.PASSED);
            assertThat(step.detail()).contains("arn:aws:s3:::a: s3.versioning_enabled = true");
        });

        List<VerifyStep> one = new CloudCheck().check(VERSIONING, List.of(bucket("a"), bucket("b")), "",
                source(Map.of("arn:aws:s3:::a", true, "arn:aws:s3:::b", false), after), MERGED);
        assertThat(one.getFirst().status()).isEqualTo(VerifyStep.Status.FAILED);
        assertThat(one.getFirst().detail()).contains("arn:aws:s3:::b: s3.versioning_enabled = false, expected `value == true`");
    }

    @Test
    void anUnreadableResourceOrNoResourceIsUnavailableNeverPassed() {
        AtomicReference<Instant> after = new AtomicReference<>(MERGED);
        List<VerifyStep> denied = new CloudCheck().check(VERSIONING, List.of(bucket("a"), bucket("b")), "",
                source(Map.of("arn:aws:s3:::a", true), after), MERGED);
        assertThat(denied.getFirst().status()).isEqualTo(VerifyStep.Status.UNAVAILABLE);
        assertThat(denied.getFirst().detail()).contains("AccessDenied on s3:GetBucketVersioning");

        List<VerifyStep> none = new CloudCheck().check(VERSIONING, List.of(), "the findings name only code",
                source(Map.of(), after), MERGED);
        assertThat(none.getFirst().status()).isEqualTo(VerifyStep.Status.UNAVAILABLE);
        assertThat(none.getFirst().detail()).contains("the findings name only code");
    }

    static FindingStore.StoredFinding stored(FindingState state) {
        return new FindingStore.StoredFinding(new Fingerprint("a".repeat(64)),
                ControlId.canonical("aws.s3.bucket.versioning"), bucket("a"), Severity.MEDIUM, state, "t",
                MERGED.minus(Duration.ofDays(3)), MERGED, MERGED);
    }

    static FindingStore.Sighting sighting(boolean active, Instant last) {
        return new FindingStore.Sighting("securityhub", "id-1", "S3.14", "MEDIUM", active, SourceLocation.of("x"),
                MERGED.minus(Duration.ofDays(3)), last);
    }

    @Test
    void theSourceStepWantsAResolutionReportedSinceTheMerge() {
        Fingerprint fp = new Fingerprint("a".repeat(64));
        VerifyStep resolved = SourceCheck.check(Map.of(fp, Optional.of(stored(FindingState.RESOLVED))),
                Map.of(fp, List.of(sighting(false, MERGED.plusSeconds(3600)))), MERGED, Optional.empty());
        assertThat(resolved.status()).isEqualTo(VerifyStep.Status.PASSED);
        assertThat(resolved.detail()).contains("resolved by securityhub");

        // resolved, but before the merge: not this fix's doing
        VerifyStep old = SourceCheck.check(Map.of(fp, Optional.of(stored(FindingState.RESOLVED))),
                Map.of(fp, List.of(sighting(false, MERGED.minusSeconds(60)))), MERGED, Optional.empty());
        assertThat(old.status()).isEqualTo(VerifyStep.Status.PENDING);

        VerifyStep still = SourceCheck.check(Map.of(fp, Optional.of(stored(FindingState.OPEN))),
                Map.of(fp, List.of(sighting(true, MERGED.plusSeconds(7200)))), MERGED,
                Optional.of(MERGED.plusSeconds(3600)));
        assertThat(still.status()).isEqualTo(VerifyStep.Status.FAILED);
        assertThat(still.detail()).contains("still reported by securityhub");

        assertThat(SourceCheck.check(Map.of(), Map.of(), MERGED, Optional.empty()).status())
                .isEqualTo(VerifyStep.Status.UNAVAILABLE);
    }

    static VerifyStep step(String method, VerifyStep.Status s) {
        return new VerifyStep(method, s, "");
    }

    @Test
    void theVerdictNeedsEveryStepAndCallsACodeFixTheCloudLacksDrift() {
        VerifyStep.Status P = VerifyStep.Status.PASSED;
        assertThat(VerifyStep.Verdict.of(List.of(step("code:detect", P), step("cloud:k", P), step("source:findings", P))))
                .isEqualTo(VerifyStep.Verdict.VERIFIED);
        assertThat(VerifyStep.Verdict.of(List.of(step("code:detect", P), step("cloud:k", VerifyStep.Status.FAILED),
                step("source:findings", VerifyStep.Status.PENDING)))).isEqualTo(VerifyStep.Verdict.DRIFT);
        // the code itself is not fixed: not drift, the cloud agreeing with the code
        assertThat(VerifyStep.Verdict.of(List.of(step("code:detect", VerifyStep.Status.FAILED),
                step("cloud:k", VerifyStep.Status.FAILED)))).isEqualTo(VerifyStep.Verdict.PENDING);
        assertThat(VerifyStep.Verdict.of(List.of(step("code:detect", P), step("cloud:k", VerifyStep.Status.UNAVAILABLE),
                step("source:findings", P)))).isEqualTo(VerifyStep.Verdict.PENDING);
        assertThat(VerifyStep.Verdict.of(List.of())).isEqualTo(VerifyStep.Verdict.PENDING);
    }

    static VerifyStore.Track track(Optional<Instant> deployed, Optional<Instant> escalated) {
        return new VerifyStore.Track(1, "acme/infra", 7, 3, "0".repeat(40), MERGED, MERGED.plus(Duration.ofDays(7)),
                VerifyStore.State.VERIFYING, deployed, "", OptionalLong.empty(), "", Optional.empty(), escalated,
                OptionalInt.empty(), Optional.empty(), "", MERGED, MERGED);
    }

    @Test
    void theNextRunIsAtTheDeployDelayThenHourlyUntilTheDeadlineAndNeverAfterTheEnd() {
        RepoConfig.Verify.Deploy delay = new RepoConfig.Verify.Deploy(RepoConfig.Verify.Signal.DELAY,
                Duration.ofMinutes(20), "", "");
        assertThat(Verifier.next(VerifyStep.Verdict.PENDING, track(Optional.empty(), Optional.empty()), delay, MERGED))
                .contains(MERGED.plus(Duration.ofMinutes(20)));
        RepoConfig.Verify.Deploy deployment = new RepoConfig.Verify.Deploy(RepoConfig.Verify.Signal.DEPLOYMENT,
                Duration.ofHours(1), "", "");
        assertThat(Verifier.next(VerifyStep.Verdict.PENDING, track(Optional.empty(), Optional.empty()), deployment,
                MERGED)).contains(MERGED.plus(Duration.ofHours(1)));
        Instant late = MERGED.plus(Duration.ofDays(7)).minusSeconds(60);
        assertThat(Verifier.next(VerifyStep.Verdict.PENDING, track(Optional.of(MERGED), Optional.empty()), deployment,
                late)).contains(MERGED.plus(Duration.ofDays(7)));
        assertThat(Verifier.next(VerifyStep.Verdict.VERIFIED, track(Optional.of(MERGED), Optional.empty()), deployment,
                late)).isEmpty();
        assertThat(Verifier.next(VerifyStep.Verdict.PENDING, track(Optional.of(MERGED), Optional.of(late)), deployment,
                late)).isEmpty();
    }

    @Test
    void theSummaryIsOneRowPerStep() {
        List<VerifyStep> steps = new ArrayList<>(List.of(new VerifyStep("code:detect", VerifyStep.Status.PASSED,
                "infra/s3.tf: a | b"), new VerifyStep("cloud:k", VerifyStep.Status.FAILED, "x\ny")));
        String s = Verifier.summary(track(Optional.of(MERGED), Optional.empty()), steps, VerifyStep.Verdict.DRIFT, false);
        assertThat(s).startsWith("The fix is in code but not applied").contains("| `code:detect` | passed | infra/s3.tf: a \\| b |")
                .contains("| `cloud:k` | failed | x<br>y |");
    }
}
