package dev.fixgate.bench.ingest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a Security Hub GetFindings-shaped file ({@code {"Findings":[...]}}) of realistic ASFF records: the
 * fields, nesting and sizes of real AFSBP findings (about 2.5 KB each). A share of the records are Prowler's
 * ASFF reports of the same control on the same resource, i.e. duplicates across two tools, as in an account
 * where both feed Security Hub. Deterministic for a given seed.
 */
final class AsffGenerator {

    /** A control both tools check, with the resource it is about. */
    record Control(String securityHubId, String prowlerCheck, String resourceType, String arnPrefix, String title) {
    }

    static final List<Control> CONTROLS = List.of(
            new Control("S3.8", "s3_bucket_level_public_access_block", "AwsS3Bucket", "arn:aws:s3:::bucket-",
                    "S3 Block Public Access setting should be enabled at the bucket-level"),
            new Control("S3.5", "s3_bucket_secure_transport_policy", "AwsS3Bucket", "arn:aws:s3:::bucket-",
                    "S3 buckets should require requests to use Secure Socket Layer"),
            new Control("S3.14", "s3_bucket_object_versioning", "AwsS3Bucket", "arn:aws:s3:::bucket-",
                    "S3 general purpose buckets should have versioning enabled"),
            new Control("EC2.2", "ec2_securitygroup_default_restrict_traffic", "AwsEc2SecurityGroup",
                    "arn:aws:ec2:us-east-1:111111111111:security-group/sg-",
                    "VPC default security groups should not allow inbound or outbound traffic"),
            new Control("EC2.8", "ec2_instance_imdsv2_enabled", "AwsEc2Instance",
                    "arn:aws:ec2:us-east-1:111111111111:instance/i-",
                    "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)"),
            new Control("CloudTrail.2", "cloudtrail_kms_encryption_enabled", "AwsCloudTrailTrail",
                    "arn:aws:cloudtrail:us-east-1:111111111111:trail/trail-",
                    "CloudTrail should have encryption at-rest enabled"));

    private static final String DESCRIPTION = "This control checks whether the resource is configured as the AWS"
            + " Foundational Security Best Practices standard requires. The control fails if the setting is missing"
            + " or disabled. For directions on how to fix this issue, consult the AWS Security Hub documentation.";

    private AsffGenerator() {
    }

    /**
     * @param records         total records
     * @param duplicateShare  share of records that repeat an earlier finding from the other tool (0..1)
     */
    static void write(Path file, int records, double duplicateShare, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int distinct = (int) Math.round(records * (1 - duplicateShare));
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 20)) {
            w.write("{\"Findings\":[\n");
            for (int i = 0; i < records; i++) {
                if (i > 0) {
                    w.write(",\n");
                }
                // The first `distinct` records are Security Hub's; the rest repeat one of them as Prowler.
                boolean prowler = i >= distinct;
                int n = prowler ? random.nextInt(distinct) : i;
                Control c = CONTROLS.get(n % CONTROLS.size());
                String resource = c.arnPrefix() + String.format("%08x", n / CONTROLS.size());
                w.write(prowler ? prowlerRecord(c, resource, i) : securityHubRecord(c, resource, n));
            }
            w.write("\n]}\n");
        }
    }

    private static String securityHubRecord(Control c, String resource, int n) {
        String uuid = String.format("%08x-9218-420f-bef2-%012x", n, (long) n * 7919);
        return """
                {"SchemaVersion":"2018-10-08",\
                "Id":"arn:aws:securityhub:us-east-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/%1$s/finding/%2$s",\
                "ProductArn":"arn:aws:securityhub:us-east-1::product/aws/securityhub","ProductName":"Security Hub","CompanyName":"AWS",\
                "Region":"us-east-1","GeneratorId":"aws-foundational-security-best-practices/v/1.0.0/%1$s","AwsAccountId":"111111111111",\
                "Types":["Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices"],\
                "FirstObservedAt":"2026-07-14T17:06:07.284Z","LastObservedAt":"2026-11-21T09:49:14.792Z",\
                "CreatedAt":"2026-07-14T17:06:07.284Z","UpdatedAt":"2026-11-21T09:49:08.504Z",\
                "Severity":{"Product":70,"Label":"HIGH","Normalized":70,"Original":"HIGH"},\
                "Title":"%1$s %3$s","Description":"%4$s",\
                "Remediation":{"Recommendation":{"Text":"For directions on how to fix this issue, consult the AWS Security Hub Foundational Security Best Practices documentation.",\
                "Url":"https://docs.aws.amazon.com/console/securityhub/%1$s/remediation"}},\
                "ProductFields":{"StandardsArn":"arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0",\
                "StandardsSubscriptionArn":"arn:aws:securityhub:us-east-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0",\
                "ControlId":"%1$s","RecommendationUrl":"https://docs.aws.amazon.com/console/securityhub/%1$s/remediation",\
                "RelatedAWSResources:0/name":"securityhub-rule-%2$s","RelatedAWSResources:0/type":"AWS::Config::ConfigRule",\
                "StandardsControlArn":"arn:aws:securityhub:us-east-1:111111111111:control/aws-foundational-security-best-practices/v/1.0.0/%1$s",\
                "aws/securityhub/ProductName":"Security Hub","aws/securityhub/CompanyName":"AWS","Resources:0/Id":"%5$s",\
                "aws/securityhub/FindingId":"arn:aws:securityhub:us-east-1::product/aws/securityhub/arn:aws:securityhub:us-east-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/%1$s/finding/%2$s"},\
                "Resources":[{"Type":"%6$s","Id":"%5$s","Partition":"aws","Region":"us-east-1",\
                "Details":{"Other":{"Owner":"acme-platform","CreatedBy":"terraform"}}}],\
                "Compliance":{"Status":"FAILED","SecurityControlId":"%1$s","AssociatedStandards":[{"StandardsId":"standards/aws-foundational-security-best-practices/v/1.0.0"}]},\
                "WorkflowState":"NEW","Workflow":{"Status":"NEW"},"RecordState":"ACTIVE",\
                "FindingProviderFields":{"Severity":{"Label":"HIGH","Original":"HIGH"},\
                "Types":["Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices"]}}"""
                .formatted(c.securityHubId(), uuid, c.title(), DESCRIPTION, resource, c.resourceType());
    }

    private static String prowlerRecord(Control c, String resource, int i) {
        return """
                {"SchemaVersion":"2018-10-08","Id":"prowler-%1$s-111111111111-us-east-1-%2$08x",\
                "ProductArn":"arn:aws:securityhub:us-east-1::product/prowler/prowler","RecordState":"ACTIVE",\
                "ProductFields":{"ProviderName":"Prowler","ProviderVersion":"5.2.0","ProwlerResourceName":"%3$s"},\
                "GeneratorId":"prowler-%1$s","AwsAccountId":"111111111111",\
                "Types":["Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices"],\
                "FirstObservedAt":"2026-11-21T10:00:00Z","UpdatedAt":"2026-11-21T10:00:00Z","CreatedAt":"2026-11-21T10:00:00Z",\
                "Severity":{"Label":"MEDIUM"},"Title":"%4$s","Description":"%5$s",\
                "Resources":[{"Type":"%6$s","Id":"%3$s","Partition":"aws","Region":"us-east-1"}],\
                "Compliance":{"Status":"FAILED","RelatedRequirements":["AWS-Foundational-Security-Best-Practices %7$s","CIS-1.5 2.1.5"],\
                "AssociatedStandards":[{"StandardsId":"AWS-Foundational-Security-Best-Practices"},{"StandardsId":"CIS-1.5"}]},\
                "Remediation":{"Recommendation":{"Text":"%5$s","Url":"https://hub.prowler.com/check/%1$s"}}}"""
                .formatted(c.prowlerCheck(), i, resource, c.title(), DESCRIPTION, c.resourceType(), c.securityHubId());
    }
}
