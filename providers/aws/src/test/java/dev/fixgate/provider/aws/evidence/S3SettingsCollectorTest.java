package dev.fixgate.provider.aws.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.localaws.LocalAws;
import dev.fixgate.localaws.Model;
import dev.fixgate.spi.evidence.Observed;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bucket settings the S3 fixes set, read through the real SDK from the local AWS: a bucket before its fixes
 * (no policy, no Block Public Access, never versioned) and after them (the policy fixgate's HTTPS-only fix adds, all
 * four settings on, versioning Enabled), plus the states in between that must not pass.
 */
class S3SettingsCollectorTest {

    static final String FIXED_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*",
             "Action":"s3:*","Resource":["arn:aws:s3:::acme-fixed","arn:aws:s3:::acme-fixed/*"],
             "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""";

    static LocalAwsFixture fx;

    @BeforeAll
    static void start() {
        Model.Scenario s = LocalAws.demoScenario();
        Model.Account a = s.accounts.get(0);
        Model.Bucket fixed = new Model.Bucket();
        fixed.name = "acme-fixed";
        fixed.policy = FIXED_POLICY;
        fixed.publicAccessBlock = new Model.PublicAccessBlock();
        fixed.versioning = "Enabled";
        a.buckets.add(fixed);
        Model.Bucket half = new Model.Bucket();
        half.name = "acme-half";
        half.region = "eu-west-1"; // found through HeadBucket's redirect
        // denies only GetObject over plain HTTP, and one setting of Block Public Access is off; versioning suspended
        half.policy = FIXED_POLICY.replace("acme-fixed", "acme-half").replace("\"s3:*\"", "\"s3:GetObject\"");
        half.publicAccessBlock = new Model.PublicAccessBlock();
        half.publicAccessBlock.restrictPublicBuckets = false;
        half.versioning = "Suspended";
        a.buckets.add(half);
        fx = new LocalAwsFixture(s);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    private static Object v(Map<String, Observed> o, String kind) {
        assertThat(o.get(kind)).as(kind + " in " + o).isNotNull();
        assertThat(o.get(kind).available()).as(o.get(kind).toString()).isTrue();
        return o.get(kind).value();
    }

    private static final String[] KINDS = {S3SettingsCollector.SECURE_TRANSPORT, S3SettingsCollector.PUBLIC_ACCESS_BLOCKED,
            S3SettingsCollector.VERSIONING};

    @Test
    void aBucketBeforeItsFixesPassesNone() {
        Map<String, Observed> o = fx.collect(LocalAwsFixture.bucket("acme-data"), KINDS);
        assertThat(v(o, S3SettingsCollector.SECURE_TRANSPORT)).isEqualTo(false);
        assertThat(v(o, S3SettingsCollector.PUBLIC_ACCESS_BLOCKED)).isEqualTo(false);
        assertThat(v(o, S3SettingsCollector.VERSIONING)).isEqualTo(false);
        assertThat(o.get(S3SettingsCollector.SECURE_TRANSPORT).provenance().api()).isEqualTo("s3:GetBucketPolicy");
    }

    @Test
    void aBucketAfterItsFixesPassesAll() {
        Map<String, Observed> o = fx.collect(LocalAwsFixture.bucket("acme-fixed"), KINDS);
        assertThat(v(o, S3SettingsCollector.SECURE_TRANSPORT)).isEqualTo(true);
        assertThat(v(o, S3SettingsCollector.PUBLIC_ACCESS_BLOCKED)).isEqualTo(true);
        assertThat(v(o, S3SettingsCollector.VERSIONING)).isEqualTo(true);
        assertThat(fx.aws.writes()).isEmpty();
        assertThat(fx.aws.calls("s3", "GetBucketVersioning")).isPositive();
    }

    @Test
    void partWayIsNotFixed() {
        // the finding names no region: HeadBucket's redirect says eu-west-1
        Map<String, Observed> o = fx.collect(new dev.fixgate.spi.finding.CloudResource(dev.fixgate.spi.finding.Cloud.AWS,
                LocalAwsFixture.ACCOUNT, "", "AwsS3Bucket", "arn:aws:s3:::acme-half"), KINDS);
        assertThat(v(o, S3SettingsCollector.SECURE_TRANSPORT)).isEqualTo(false);
        assertThat(v(o, S3SettingsCollector.PUBLIC_ACCESS_BLOCKED)).isEqualTo(false);
        assertThat(v(o, S3SettingsCollector.VERSIONING)).isEqualTo(false);
    }

    @Test
    void theStateChangesWhileTheServerRuns() {
        fx.aws.update(s -> s.accounts.get(0).buckets.stream().filter(b -> b.name.equals("acme-scratch")).forEach(b -> {
            b.policy = FIXED_POLICY.replace("acme-fixed", "acme-scratch");
            b.versioning = "Enabled";
        }));
        Map<String, Observed> o = fx.collect(LocalAwsFixture.bucket("acme-scratch"), KINDS);
        assertThat(v(o, S3SettingsCollector.SECURE_TRANSPORT)).isEqualTo(true);
        assertThat(v(o, S3SettingsCollector.VERSIONING)).isEqualTo(true);
    }

    @Test
    void aDeniedReadIsUnavailableNotFalse() {
        fx.aws.denyAccess("s3", "GetBucketPolicy");
        try {
            Observed o = fx.collect(LocalAwsFixture.bucket("acme-fixed"), S3SettingsCollector.SECURE_TRANSPORT)
                    .get(S3SettingsCollector.SECURE_TRANSPORT);
            assertThat(o.available()).isFalse();
            assertThat(o.unavailable()).contains("s3:GetBucketPolicy");
        } finally {
            fx.aws.clearFaults();
        }
    }

    @Test
    void theStatementMustDenyEveryS3ActionToEveryoneWithoutTls() {
        String base = """
                {"Statement":[{"Effect":"Deny","Principal":%s,"Action":%s,"Resource":%s,"Condition":%s}]}""";
        String everyone = "\"*\"";
        String all = "\"s3:*\"";
        String objects = "\"arn:aws:s3:::b/*\"";
        String insecure = "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}";
        assertThat(S3SettingsCollector.deniesInsecureTransport(base.formatted(everyone, all, objects, insecure), "b")).isTrue();
        // the forms AWS accepts: AWS "*", "*" for every action, a boolean, BoolIfExists, a differently cased key
        assertThat(S3SettingsCollector.deniesInsecureTransport(base.formatted("{\"AWS\":\"*\"}", "[\"*\"]",
                "[\"arn:aws:s3:::b\"]", "{\"BoolIfExists\":{\"aws:securetransport\":false}}"), "b")).isTrue();
        assertThat(S3SettingsCollector.deniesInsecureTransport(base.formatted(everyone, all, "\"*\"", insecure), "b")).isTrue();
        // not enough: one action, one principal, another bucket, TLS required only with true, an Allow
        assertThat(S3SettingsCollector.deniesInsecureTransport(base.formatted(everyone, "\"s3:GetObject\"", objects,
                insecure), "b")).isFalse();
        assertThat(S3SettingsCollector.deniesInsecureTransport(base.formatted("{\"AWS\":\"arn:aws:iam::1:root\"}", all,
                objects, insecure), "b")).isFalse();
        assertThat(S3SettingsCollector.deniesInsecureTransport(base.formatted(everyone, all, "\"arn:aws:s3:::other/*\"",
                insecure), "b")).isFalse();
        assertThat(S3SettingsCollector.deniesInsecureTransport(base.formatted(everyone, all, objects,
                "{\"Bool\":{\"aws:SecureTransport\":\"true\"}}"), "b")).isFalse();
        assertThat(S3SettingsCollector.deniesInsecureTransport(base.formatted(everyone, all, objects, insecure)
                .replace("Deny", "Allow"), "b")).isFalse();
        assertThat(S3SettingsCollector.deniesInsecureTransport("{\"Statement\":[]}", "b")).isFalse();
    }
}
