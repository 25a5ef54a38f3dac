package dev.fixgate.provider.aws.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.evidence.Observed;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo account answers what bot/demo's evidence.json says, from raw API answers. */
class DemoAccountTest {

    static LocalAwsFixture fx;

    @BeforeAll
    static void start() {
        fx = LocalAwsFixture.demo();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void dataIsAllHttps() {
        Map<String, Observed> o = fx.collect(LocalAwsFixture.bucket("acme-data"), "s3.http_requests_90d", "s3.https_requests_90d");
        assertThat(o.get("s3.http_requests_90d").value()).as(o.toString()).isEqualTo(0L);
        assertThat(o.get("s3.https_requests_90d").value()).isEqualTo(182_340L);
        assertThat(o.get("s3.http_requests_90d").provenance().api()).contains("logs:StartQuery");
    }

    @Test
    void downloadsHad45PlainHttpCalls() {
        Map<String, Observed> o = fx.collect(LocalAwsFixture.bucket("acme-downloads"), "s3.http_requests_90d", "s3.https_requests_90d");
        assertThat(o.get("s3.http_requests_90d").value()).as(o.toString()).isEqualTo(45L);
        assertThat(o.get("s3.https_requests_90d").value()).isEqualTo(9_120L);
    }

    @Test
    void scratchIsEmptyAndLogsHoldsObjects() {
        assertThat(fx.collect(LocalAwsFixture.bucket("acme-scratch"), "s3.object_count").get("s3.object_count").value())
                .isEqualTo(0L);
        Observed logs = fx.collect(LocalAwsFixture.bucket("acme-logs"), "s3.object_count").get("s3.object_count");
        assertThat(logs.value()).as(logs.toString()).isEqualTo(5_210L);
    }

    @Test
    void instanceAndSecurityGroup() {
        Map<String, Observed> i = fx.collect(LocalAwsFixture.resource("AwsEc2Instance",
                "arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0"), "ec2.imds_v1_calls_14d", "tags", "incident.active");
        assertThat(i.get("ec2.imds_v1_calls_14d").value()).as(i.toString()).isEqualTo(0L);
        assertThat(i.get("tags").value()).isEqualTo(Map.of("Name", "acme-ec2"));
        assertThat(i.get("incident.active").value()).isEqualTo(false);
        Map<String, Observed> sg = fx.collect(LocalAwsFixture.resource("AwsEc2SecurityGroup",
                "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0a1b2c3d4e5f60718"), "sg.attached_interfaces");
        assertThat(sg.get("sg.attached_interfaces").value()).as(sg.toString()).isEqualTo(1L);
    }

    @Test
    void accountLevel() {
        Map<String, Observed> o = fx.collect(LocalAwsFixture.resource("AwsAccount", "arn:aws:iam::111111111111:root"),
                "iam.console_users", "s3.public_buckets", "cloudtrail.other_multi_region_trails");
        assertThat(o.get("iam.console_users").value()).as(o.toString()).isEqualTo(1L);
        assertThat(o.get("s3.public_buckets").value()).as(o.toString()).isEqualTo(0L);
        assertThat(o.get("cloudtrail.other_multi_region_trails").value()).as(o.toString()).isEqualTo(1L);
        assertThat(fx.aws.writes()).isEmpty();
    }
}
