package dev.fixgate.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.gate.Gates;
import dev.fixgate.app.ingest.ParserRegistry;
import dev.fixgate.app.locate.CloudMap;
import dev.fixgate.app.locate.FindingLocator;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * End to end on the deployed TerraGoat fixture (c2c/README.md: TerraGoat's AWS module and the state its apply would
 * leave): real Security Hub findings that name resources only by AWS id go through the pipeline's select, locate and
 * plan, and come out as fixes of the right blocks — which locating by name never found.
 */
class TerraGoatCodeToCloudTest {

    /** TerraGoat's AWS module as the patchers' corpus has it, and the state its apply would leave (c2c/README.md). */
    private static final Path MODULE = Path.of("../../iac-patchers/src/test/resources/corpus/terragoat/terraform/aws");
    private static final Path STATE = Path.of("src/test/resources/c2c/terragoat-aws.tfstate");

    @org.junit.jupiter.api.io.TempDir
    static Path deployed;
    /** The deployed repository: the module at terraform/aws with its terraform.tfstate. */
    private static Path fixture;

    @org.junit.jupiter.api.BeforeAll
    static void assembleTheDeployedRepository() throws IOException {
        Path aws = Files.createDirectories(deployed.resolve("terraform/aws"));
        try (java.util.stream.Stream<Path> files = Files.list(MODULE)) {
            for (Path tf : files.filter(p -> p.getFileName().toString().endsWith(".tf")).toList()) {
                Files.copy(tf, aws.resolve(tf.getFileName().toString()));
            }
        }
        Files.copy(STATE, aws.resolve("terraform.tfstate"));
        fixture = deployed;
    }
    /** The corpus's AFSBP findings, as providers/aws's tests have them (Maven runs tests in the module directory). */
    private static final Path AFSBP = Path.of("../../providers/aws/src/test/resources/corpus/asff-securityhub/afsbp");
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private final Remediation remediation = new Remediation(Remediation.Stages.standard(PlaybookCatalog.builtIn(),
            Planner.standard(), Gates.builtIn(), StateSources.localOnly()));

    private static List<Finding> corpus(String... files) throws IOException {
        FindingParser asff = ParserRegistry.discover().require("asff");
        List<Finding> out = new ArrayList<>();
        for (String name : files) {
            Path file = AFSBP.resolve(name);
            try (InputStream in = Files.newInputStream(file)) {
                asff.parse(in, new ParseContext(name, ControlCatalog.builtIn(), NOW, ParseLimits.defaults()),
                        new FindingParser.Sink() {
                            @Override
                            public void finding(Finding f) {
                                out.add(f);
                            }

                            @Override
                            public void rejected(SourceLocation where, String code, String reason) {
                                throw new AssertionError(where + ": " + reason);
                            }
                        });
            }
        }
        return out;
    }

    private RemediationRun.Report run(CloudMap map, List<Finding> findings) {
        return new RemediationRun(remediation, Optional.empty(), "test",
                new RemediationRun.Target("bridgecrewio/terragoat", 0, Optional.empty()), map,
                new Remediation.Context("bridgecrewio/terragoat", Optional.empty(), EvidenceSource.none(),
                        RepoConfigLoader.parse("t", "mode: supervised\n"), NOW))
                .run(findings);
    }

    @Test
    void findingsThatNameResourcesByIdAreFixedWhereTheStateSaysTheyAre() throws IOException {
        List<Finding> findings = corpus("afsbp-ec2.2.json", "afsbp-ec2.6.json", "afsbp-ec2.8.json");
        RepoScan scan = RepoScan.of(fixture);

        RemediationRun.Report byName = run(CloudMap.namesOnly(scan), findings);
        CloudMap map = remediation.map(scan, "bridgecrewio/terragoat", RepoConfig.defaults());
        RemediationRun.Report withState = run(map, findings);

        assertThat(byName.results()).isEmpty();
        assertThat(byName.skipped()).extracting(RemediationRun.Skipped::code).containsOnly(FindingLocator.NOT_IN_CODE);
        assertThat(withState.skipped()).isEmpty();
        assertThat(withState.results()).extracting(r -> r.subject().playbook().id() + " " + r.subject().located()
                .resource().file() + " " + r.subject().located().resource().address() + " " + r.plan().status())
                .containsExactly(
                        "default_sg_restrict_all terraform/aws/ec2.tf aws_vpc.web_vpc PATCHED",
                        "vpc_flow_logs terraform/aws/eks.tf aws_vpc.eks_vpc PATCHED",
                        "ec2_imdsv2_instance terraform/aws/ec2.tf aws_instance.web_host PATCHED");
        // TerraGoat's backend "s3" names no bucket: said, not an error
        assertThat(map.problems()).extracting(StateSources.Problem::code).containsExactly(StateSources.PARTIAL_BACKEND);
        assertThat(map.problems().getFirst().blocking()).isFalse();
    }

    @Test
    void aFindingCarryingYorsTagsIsFoundByItsTraceAndOneFromAnotherRepositoryIsNot() throws IOException {
        // S3.8 on the corpus's bucket "example", as Security Hub reports it once the bucket carries TerraGoat's tags
        Finding s38 = corpus("afsbp-s3.8.json").getFirst();
        CloudResource bucket = (CloudResource) s38.resource();
        Finding traced = withResource(s38, bucket.withTags(Map.of("git_org", "bridgecrewio", "git_repo", "terragoat",
                "git_file", "terraform/aws/s3.tf", "yor_trace", "0e012640-b597-4e5d-9378-d4b584aea913")));
        Finding foreign = withResource(s38, bucket.withTags(Map.of("git_org", "acme", "git_repo", "payments",
                "git_file", "terraform/aws/s3.tf", "yor_name", "financials")));

        RemediationRun.Report report = run(remediation.map(RepoScan.of(fixture), "bridgecrewio/terragoat",
                RepoConfig.defaults()), List.of(traced, foreign));

        assertThat(report.results()).singleElement().satisfies(r -> {
            assertThat(r.subject().located().resource().address()).isEqualTo("aws_s3_bucket.financials");
            assertThat(r.subject().playbook().id()).isEqualTo("s3_bucket_public_access_block");
        });
        assertThat(report.skipped()).singleElement().satisfies(s -> {
            assertThat(s.code()).isEqualTo(FindingLocator.OTHER_REPOSITORY);
            assertThat(s.reason()).contains("acme/payments");
        });
    }

    private static Finding withResource(Finding f, CloudResource r) {
        return new Finding(f.sourceTool(), f.sourceId() + "/" + r.tags().hashCode(), f.control(), f.sourceControlId(),
                f.severity(), f.sourceSeverity(), r, f.title(), f.active(), f.firstSeen(), f.lastSeen(), f.raw());
    }
}
