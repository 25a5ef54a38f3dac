package dev.fixgate.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.enrich.EvidenceIndex;
import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.gate.Action;
import dev.fixgate.app.gate.Gates;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.ResourceRef;
import dev.fixgate.spi.finding.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run over one checkout: every stage once per resource, and what it decides and proposes. */
class RemediationRunTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ControlId VERSIONING = new ControlId("aws.s3.bucket.versioning");

    @TempDir
    Path repo;

    private CountingStages stages;

    @BeforeEach
    void checkout() throws Exception {
        Files.writeString(repo.resolve("main.tf"), """
                resource "aws_s3_bucket" "data" {
                  bucket = "acme-data"
                }

                resource "aws_s3_bucket" "logs" {
                  bucket = "acme-logs"
                }

                resource "aws_s3_bucket" "web" {
                  bucket = "acme-web"
                }
                """);
        stages = new CountingStages(Remediation.Stages.standard(PlaybookCatalog.builtIn(), Planner.standard(),
                Gates.builtIn(), StateSources.localOnly()));
    }

    private static Finding finding(String tool, String id, ControlId control, ResourceRef resource) {
        return new Finding(tool, tool + "-" + id, control, id, Severity.LOW, "LOW", resource,
                "S3 general purpose buckets should have versioning enabled", true, NOW, NOW, SourceLocation.of("t"));
    }

    private static CloudResource bucket(String name) {
        return new CloudResource(Cloud.AWS, "111111111111", "us-east-1", "AwsS3Bucket", "arn:aws:s3:::" + name);
    }

    private RemediationRun.Report run(EvidenceIndex evidence, List<Finding> findings) {
        return new RemediationRun(new Remediation(stages), Optional.empty(), "test",
                new RemediationRun.Target("acme/infra", 7, Optional.empty()),
                stages.map(RepoScan.of(repo), "acme/infra", RepoConfig.defaults()),
                new Remediation.Context("infra", Optional.empty(), EvidenceSource.of(evidence),
                        RepoConfigLoader.parse("t", "mode: autonomous\n"), NOW))
                .run(findings);
    }

    @Test
    void eachFindingIsSelectedAndLocatedOnceAndEachResourcePlannedAssessedAndGatedOnce() {
        List<Finding> findings = List.of(
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-data")),
                // the same bucket from an IaC scanner: one fix, not two
                finding("checkov", "CKV_AWS_21", VERSIONING, new CodeResource("acme/infra", "main.tf",
                        "aws_s3_bucket.data", "aws_s3_bucket", 1)),
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-logs")),
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-web")),
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-elsewhere")),
                finding("securityhub", "X.1", new ControlId("unmapped:securityhub:X.1"), bucket("acme-data")));

        RemediationRun.Report report = run(EvidenceIndex.empty(), findings);

        assertThat(stages.selected.values()).hasSize(6).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(stages.located.values()).hasSize(5).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(stages.planned).containsOnlyKeys("s3_bucket_versioning main.tf:aws_s3_bucket.data",
                "s3_bucket_versioning main.tf:aws_s3_bucket.logs", "s3_bucket_versioning main.tf:aws_s3_bucket.web");
        assertThat(stages.planned.values()).extracting(AtomicInteger::get).containsOnly(1);
        assertThat(stages.enriched.keySet()).isEqualTo(stages.planned.keySet());
        assertThat(stages.enriched.values()).extracting(AtomicInteger::get).containsOnly(1);
        assertThat(stages.assessed.keySet()).isEqualTo(stages.planned.keySet());
        assertThat(stages.gated.keySet()).isEqualTo(stages.planned.keySet());
        assertThat(stages.assessed.values()).extracting(AtomicInteger::get).containsOnly(1);
        assertThat(stages.gated.values()).extracting(AtomicInteger::get).containsOnly(1);

        assertThat(report.results()).hasSize(3);
        assertThat(report.results().getFirst().subject().findings()).extracting(Finding::sourceTool)
                .containsExactly("securityhub", "checkov");
        assertThat(report.skipped()).extracting(RemediationRun.Skipped::code)
                .containsExactly("plan.no-playbook", "locate.not-in-code");
        // three buckets of one initiative in one file: one proposal, the three fixes merged, none planned again
        assertThat(report.proposals()).singleElement().satisfies(p -> {
            assertThat(p.resources()).hasSize(3);
            assertThat(p.findings()).hasSize(4);
            String composed = p.files().get("main.tf");
            for (RemediationResult r : report.results()) {
                Planner.FileChange own = r.plan().changes().getFirst();
                List<String> before = own.before().lines().toList();
                own.after().lines().filter(l -> !before.contains(l))
                        .forEach(added -> assertThat(composed).as(r.location()).contains(added));
                assertThat(r.plan().rebased()).isFalse();
            }
        });
        assertThat(stages.composed.get()).isEqualTo(1);
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void aRunWithoutProposalsDecidesTheSameAndComposesNothing() {
        List<Finding> findings = List.of(
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-data")),
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-logs")));
        var proposing = run(EvidenceIndex.empty(), findings);
        stages.composed.set(0);

        RemediationRun.Report report = new RemediationRun(new Remediation(stages), Optional.empty(), "test",
                new RemediationRun.Target("acme/infra", 7, Optional.empty()),
                stages.map(RepoScan.of(repo), "acme/infra", RepoConfig.defaults()),
                new Remediation.Context("infra", Optional.empty(), EvidenceSource.of(EvidenceIndex.empty()),
                        RepoConfigLoader.parse("t", "mode: autonomous\n"), NOW))
                .withoutProposals().run(findings);

        assertThat(report.results()).extracting(RemediationResult::resource, RemediationResult::action,
                        r -> r.plan().changes())
                .containsExactlyElementsOf(proposing.results().stream().map(r -> org.assertj.core.groups.Tuple.tuple(
                        r.resource(), r.action(), r.plan().changes())).toList());
        assertThat(report.proposals()).isEmpty();
        assertThat(report.problems()).isEmpty();
        assertThat(stages.composed.get()).isZero();
        assertThat(proposing.proposals()).isNotEmpty();
    }

    @Test
    void theSameInputsDecideTheSameWhateverTheOrderOfTheFindings() {
        List<Finding> findings = List.of(
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-data")),
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-logs")),
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-web")));
        var forward = run(EvidenceIndex.empty(), findings);
        var backward = run(EvidenceIndex.empty(), findings.reversed());
        assertThat(backward.results()).extracting(RemediationResult::resource, RemediationResult::action)
                .containsExactlyInAnyOrderElementsOf(forward.results().stream()
                        .map(r -> org.assertj.core.groups.Tuple.tuple(r.resource(), r.action())).toList());
        assertThat(backward.proposals().getFirst().files()).isEqualTo(forward.proposals().getFirst().files());
    }

    @Test
    void anAssessmentThatFailsDeniesThatResourceAndRecordsOnlyWithoutStoppingTheRun() {
        EvidenceIndex broken = new EvidenceIndex(List.of()) {
            @Override
            public java.util.Map<String, Observation> latest(java.util.Set<String> names) {
                if (names.contains("arn:aws:s3:::acme-logs")) {
                    throw new IllegalStateException("evidence store unavailable");
                }
                return super.latest(names);
            }
        };
        RemediationRun.Report report = run(broken, List.of(
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-data")),
                finding("securityhub", "S3.14", VERSIONING, bucket("acme-logs"))));

        assertThat(report.results()).hasSize(2);
        RemediationResult logs = report.results().get(1);
        assertThat(logs.action()).isEqualTo(Action.RECORD_ONLY);
        assertThat(logs.reasons()).anyMatch(r -> r.contains("the assessment failed"));
        assertThat(report.results().getFirst().action()).isNotEqualTo(Action.RECORD_ONLY);
        assertThat(report.proposals()).singleElement().satisfies(p -> assertThat(p.resources())
                .containsExactly("main.tf:aws_s3_bucket.data"));
    }

    @Test
    void evidenceOlderThanTheRepositorysMaxAgeNeverMakesAFixSafe() {
        var ssl = new ControlId("aws.s3.bucket.ssl_requests_only");
        Observation fresh = new Observation("arn:aws:s3:::acme-data", "s3.object_count", 0L, NOW.minus(Duration.ofDays(1)), "");
        Observation old = new Observation("arn:aws:s3:::acme-logs", "s3.object_count", 0L, NOW.minus(Duration.ofDays(365)), "");
        RemediationRun.Report report = run(new EvidenceIndex(List.of(fresh, old)), List.of(
                finding("securityhub", "S3.5", ssl, bucket("acme-data")),
                finding("securityhub", "S3.5", ssl, bucket("acme-logs"))));

        assertThat(report.results()).extracting(RemediationResult::resource, r -> r.rci().level().name(), RemediationResult::action)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("arn:aws:s3:::acme-data", "SAFE", Action.AUTOMERGE),
                        org.assertj.core.groups.Tuple.tuple("arn:aws:s3:::acme-logs", "RISKY", Action.AWAIT_APPROVAL));
        assertThat(report.results().get(1).reasons()).anyMatch(r -> r.contains("evidence.max_age"));
    }
}
