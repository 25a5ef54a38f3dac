package dev.fixgate.app.pipeline;

import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.gate.Gates;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.enrich.EvidenceIndex;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How located, planned, gated resources become proposals: by initiative, gate action and the repository's grouping. */
class ProposalsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ControlId VERSIONING = new ControlId("aws.s3.bucket.versioning");
    private static final InitiativeId INITIATIVE = new InitiativeId("0123456789abcdef0123");

    @TempDir
    Path repo;

    private final Remediation remediation = new Remediation(Remediation.Stages.standard(PlaybookCatalog.builtIn(),
            Planner.standard(), Gates.builtIn(), StateSources.localOnly()));

    @BeforeEach
    void checkout() throws Exception {
        for (String dir : List.of("prod", "staging")) {
            Files.createDirectories(repo.resolve(dir));
            Files.writeString(repo.resolve(dir + "/s3.tf"), """
                    resource "aws_s3_bucket" "logs" {
                      bucket = "acme-%s-logs"
                    }
                    """.formatted(dir));
        }
        Files.writeString(repo.resolve("staging/more.tf"), """
                resource "aws_s3_bucket" "scratch" {
                  bucket = "acme-staging-scratch"
                }
                """);
    }

    private static Finding bucket(String name) {
        return new Finding("securityhub", "sh-" + name, VERSIONING, "S3.14", Severity.LOW, "LOW",
                new CloudResource(Cloud.AWS, "111111111111", "us-east-1", "AwsS3Bucket", "arn:aws:s3:::" + name),
                "S3 general purpose buckets should have versioning enabled", true, NOW, NOW, SourceLocation.of("t"));
    }

    private RemediationRun.Report build(String config) {
        return new RemediationRun(remediation, Optional.empty(), "test",
                new RemediationRun.Target("acme/infra", 7, Optional.of(INITIATIVE)),
                remediation.map(RepoScan.of(repo), "acme/infra", RepoConfigLoader.parse("t", config)),
                new Remediation.Context("acme/infra", Optional.of(INITIATIVE), EvidenceSource.none(),
                        RepoConfigLoader.parse("t", config), NOW))
                .run(List.of(bucket("acme-prod-logs"), bucket("acme-staging-logs"), bucket("acme-staging-scratch"),
                        bucket("acme-elsewhere")));
    }

    @Test
    void oneInitiativeIsOnePullRequestByDefault() {
        RemediationRun.Report r = build("mode: autonomous\n");

        assertThat(r.results()).hasSize(3);
        assertThat(r.skipped()).extracting(s -> s.finding().resource().key()).containsExactly("arn:aws:s3:::acme-elsewhere");
        assertThat(r.skipped()).extracting(RemediationRun.Skipped::code).containsExactly("locate.not-in-code");
        assertThat(r.playbookIds()).containsExactly("s3_bucket_versioning");
        assertThat(r.proposals()).singleElement().satisfies(p -> {
            assertThat(p.initiativeId()).isEqualTo(INITIATIVE.value());
            assertThat(p.files()).containsOnlyKeys("prod/s3.tf", "staging/s3.tf", "staging/more.tf");
            assertThat(p.resources()).hasSize(3);
        });
    }

    @Test
    void controlDirectoryGroupingMakesOnePullRequestPerDirectoryOnSeparateBranches() {
        RemediationRun.Report r = build("mode: autonomous\ngrouping: control_directory\n");

        assertThat(r.proposals()).hasSize(2);
        assertThat(r.proposals()).extracting(p -> p.files().keySet()).containsExactlyInAnyOrder(
                java.util.Set.of("prod/s3.tf"), java.util.Set.of("staging/s3.tf", "staging/more.tf"));
        assertThat(r.proposals()).extracting(PullRequestContent::branch).doesNotHaveDuplicates();
        assertThat(r.proposals()).allSatisfy(p -> assertThat(p.initiativeId()).isEqualTo(INITIATIVE.value()));
    }
}
