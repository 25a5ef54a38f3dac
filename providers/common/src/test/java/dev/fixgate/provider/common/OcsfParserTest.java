package dev.fixgate.provider.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Severity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OcsfParserTest {

    private final OcsfParser parser = new OcsfParser();

    @Test
    void prowlerOcsfExampleOutput() {
        Parsed parsed = Parsed.file(parser, Parsed.resource("corpus/prowler/examples/example_output_aws.ocsf.json"));

        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).hasSize(5);
        assertThat(parsed.findings).extracting(Finding::sourceControlId).containsExactly(
                "accessanalyzer_enabled", "account_maintain_current_contact_details",
                "account_maintain_different_contact_details_to_security_billing_and_operations",
                "account_security_contact_information_is_registered",
                "account_security_questions_are_registered_in_the_aws_account");
        assertThat(parsed.findings).allSatisfy(f -> {
            assertThat(f.sourceTool()).isEqualTo("prowler");
            assertThat(f.active()).isTrue(); // FAIL and MANUAL: a person still has to act
            assertThat(((CloudResource) f.resource()).cloud()).isEqualTo(Cloud.AWS);
        });
        Finding first = parsed.findings.get(0);
        assertThat(first.severity()).isEqualTo(Severity.LOW);
        assertThat(first.sourceSeverity()).isEqualTo("Low");
        assertThat(first.title()).isEqualTo("Check if IAM Access Analyzer is enabled");
        assertThat(first.firstSeen()).isEqualTo(Instant.parse("2025-02-14T14:27:03.913874Z"));
        assertThat(first.raw().pointer()).isEqualTo("/0");
        assertThat(first.raw().line()).isEqualTo(2);
        assertThat(parsed.findings.get(1).resource().key()).isEqualTo("arn:aws:iam::<account_uid>:root");
        assertThat(parsed.findings.get(4).raw().pointer()).isEqualTo("/4");
        assertThat(parsed.findings.get(1).severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void prowlerDocumentationExample() {
        Finding f = Parsed.file(parser, Parsed.resource("corpus/prowler/docs-extracted/prowler-ocsf-example.json")).only();
        assertThat(f.sourceControlId()).isEqualTo("ecs_task_definitions_no_environment_secrets");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.sourceId()).isEqualTo(
                "prowler-aws-ecs_task_definitions_no_environment_secrets-123456789012-eu-central-1-manufacturer-api:7");
        CloudResource r = (CloudResource) f.resource();
        assertThat(r.key()).isEqualTo("arn:aws:ecs:eu-central-1:123456789012:task-definition/manufacturer-api:7");
        assertThat(r.account()).isEqualTo("123456789012");
        assertThat(r.region()).isEqualTo("eu-central-1");
        assertThat(r.type()).isEqualTo("AwsEcsTaskDefinition");
    }

    @Test
    void securityHubComplianceFindingWithPassAndSuppressedStatus() {
        String json = """
                {"class_uid": 2003, "metadata": {"product": {"name": "Security Hub"}, "event_code": "ignored"},
                 "compliance": {"control": "S3.8", "status": "Pass", "status_id": 1},
                 "severity_id": 4, "finding_info": {"uid": "f-1", "title": "S3.8 …",
                   "first_seen_time_dt": "2025-01-01T00:00:00Z", "last_seen_time_dt": "2025-02-01T00:00:00Z"},
                 "cloud": {"provider": "AWS", "account": {"uid": "123456789012"}},
                 "resources": [{"uid": "arn:aws:s3:::logs", "type": "AwsS3Bucket", "region": "us-east-1"}]}
                {"class_uid": 2003, "status_id": 3, "metadata": {"product": {"name": "Security Hub"}},
                 "compliance": {"control": "S3.8"}, "severity_id": 4, "finding_info": {"uid": "f-2"},
                 "resources": [{"uid": "arn:aws:s3:::data"}]}
                """;
        Parsed parsed = Parsed.text(parser, json);
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).extracting(Finding::sourceTool).containsOnly("securityhub");
        assertThat(parsed.findings).extracting(Finding::sourceControlId).containsOnly("S3.8");
        assertThat(parsed.findings).extracting(Finding::active).containsExactly(false, false);
        assertThat(parsed.findings.get(0).lastSeen()).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
        assertThat(parsed.findings.get(1).firstSeen()).isEqualTo(Parsed.OBSERVED);
        assertThat(parsed.findings.get(1).raw().line()).isEqualTo(7);
        assertThat(((CloudResource) parsed.findings.get(1).resource()).cloud()).isEqualTo(Cloud.AWS);
    }

    @Test
    void badRecordsAreRejectedWithTheirPointerAndTheOthersKept() {
        String json = """
                [
                 {"class_uid": 4001, "severity_id": 1},
                 {"class_uid": 2004, "metadata": {"event_code": "c"}, "severity_id": 3, "resources": []},
                 {"class_uid": 2004, "metadata": {"event_code": "c"}, "severity_id": 42,
                  "resources": [{"uid": "arn:aws:s3:::b"}]},
                 {"class_uid": 2004, "metadata": "not an object", "severity_id": 3, "resources": [{"uid": "x"}]},
                 {"class_uid": 2004, "metadata": {"event_code": "c"}, "severity_id": 3,
                  "finding_info": {"created_time_dt": "yesterday"}, "resources": [{"uid": "arn:aws:s3:::b"}]},
                 {"class_uid": 2004, "metadata": {"product": {"name": "Prowler"}, "event_code": "s3_bucket_level_public_access_block"},
                  "severity_id": 4, "status_code": "FAIL", "resources": [{"uid": "arn:aws:s3:::b"}]},
                 "a string"
                ]""";
        Parsed parsed = Parsed.text(parser, json);
        assertThat(parsed.findings).singleElement().satisfies(f -> {
            assertThat(f.sourceControlId()).isEqualTo("s3_bucket_level_public_access_block");
            assertThat(f.raw().pointer()).isEqualTo("/5");
        });
        assertThat(parsed.rejections).extracting(r -> r.code() + " " + r.where().pointer()).containsExactly(
                "ingest.unsupported-class /0/class_uid",
                "ingest.no-resource /1/resources",
                "ingest.severity /2/severity_id",
                "ingest.wrong-type /3/metadata",
                "ingest.timestamp /4/finding_info",
                "ingest.wrong-type /6");
        assertThat(parsed.rejections.get(2).where().line()).isEqualTo(4);
    }

    @Test
    void aSingularResourceAndEveryResourceOfAFinding() {
        String json = """
                {"class_uid": 2003, "metadata": {"product": {"name": "Security Hub"}},
                 "compliance": {"control": "EC2.19", "status": "Fail"}, "severity_id": 4,
                 "finding_info": {"uid": "f-1", "title": "open ports"},
                 "cloud": {"provider": "AWS", "account": {"uid": "123456789012"}, "region": "eu-west-1"},
                 "resource": {"uid": "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1", "type": "AwsEc2SecurityGroup"}}
                {"class_uid": 2004, "metadata": {"product": {"name": "Prowler"}, "event_code": "ec2_instance_imdsv2_enabled"},
                 "severity_id": 3, "status_code": "FAIL", "finding_info": {"uid": "f-2"},
                 "resources": [{"uid": "arn:aws:ec2:eu-west-1:123456789012:instance/i-1"}, {"name": "no-uid-but-a-name"},
                               {"type": "nameless"}, {"uid": "arn:aws:ec2:eu-west-1:123456789012:instance/i-2"}]}
                """;
        Parsed parsed = Parsed.text(parser, json);
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).extracting(f -> f.resource().key()).containsExactly(
                "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1",
                "arn:aws:ec2:eu-west-1:123456789012:instance/i-1", "unknown::no-uid-but-a-name",
                "arn:aws:ec2:eu-west-1:123456789012:instance/i-2");
        assertThat(parsed.findings.get(0).sourceControlId()).isEqualTo("EC2.19");
        assertThat(parsed.findings).extracting(f -> f.raw().pointer()).containsOnly("");
    }

    @Test
    void anUnsupportedFindingClassIsClaimedAndRejectedByName() {
        String vuln = """
                {"class_uid": 2002, "class_name": "Vulnerability Finding", "metadata": {"product": {"name": "Inspector"}},
                 "severity_id": 4, "finding_info": {"uid": "v-1"}, "vulnerabilities": [{"cve": {"uid": "CVE-2024-1"}}],
                 "resources": [{"uid": "arn:aws:ec2:eu-west-1:123456789012:instance/i-1"}]}
                """;
        assertThat(parser.sniff(vuln.getBytes(java.nio.charset.StandardCharsets.UTF_8), "v.json")).isPositive();
        Parsed parsed = Parsed.text(parser, vuln);
        assertThat(parsed.findings).isEmpty();
        assertThat(parsed.rejections).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo("ingest.unsupported-class");
            assertThat(r.reason()).contains("2002 (Vulnerability Finding) is not supported");
        });
    }
}
