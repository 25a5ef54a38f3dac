package dev.fixgate.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Security Hub ASFF sample of the corpus (aws-solutions/automated-security-response-on-aws) parses cleanly. */
class AsffCorpusTest {

    private final AsffParser parser = new AsffParser();

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(Parsed.resource("corpus/asff-securityhub/afsbp"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleIsOneSecurityHubFindingWithItsControl(Path sample) {
        Finding f = Parsed.file(parser, sample).only();

        assertThat(f.sourceTool()).isEqualTo("securityhub");
        // File names spell the control in lower case (afsbp-cloudtrail.1.json); one is misnamed: sms.1 holds SNS.1.
        String fromName = sample.getFileName().toString().replace("afsbp-", "").replace("-nodetails", "")
                .replace(".json", "").replace("sms.", "sns.");
        assertThat(f.sourceControlId().toLowerCase(Locale.ROOT)).isEqualTo(fromName);
        assertThat(f.sourceId()).startsWith("arn:aws:securityhub:").contains("/" + f.sourceControlId() + "/finding/");
        assertThat(f.title()).startsWith(f.sourceControlId() + " ");
        assertThat(f.resource()).isInstanceOf(CloudResource.class);
        CloudResource r = (CloudResource) f.resource();
        assertThat(r.cloud()).isEqualTo(Cloud.AWS);
        assertThat(r.id()).startsWith("arn:aws:");
        assertThat(r.account()).matches("\\d{12}");
        assertThat(f.raw().source()).isEqualTo(sample.getFileName().toString());
        assertThat(f.raw().line()).isEqualTo(1);
        assertThat(f.raw().pointer()).isEmpty();
        assertThat(f.lastSeen()).isAfterOrEqualTo(f.firstSeen());
    }

    @Test
    void s3BucketLevelPublicAccessBlock() {
        Finding f = Parsed.file(parser, Parsed.resource("corpus/asff-securityhub/afsbp/afsbp-s3.8.json")).only();
        assertThat(f.sourceControlId()).isEqualTo("S3.8");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.sourceSeverity()).isEqualTo("HIGH");
        assertThat(f.resource().key()).isEqualTo("arn:aws:s3:::example");
        assertThat(((CloudResource) f.resource()).region()).isEqualTo("us-east-1");
        assertThat(f.resource().type()).isEqualTo("AwsS3Bucket");
        assertThat(f.active()).isTrue();
        assertThat(f.firstSeen()).isEqualTo(Instant.parse("2021-07-14T17:06:07.284Z"));
        assertThat(f.lastSeen()).isEqualTo(Instant.parse("2022-02-21T09:49:14.792Z"));
    }

    @Test
    void passedAndResolvedFindingsAreInactive() {
        for (String name : List.of("afsbp-s3.2.json", "afsbp-s3.3.json")) {
            Finding f = Parsed.file(parser, Parsed.resource("corpus/asff-securityhub/afsbp/" + name)).only();
            assertThat(f.active()).as(name).isFalse();
            assertThat(f.severity()).isEqualTo(Severity.INFO);
        }
    }

    @Test
    void consolidatedControlIdComesFromCompliance() {
        Finding f = Parsed.file(parser, Parsed.resource("corpus/asff-securityhub/afsbp/afsbp-ec2.8.json")).only();
        assertThat(f.sourceControlId()).isEqualTo("EC2.8");
        assertThat(f.resource().key()).isEqualTo("arn:aws:ec2:us-east-1:111111111111:instance/i-077c4d5f32561ac45");
    }

    @Test
    void securityHubAccountPseudoIdBecomesTheAccountRootArn() {
        Finding f = Parsed.file(parser, Parsed.resource("corpus/asff-securityhub/afsbp/afsbp-ec2.7.json")).only();
        assertThat(f.resource().key()).isEqualTo("arn:aws:iam::111111111111:root");
        assertThat(f.resource().type()).isEqualTo("AwsAccount");
    }

    @Test
    void prowlerAsffKeepsProwlersNameAndCheckId() {
        Parsed parsed = Parsed.file(parser, Parsed.resource("corpus/prowler-asff/prowler-asff-example.json"));
        Finding f = parsed.only();
        assertThat(f.sourceTool()).isEqualTo("prowler");
        assertThat(f.sourceControlId()).isEqualTo("rds_instance_minor_version_upgrade_enabled");
        assertThat(f.control().value()).isEqualTo("unmapped:prowler:rds_instance_minor_version_upgrade_enabled");
        assertThat(f.active()).isFalse(); // Compliance.Status PASSED
        assertThat(f.severity()).isEqualTo(Severity.LOW);
        // A bare RDS instance name with its type, region and account becomes the instance ARN.
        assertThat(f.resource().key()).isEqualTo("arn:aws:rds:eu-west-1:ACCOUNT_ID:db:rds-instance-id");
        assertThat(f.raw().pointer()).isEqualTo("/0");
    }
}
