package dev.fixgate.app.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.assess.EvidenceIndex;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.locate.RepoScan;
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

/** How located, gated resources become proposals: by initiative, gate action and the repository's grouping. */
class ProposalsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ControlId VERSIONING = new ControlId("aws.s3.bucket.versioning");
    private static final InitiativeId INITIATIVE = new InitiativeId("0123456789abcdef0123");

    @TempDir
    Path repo;

    private final Proposals proposals = new Proposals(PlaybookCatalog.builtIn(), RemediationSafety.builtIn());

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

    private Proposals.Result build(String config) {
        return proposals.build(new Proposals.Target("acme/infra", 7, Optional.of(INITIATIVE)), RepoScan.of(repo),
                List.of(bucket("acme-prod-logs"), bucket("acme-staging-logs"), bucket("acme-staging-scratch"),
                        bucket("acme-elsewhere")),
                new EvidenceIndex(List.of()), RepoConfigLoader.parse("t", config), NOW);
    }

    @Test
    void oneInitiativeIsOnePullRequestByDefault() {
        Proposals.Result r = build("mode: autonomous\n");

        assertThat(r.decisions()).hasSize(3);
        assertThat(r.notLocated()).extracting(f -> f.resource().key()).containsExactly("arn:aws:s3:::acme-elsewhere");
        assertThat(r.proposed()).singleElement().satisfies(p -> {
            assertThat(p.playbookId()).isEqualTo("s3_bucket_versioning");
            assertThat(p.proposal().initiativeId()).isEqualTo(INITIATIVE.value());
            assertThat(p.proposal().files()).containsOnlyKeys("prod/s3.tf", "staging/s3.tf", "staging/more.tf");
            assertThat(p.proposal().resources()).hasSize(3);
        });
    }

    @Test
    void controlDirectoryGroupingMakesOnePullRequestPerDirectoryOnSeparateBranches() {
        Proposals.Result r = build("mode: autonomous\ngrouping: control_directory\n");

        assertThat(r.proposals()).hasSize(2);
        assertThat(r.proposals()).extracting(p -> p.files().keySet()).containsExactlyInAnyOrder(
                java.util.Set.of("prod/s3.tf"), java.util.Set.of("staging/s3.tf", "staging/more.tf"));
        assertThat(r.proposals()).extracting(PullRequestContent::branch).doesNotHaveDuplicates();
        assertThat(r.proposals()).allSatisfy(p -> assertThat(p.initiativeId()).isEqualTo(INITIATIVE.value()));
    }
}
