package dev.fixgate.provider.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Severity;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** KICS JSON and SARIF outputs of the corpus (KICS e2e expected results and docs/results.md examples). */
class KicsCorpusTest {

    private static final String DIR = "corpus/kics-output/";

    @ParameterizedTest
    @CsvSource({
        "docs-extracted/01-json.json, 2",
        "e2e/fixtures/E2E_CLI_032_RESULT.json, 24",
        "e2e/fixtures/E2E_CLI_033_RESULT.json, 6",
        "e2e/fixtures/E2E_CLI_036_RESULT.json, 20",
        "e2e/fixtures/E2E_CLI_069_RESULT.json, 1",
        "e2e/fixtures/E2E_CLI_070_RESULT.json, 2",
        "e2e/fixtures/E2E_CLI_086_RESULT.json, 17",
        "e2e/fixtures/E2E_CLI_092_RESULT.json, 7"})
    void everyKicsJsonResultParsesToItsTotalCount(String file, int total) {
        Parsed parsed = Parsed.file(new KicsJsonParser(), Parsed.resource(DIR + file));
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).hasSize(total);
        assertThat(parsed.findings).allSatisfy(f -> {
            assertThat(f.sourceTool()).isEqualTo("kics");
            assertThat(f.sourceControlId()).matches("[0-9a-f-]{36}");
            assertThat(f.sourceId()).matches("[0-9a-f]{64}");
            assertThat(((CodeResource) f.resource()).path()).doesNotContain("\\");
            assertThat(f.raw().pointer()).matches("/queries/\\d+/files/\\d+");
        });
    }

    @Test
    void terraformHitsAreKeyedOnTheResourceAddress() {
        Parsed parsed = Parsed.file(new KicsJsonParser(), Parsed.resource(DIR + "e2e/fixtures/E2E_CLI_086_RESULT.json"));
        Finding notEncrypted = parsed.findings.stream()
                .filter(f -> f.sourceControlId().equals("cfdcabb0-fc06-427c-865b-c59f13e898ce")).findFirst().orElseThrow();
        CodeResource r = (CodeResource) notEncrypted.resource();
        assertThat(r.path()).isEqualTo("/path/e2e/fixtures/samples/terraform.tf");
        assertThat(r.address()).startsWith("aws_redshift_cluster.default");
        assertThat(r.type()).isEqualTo("aws_redshift_cluster");
        assertThat(r.key()).isEqualTo("code::/path/e2e/fixtures/samples/terraform.tf:" + r.address());
        assertThat(notEncrypted.severity()).isEqualTo(Severity.HIGH);
        assertThat(notEncrypted.title()).isEqualTo("Redshift Not Encrypted");
        // Secret-scanning hits ("Common" platform) have no resource: keyed on their line.
        Finding secret = parsed.findings.stream()
                .filter(f -> f.sourceControlId().equals("487f4be7-3fd9-4506-a07a-eae252180c08")).findFirst().orElseThrow();
        assertThat(((CodeResource) secret.resource()).address()).isEmpty();
        assertThat(secret.resource().key()).matches("code::/path/e2e/fixtures/samples/terraform.tf:L\\d+");
    }

    @Test
    void cloudFormationHitsUseTheLogicalIdAndWindowsPathsGetForwardSlashes() {
        Parsed cfn = Parsed.file(new KicsJsonParser(), Parsed.resource(DIR + "e2e/fixtures/E2E_CLI_032_RESULT.json"));
        Finding ingress = cfn.findings.stream()
                .filter(f -> f.sourceControlId().equals("e415f8d3-fc2b-4f52-88ab-1129e8c8d3f5")).findFirst().orElseThrow();
        assertThat(((CodeResource) ingress.resource()).address()).startsWith("EcsSecurityGroup");
        assertThat(ingress.resource().type()).isEqualTo("AWS::EC2::SecurityGroupIngress");

        Parsed docs = Parsed.file(new KicsJsonParser(), Parsed.resource(DIR + "docs-extracted/01-json.json"));
        Finding first = docs.findings.get(0);
        assertThat(((CodeResource) first.resource()).path())
                .isEqualTo("assets/queries/ansible/aws/alb_listening_on_http/test/positive.yaml");
        assertThat(((CodeResource) first.resource()).line()).isEqualTo(29);
        assertThat(first.firstSeen()).isEqualTo(Instant.parse("2024-02-14T10:27:20.947552Z"));
        assertThat(first.lastSeen()).isEqualTo(Instant.parse("2024-02-14T10:28:03.7510399Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "e2e/fixtures/E2E_CLI_079_RESULT.sarif, 2, 20f14e1a-a899-4e79-9f09-b6a84cd4649b, 10",
        "e2e/fixtures/E2E_CLI_080_RESULT.sarif, 1, 62ff6823-927a-427f-acf9-f1ea2932d616, 17",
        "docs-extracted/02-sarif.json, 1, f81d63d2-c5d7-43a4-a5b5-66717a41c895, 29"})
    void kicsSarif(String file, int count, String rule, int line) {
        Parsed parsed = Parsed.file(new SarifParser(), Parsed.resource(DIR + file));
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).hasSize(count).allSatisfy(f -> {
            assertThat(f.sourceTool()).isEqualTo("kics");
            assertThat(f.sourceControlId()).isEqualTo(rule);
            assertThat(f.severity()).isEqualTo(Severity.HIGH); // level "error"
            assertThat(((CodeResource) f.resource()).line()).isEqualTo(line);
            assertThat(((CodeResource) f.resource()).path()).doesNotContain("\\").endsWith(".yaml");
        });
        assertThat(parsed.findings.get(0).raw().pointer()).isEqualTo("/runs/0/results/0");
    }
}
