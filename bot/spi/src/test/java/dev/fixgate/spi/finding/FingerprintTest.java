package dev.fixgate.spi.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FingerprintTest {

    private static final ControlId PAB = ControlId.canonical("aws.s3.bucket.public_access_block");

    @Test
    void sameControlAndResourceGiveTheSameFingerprintWhateverTheOtherFields() {
        var fromSecurityHub = new CloudResource(Cloud.AWS, "123456789012", "us-east-1", "AwsS3Bucket", "arn:aws:s3:::logs");
        var fromProwler = new CloudResource(Cloud.AWS, "123456789012", "", "aws_s3_bucket", "arn:aws:s3:::logs");

        assertThat(Fingerprint.of(PAB, fromSecurityHub)).isEqualTo(Fingerprint.of(PAB, fromProwler));
    }

    @Test
    void differentControlOrResourceGiveDifferentFingerprints() {
        var bucket = new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::logs");
        var other = new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::other");

        assertThat(Fingerprint.of(PAB, bucket)).isNotEqualTo(Fingerprint.of(PAB, other));
        assertThat(Fingerprint.of(PAB, bucket))
                .isNotEqualTo(Fingerprint.of(ControlId.canonical("aws.s3.bucket.versioning"), bucket));
    }

    @Test
    void isAStableSha256SoStoredFingerprintsSurviveUpgrades() {
        var bucket = new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::logs");
        // sha256("aws.s3.bucket.public_access_block\narn:aws:s3:::logs"), computed independently with sha256sum
        assertThat(Fingerprint.of(PAB, bucket).value())
                .isEqualTo("0b6e3eda60e7f0f2664b94d0c7c47b506213d687ec88ae0e427898a269e86c91");
    }

    @Test
    void rejectsValuesThatAreNotSha256Hex() {
        assertThatThrownBy(() -> new Fingerprint("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fingerprint("Z".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codeResourcesKeyOnAddressWhenKnownAndLineOtherwise() {
        var byAddress = new CodeResource("acme/infra", "s3.tf", "aws_s3_bucket.logs", "aws_s3_bucket", 12);
        var moved = new CodeResource("acme/infra", "s3.tf", "aws_s3_bucket.logs", "aws_s3_bucket", 40);
        var byLine = new CodeResource("acme/infra", "s3.tf", "", "", 12);

        assertThat(byAddress.key()).isEqualTo(moved.key());
        assertThat(byLine.key()).isEqualTo("code:acme/infra:s3.tf:L12");
    }

    @Test
    void azureIdsAreCaseInsensitive() {
        var a = new CloudResource(Cloud.AZURE, "sub", "", "t", "/subscriptions/SUB/resourceGroups/RG/x");
        var b = new CloudResource(Cloud.AZURE, "sub", "", "t", "/subscriptions/sub/resourcegroups/rg/x");
        assertThat(a.key()).isEqualTo(b.key());
    }
}
