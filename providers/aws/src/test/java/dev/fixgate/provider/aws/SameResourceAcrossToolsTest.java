package dev.fixgate.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The point of ingest: Security Hub's S3.8 finding for bucket {@code example} (a corpus sample) and Prowler's
 * {@code s3_bucket_level_public_access_block} for the same bucket — in each of Prowler's outputs, which name the
 * bucket by ARN or by bare name — and a Wiz finding for it, are one problem: one fingerprint.
 */
class SameResourceAcrossToolsTest {

    private final ControlCatalog catalog = ControlCatalog.builtIn();

    private Finding one(FindingParser parser, String text) {
        Parsed parsed = Parsed.stream(parser, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                Parsed.context("t", catalog, ParseLimits.defaults()));
        return parsed.only();
    }

    @Test
    void securityHubProwlerAndWizAgreeOnTheBucketAndTheControl() {
        Finding securityHub = Parsed.file(new AsffParser(),
                Parsed.resource("corpus/asff-securityhub/afsbp/afsbp-s3.8.json"), catalog).only();

        // Prowler OCSF (json-ocsf) names the bucket by ARN, as in its example output.
        Finding prowlerOcsf = one(Samples.parser("ocsf"), """
                [{"metadata": {"event_code": "s3_bucket_level_public_access_block",
                   "product": {"name": "Prowler", "uid": "prowler"}, "version": "1.4.0"},
                  "severity_id": 4, "severity": "High", "status_code": "FAIL", "status_id": 1,
                  "finding_info": {"uid": "prowler-aws-s3_bucket_level_public_access_block-111111111111-us-east-1-example",
                    "created_time_dt": "2025-02-14T14:27:03.913874"},
                  "resources": [{"cloud_partition": "aws", "region": "us-east-1", "type": "AwsS3Bucket",
                    "uid": "arn:aws:s3:::example", "name": "example"}],
                  "class_uid": 2004,
                  "cloud": {"account": {"uid": "111111111111"}, "provider": "aws", "region": "us-east-1"}}]""");

        // Prowler CSV with the v3 columns names it by bare bucket name.
        Finding prowlerCsv = one(Samples.parser("prowler-csv"),
                "ASSESSMENT_START_TIME;FINDING_UNIQUE_ID;PROVIDER;CHECK_ID;CHECK_TITLE;STATUS;SEVERITY;"
                        + "RESOURCE_TYPE;RESOURCE_ID;ACCOUNT_ID;REGION\n"
                        + "2025-02-14T14:27:03Z;f-1;aws;s3_bucket_level_public_access_block;t;FAIL;high;"
                        + "AwsS3Bucket;example;111111111111;us-east-1\n");

        // Prowler ASFF writes Resources[0].Id as the name, like its documentation example.
        Finding prowlerAsff = one(new AsffParser(), """
                [{"SchemaVersion": "2018-10-08", "Id": "prowler-s3_bucket_level_public_access_block-111111111111-us-east-1-example",
                  "ProductArn": "arn:aws:securityhub:us-east-1::product/prowler/prowler",
                  "ProductFields": {"ProviderName": "Prowler", "ProwlerResourceName": "example"},
                  "GeneratorId": "prowler-s3_bucket_level_public_access_block", "AwsAccountId": "111111111111",
                  "Types": [], "FirstObservedAt": "2025-02-14T14:27:03Z", "UpdatedAt": "2025-02-14T14:27:03Z",
                  "CreatedAt": "2025-02-14T14:27:03Z", "Severity": {"Label": "HIGH"}, "Title": "t",
                  "Resources": [{"Type": "AwsS3Bucket", "Id": "example", "Partition": "aws", "Region": "us-east-1"}],
                  "Compliance": {"Status": "FAILED"}}]""");

        Finding wiz = one(Samples.parser("wiz"), """
                {"data": {"configurationFindings": {"nodes": [{"id": "w-1", "severity": "HIGH", "result": "FAIL",
                  "status": "OPEN", "firstSeenAt": "2025-03-02T08:15:00Z",
                  "resource": {"providerId": "arn:aws:s3:::example", "nativeType": "bucket", "region": "us-east-1",
                               "cloudPlatform": "AWS"},
                  "rule": {"id": "r-1", "name": "S3 Bucket should block public access"}}]}}}""");

        assertThat(securityHub.control()).isEqualTo(ControlId.canonical("aws.s3.bucket.public_access_block"));
        for (Finding prowler : List.of(prowlerOcsf, prowlerCsv, prowlerAsff)) {
            assertThat(prowler.sourceTool()).isEqualTo("prowler");
            assertThat(prowler.resource().key()).isEqualTo(securityHub.resource().key()).isEqualTo("arn:aws:s3:::example");
            assertThat(prowler.fingerprint()).isEqualTo(securityHub.fingerprint());
        }
        // Wiz names the same bucket the same way; its rule is not in the catalog (Wiz rule ids are not public),
        // so its fingerprint differs until the rule is mapped — the resource key already agrees.
        assertThat(wiz.resource().key()).isEqualTo(securityHub.resource().key());
        assertThat(wiz.control().isMapped()).isFalse();
    }

    @Test
    void iacFindingsFromCheckovSarifAndKicsJsonAgreeOnTheTerraformBlock() throws IOException {
        Finding checkov = one(Samples.parser("sarif"), """
                {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Checkov"}}, "results": [
                  {"ruleId": "CKV_AWS_53", "level": "error",
                   "locations": [{"physicalLocation": {"artifactLocation": {"uri": "s3.tf"}, "region": {"startLine": 9}},
                                  "logicalLocations": [{"fullyQualifiedName": "aws_s3_bucket_public_access_block.positive2"}]}]}]}]}""");
        Finding kics = one(Samples.parser("kics"), """
                {"kics_version": "2.1.8", "queries": [{"query_name": "S3 Bucket Allows Public ACL",
                  "query_id": "d0cc8694-fcad-43ff-ac86-32331d7e867f", "severity": "MEDIUM", "platform": "Terraform",
                  "files": [{"file_name": "./s3.tf", "similarity_id": "abc", "line": 12,
                    "resource_type": "aws_s3_bucket_public_access_block", "resource_name": "positive2",
                    "search_key": "aws_s3_bucket_public_access_block[positive2].block_public_acls"}]}]}""");
        assertThat(kics.resource().key()).isEqualTo(checkov.resource().key())
                .isEqualTo("code::s3.tf:aws_s3_bucket_public_access_block.positive2");
        assertThat(kics.fingerprint()).isEqualTo(checkov.fingerprint());
    }
}
