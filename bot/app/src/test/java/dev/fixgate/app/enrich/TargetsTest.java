package dev.fixgate.app.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.ResourceRef;
import dev.fixgate.spi.finding.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    static Finding finding(ResourceRef r) {
        return new Finding("checkov", "CKV_AWS_21", ControlId.canonical("aws.s3.bucket_versioning"), "CKV_AWS_21",
                Severity.LOW, "LOW", r, "versioning", true, NOW, NOW, SourceLocation.of("t"));
    }

    static ModelResource block(String format, String type, String address, Map<String, Object> body) {
        return new ModelResource(format, type, address.substring(address.indexOf('.') + 1), address, "main.tf", 1, 3,
                body, Map.of(), List.of(), "single");
    }

    @Test
    void aCloudFindingNamesItsTarget() {
        CloudResource bucket = new CloudResource(Cloud.AWS, "111111111111", "eu-west-1", "AwsS3Bucket", "arn:aws:s3:::x");
        Targets.Target t = Targets.of(finding(bucket), block("terraform", "aws_s3_bucket", "aws_s3_bucket.x",
                Map.of("bucket", "${var.name}")));
        assertThat(t.resource()).contains(bucket);
        assertThat(t.hints()).containsEntry("terraform_type", "aws_s3_bucket").containsEntry("address", "aws_s3_bucket.x")
                .doesNotContainKey("name");
    }

    @Test
    void aCodeFindingNamesItsTargetOnlyByALiteral() {
        Finding code = finding(new CodeResource("acme/infra", "main.tf", "aws_s3_bucket.logs", "aws_s3_bucket", 1));
        assertThat(Targets.of(code, block("terraform", "aws_s3_bucket", "aws_s3_bucket.logs", Map.of("bucket", "acme-logs")))
                .resource()).get().extracting(CloudResource::id).isEqualTo("arn:aws:s3:::acme-logs");
        assertThat(Targets.of(code, block("cloudformation", "AWS::S3::Bucket", "Logs.x", Map.of("BucketName", "acme-cfn")))
                .resource()).get().extracting(CloudResource::id).isEqualTo("arn:aws:s3:::acme-cfn");
        assertThat(Targets.of(code, block("terraform", "google_storage_bucket", "google_storage_bucket.site",
                Map.of("name", "site", "project", "acme-prod"))).resource()).get()
                .isEqualTo(new CloudResource(Cloud.GCP, "acme-prod", "", "storage.googleapis.com/Bucket",
                        "//storage.googleapis.com/projects/_/buckets/site"));

        Targets.Target unresolved = Targets.of(code, block("terraform", "aws_s3_bucket", "aws_s3_bucket.logs",
                Map.of("bucket", "${var.prefix}-logs")));
        assertThat(unresolved.resource()).isEmpty();
        assertThat(unresolved.why()).contains("does not name the deployed resource");
        assertThat(Targets.of(code, block("terraform", "aws_security_group", "aws_security_group.web",
                Map.of("name", "web"))).resource()).as("a security group's name is not its id").isEmpty();
    }
}
