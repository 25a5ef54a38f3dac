package dev.fixgate.provider.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Severity;
import org.junit.jupiter.api.Test;

/** SARIF shapes of Checkov, Trivy and tfsec (hand-written in their documented shape; the corpus has KICS only). */
class SarifParserTest {

    private final SarifParser parser = new SarifParser();

    @Test
    void checkovTrivyAndTfsecRuns() {
        String sarif = """
                {"version": "2.1.0", "runs": [
                  {"tool": {"driver": {"name": "Checkov", "rules": [
                     {"id": "CKV_AWS_18", "name": "Ensure the S3 bucket has access logging enabled"}]}},
                   "results": [
                     {"ruleId": "CKV_AWS_18", "ruleIndex": 0, "level": "error",
                      "message": {"text": "Ensure the S3 bucket has access logging enabled"},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "./aws/s3.tf"},
                                     "region": {"startLine": 1, "endLine": 13}},
                                     "logicalLocations": [{"fullyQualifiedName": "aws_s3_bucket.data"}]}]}]},
                  {"tool": {"driver": {"name": "Trivy", "rules": [
                     {"id": "AVD-AWS-0086", "shortDescription": {"text": "S3 Access block should block public ACL"},
                      "properties": {"security-severity": "8.0"}}]}},
                   "results": [
                     {"ruleId": "AVD-AWS-0086", "ruleIndex": 0, "level": "error",
                      "message": {"text": "No public access block so not blocking public acls"},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///repo/s3%20dir/main.tf"},
                                     "region": {"startLine": 4}}}]}]},
                  {"tool": {"driver": {"name": "tfsec"}},
                   "results": [
                     {"ruleId": "aws-s3-enable-versioning", "level": "warning", "kind": "fail",
                      "message": {"text": "Bucket does not have versioning enabled"},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "modules\\\\s3\\\\main.tf"},
                                     "region": {"startLine": 7}}}]},
                     {"ruleId": "aws-s3-enable-versioning", "kind": "pass",
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "b.tf"}}}]},
                     {"ruleId": "aws-s3-enable-versioning", "suppressions": [{"kind": "inSource"}],
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "c.tf"}}}]}]}
                ]}""";
        Parsed parsed = Parsed.text(parser, sarif);
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).extracting(Finding::sourceTool)
                .containsExactly("checkov", "trivy", "tfsec", "tfsec", "tfsec");

        Finding checkov = parsed.findings.get(0);
        CodeResource c = (CodeResource) checkov.resource();
        assertThat(c.path()).isEqualTo("aws/s3.tf");
        assertThat(c.address()).isEqualTo("aws_s3_bucket.data");
        assertThat(c.key()).isEqualTo("code::aws/s3.tf:aws_s3_bucket.data");
        assertThat(checkov.severity()).isEqualTo(Severity.HIGH);
        assertThat(checkov.title()).isEqualTo("Ensure the S3 bucket has access logging enabled");

        Finding trivy = parsed.findings.get(1);
        assertThat(trivy.severity()).isEqualTo(Severity.HIGH);
        assertThat(trivy.sourceSeverity()).isEqualTo("8.0");
        assertThat(((CodeResource) trivy.resource()).path()).isEqualTo("/repo/s3 dir/main.tf");
        assertThat(trivy.resource().key()).isEqualTo("code::/repo/s3 dir/main.tf:L4");
        assertThat(trivy.raw().pointer()).isEqualTo("/runs/1/results/0");

        assertThat(((CodeResource) parsed.findings.get(2).resource()).path()).isEqualTo("modules/s3/main.tf");
        assertThat(parsed.findings.get(2).severity()).isEqualTo(Severity.MEDIUM);
        assertThat(parsed.findings).extracting(Finding::active).containsExactly(true, true, true, false, false);
        assertThat(parsed.findings.get(3).severity()).isEqualTo(Severity.MEDIUM); // SARIF default level: warning
    }

    @Test
    void resultsWithoutRuleOrLocationOrBeforeTheToolAreRejected() {
        String sarif = """
                {"version": "2.1.0", "runs": [{
                  "results": [{"ruleId": "X", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.tf"}}}]}],
                  "tool": {"driver": {"name": "Checkov"}}},
                 {"tool": {"driver": {"name": "Checkov"}}, "results": [
                   {"message": {"text": "no rule"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.tf"}}}]},
                   {"ruleId": "CKV_AWS_1"},
                   {"ruleId": "CKV_AWS_1", "level": "catastrophic", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.tf"}}}]},
                   {"ruleId": "CKV_AWS_1", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.tf"}, "region": {"startLine": "x"}}}]},
                   {"ruleId": "CKV_AWS_2", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "ok.tf"}, "region": {"startLine": 3}}}]}]}]}""";
        Parsed parsed = Parsed.text(parser, sarif);
        assertThat(parsed.rejections).extracting(r -> r.code() + " " + r.where().pointer()).containsExactly(
                "ingest.no-tool /runs/0/results/0",
                "ingest.no-control /runs/1/results/0/ruleId",
                "ingest.no-resource /runs/1/results/1/locations",
                "ingest.severity /runs/1/results/2/level",
                "ingest.wrong-type /runs/1/results/3/locations/0/physicalLocation/region/startLine");
        assertThat(parsed.findings).singleElement().extracting(Finding::sourceControlId).isEqualTo("CKV_AWS_2");
    }
}
