package dev.fixgate.provider.aws.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.localaws.LocalAws;
import dev.fixgate.localaws.Model;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the brief of every collector asks of failures: pages followed, throttling retried then given up within the
 * budget, AccessDenied and timeouts reported as unavailable naming the action, regions searched, roles assumed.
 */
class FailuresAndPagingTest {

    private static final CloudResource SG = LocalAwsFixture.resource("AwsEc2SecurityGroup",
            "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0a1b2c3d4e5f60718");

    private static Model.Scenario demoWithEnis(int extra) {
        Model.Scenario s = LocalAws.demoScenario();
        Model.Region r = s.accounts.get(0).region("us-east-1");
        for (int i = 0; i < extra; i++) {
            Model.NetworkInterface n = new Model.NetworkInterface();
            n.id = String.format("eni-%017x", i);
            n.vpcId = "vpc-0a1b2c3d";
            n.groups.add("sg-0a1b2c3d4e5f60718");
            r.networkInterfaces.add(n);
        }
        return s;
    }

    @Test
    void followsEveryPage() {
        try (LocalAwsFixture fx = new LocalAwsFixture(demoWithEnis(11))) {
            fx.aws.pageSize("ec2", "DescribeNetworkInterfaces", 5);
            fx.aws.pageSize("s3", "ListObjectsV2", 700);
            assertThat(fx.collect(SG, "sg.attached_interfaces").get("sg.attached_interfaces").value()).isEqualTo(12L);
            assertThat(fx.aws.calls("ec2", "DescribeNetworkInterfaces")).isEqualTo(3);
            assertThat(fx.collect(LocalAwsFixture.bucket("acme-logs"), "s3.object_count").get("s3.object_count").value())
                    .isEqualTo(5_210L);
            // one MaxKeys=1 probe, then 8 pages of 700
            assertThat(fx.aws.calls("s3", "ListObjectsV2")).isEqualTo(1 + 8);
        }
    }

    @Test
    void pagesMetricsAlarmsUsersAndLookups() {
        Model.Scenario s = LocalAws.demoScenario();
        Model.Account a = s.accounts.get(0);
        for (int i = 0; i < 7; i++) {
            Model.IamUser u = new Model.IamUser();
            u.name = "user" + i;
            u.consolePassword = i % 2 == 0;
            a.iamUsers.add(u);
        }
        try (LocalAwsFixture fx = new LocalAwsFixture(s)) {
            fx.aws.pageSize("iam", "ListUsers", 2);
            fx.aws.pageSize("monitoring", "GetMetricData", 4);
            Map<String, Observed> acct = fx.collect(LocalAwsFixture.resource("AwsAccount", "arn:aws:iam::111111111111:root"),
                    "iam.console_users");
            assertThat(acct.get("iam.console_users").value()).isEqualTo(1L + 4L);
            assertThat(fx.aws.calls("iam", "ListUsers")).isEqualTo(5);
            fx.aws.update(sc -> sc.accounts.get(0).region("us-east-1").metrics.get(0).series.value = 2);
            Observed imds = fx.collect(LocalAwsFixture.resource("AwsEc2Instance",
                    "arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0"), "ec2.imds_v1_calls_14d")
                    .get("ec2.imds_v1_calls_14d");
            assertThat(imds.value()).as(imds.toString()).isEqualTo(14L * 24 * 2);
            assertThat(fx.aws.calls("monitoring", "GetMetricData")).isEqualTo(4); // 14 daily points, 4 per page
        }
    }

    @Test
    void throttlingIsRetriedThenAnswered() {
        try (LocalAwsFixture fx = LocalAwsFixture.demo()) {
            fx.aws.throttle("ec2", "DescribeNetworkInterfaces", 2);
            fx.aws.throttle("logs", "StartQuery", 2);
            fx.aws.throttle("monitoring", "GetMetricData", 1);
            fx.aws.throttle("s3", "ListObjectsV2", 1);
            assertThat(fx.collect(SG, "sg.attached_interfaces").get("sg.attached_interfaces").value()).isEqualTo(1L);
            assertThat(fx.aws.calls("ec2", "DescribeNetworkInterfaces")).isEqualTo(3);
            assertThat(fx.collect(LocalAwsFixture.bucket("acme-downloads"), "s3.http_requests_90d")
                    .get("s3.http_requests_90d").value()).isEqualTo(45L);
            assertThat(fx.aws.calls("logs", "StartQuery")).isEqualTo(3);
            assertThat(fx.collect(LocalAwsFixture.resource("AwsEc2Instance",
                    "arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0"), "ec2.imds_v1_calls_14d")
                    .get("ec2.imds_v1_calls_14d").value()).isEqualTo(0L);
            assertThat(fx.collect(LocalAwsFixture.bucket("acme-scratch"), "s3.object_count").get("s3.object_count").value())
                    .isEqualTo(0L);
        }
    }

    @Test
    void throttlingPastTheRetriesIsUnavailable() {
        try (LocalAwsFixture fx = LocalAwsFixture.demo().option("retry.max_attempts", "3")) {
            fx.aws.throttle("ec2", "DescribeNetworkInterfaces", -1);
            Observed o = fx.collect(SG, "sg.attached_interfaces").get("sg.attached_interfaces");
            assertThat(o.available()).isFalse();
            assertThat(o.unavailable()).contains("throttled").contains("ec2:DescribeNetworkInterfaces");
            assertThat(fx.aws.calls("ec2", "DescribeNetworkInterfaces")).isEqualTo(3);
        }
    }

    @Test
    void throttlingPastTheBudgetIsUnavailable() {
        try (LocalAwsFixture fx = LocalAwsFixture.demo().option("retry.max_attempts", "1000")
                .option("retry.throttle_base_delay_ms", "100").option("retry.max_delay_ms", "200")
                .budget(Duration.ofMillis(1500))) {
            fx.aws.throttle("monitoring", "GetMetricData", -1);
            long start = System.nanoTime();
            Observed o = fx.collect(LocalAwsFixture.resource("AwsEc2Instance",
                    "arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0"), "ec2.imds_v1_calls_14d")
                    .get("ec2.imds_v1_calls_14d");
            assertThat(o.available()).isFalse();
            assertThat(o.unavailable()).contains("cloudwatch:GetMetricData").contains("budget");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(fx.aws.calls("monitoring", "GetMetricData")).isGreaterThan(2);
        }
    }

    @Test
    void accessDeniedNamesTheAction() {
        try (LocalAwsFixture fx = LocalAwsFixture.demo()) {
            fx.aws.denyAccess("logs", "StartQuery");
            fx.aws.denyAccess("s3", "GetBucketTagging");
            fx.aws.denyAccess("monitoring", "DescribeAlarms");
            fx.aws.denyAccess("iam", "ListUsers");
            fx.aws.denyAccess("ec2", "DescribeNetworkInterfaces");
            Map<String, Observed> b = fx.collect(LocalAwsFixture.bucket("acme-downloads"), "s3.http_requests_90d", "tags",
                    "incident.active", "s3.object_count");
            assertThat(b.get("s3.http_requests_90d").unavailable()).isEqualTo("AccessDeniedException on logs:StartQuery");
            assertThat(b.get("s3.http_requests_90d").provenance().api()).isEqualTo("logs:StartQuery");
            assertThat(b.get("tags").unavailable()).isEqualTo("AccessDenied on s3:GetBucketTagging");
            assertThat(b.get("incident.active").unavailable()).isEqualTo("AccessDenied on cloudwatch:DescribeAlarms");
            assertThat(b.get("s3.object_count").value()).isEqualTo(37L);
            assertThat(fx.collect(LocalAwsFixture.resource("AwsAccount", "arn:aws:iam::111111111111:root"), "iam.console_users")
                    .get("iam.console_users").unavailable()).isEqualTo("AccessDenied on iam:ListUsers");
            assertThat(fx.collect(SG, "sg.attached_interfaces").get("sg.attached_interfaces").unavailable())
                    .isEqualTo("UnauthorizedOperation on ec2:DescribeNetworkInterfaces");
            assertThat(fx.aws.calls("logs", "StartQuery")).isEqualTo(1); // refused is not retried
        }
    }

    @Test
    void aSlowAnswerTimesOutWithinTheBudget() {
        try (LocalAwsFixture fx = LocalAwsFixture.demo().budget(Duration.ofSeconds(1))) {
            fx.aws.slow("ec2", "DescribeNetworkInterfaces", Duration.ofSeconds(3));
            long start = System.nanoTime();
            Observed o = fx.collect(SG, "sg.attached_interfaces").get("sg.attached_interfaces");
            assertThat(o.available()).isFalse();
            assertThat(o.unavailable()).startsWith("timed out on ec2:DescribeNetworkInterfaces");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
        }
    }

    @Test
    void searchesRegionsWhenTheFindingNamesNone() {
        Model.Scenario s = LocalAws.demoScenario();
        s.accounts.get(0).region("ap-east-1").disabled = true;
        s.accounts.get(0).region("eu-west-1");
        try (LocalAwsFixture fx = new LocalAwsFixture(s).regions("ap-east-1", "eu-west-1", "us-east-1")) {
            CloudResource sg = new CloudResource(Cloud.AWS, "", "", "AwsEc2SecurityGroup", "sg-0a1b2c3d4e5f60718");
            Observed o = fx.collect(sg, "sg.attached_interfaces").get("sg.attached_interfaces");
            assertThat(o.value()).as(o.toString()).isEqualTo(1L);
            assertThat(o.provenance().region()).isEqualTo("us-east-1");
            assertThat(fx.aws.calls().stream().filter(c -> c.operation().equals("DescribeSecurityGroups"))
                    .map(LocalAws.Call::region)).containsExactly("ap-east-1", "eu-west-1", "us-east-1");
            CloudResource missing = new CloudResource(Cloud.AWS, "", "", "AwsEc2SecurityGroup", "sg-0000000000000000f");
            Observed none = fx.collect(missing, "sg.attached_interfaces").get("sg.attached_interfaces");
            assertThat(none.unavailable()).isEqualTo("not found in ap-east-1, eu-west-1, us-east-1 (not enabled for the"
                    + " account: ap-east-1)");
        }
    }

    @Test
    void assumesTheAccountsRoleWithItsExternalId() {
        String role = "arn:aws:iam::111111111111:role/fixgate-evidence";
        try (LocalAwsFixture fx = LocalAwsFixture.demo()
                .accounts(new ProviderSettings.AccountAccess("111111111111", role, "fixgate-demo"))) {
            Observed o = fx.collect(SG, "sg.attached_interfaces").get("sg.attached_interfaces");
            assertThat(o.value()).isEqualTo(1L);
            assertThat(o.provenance().role()).isEqualTo(role);
            List<LocalAws.Call> assume = fx.aws.calls().stream().filter(c -> c.operation().equals("AssumeRole")).toList();
            assertThat(assume).hasSize(1);
            assertThat(assume.get(0).params()).containsEntry("ExternalId", "fixgate-demo").containsEntry("RoleArn", role);
            assertThat(fx.aws.calls().stream().filter(c -> c.service().equals("ec2")).map(LocalAws.Call::account))
                    .containsOnly("111111111111");
        }
        try (LocalAwsFixture fx = LocalAwsFixture.demo()
                .accounts(new ProviderSettings.AccountAccess("111111111111", role, "wrong"))) {
            Observed o = fx.collect(SG, "sg.attached_interfaces").get("sg.attached_interfaces");
            assertThat(o.available()).isFalse();
            assertThat(o.unavailable()).contains("AssumeRole").doesNotContain(LocalAws.SECRET);
        }
    }

    @Test
    void noTrailLoggingTheBucketIsUnavailableNotZero() {
        Model.Scenario s = LocalAws.demoScenario();
        s.accounts.get(0).region("us-east-1").trails.get(0).advancedEventSelectors.remove(1);
        try (LocalAwsFixture fx = new LocalAwsFixture(s)) {
            Observed o = fx.collect(LocalAwsFixture.bucket("acme-data"), "s3.http_requests_90d").get("s3.http_requests_90d");
            assertThat(o.unavailable()).startsWith("no trail delivers S3 data events of acme-data to CloudWatch Logs");
        }
        Model.Scenario young = LocalAws.demoScenario();
        young.accounts.get(0).region("us-east-1").logGroups.get(0).created = "-10d";
        try (LocalAwsFixture fx = new LocalAwsFixture(young)) {
            Observed o = fx.collect(LocalAwsFixture.bucket("acme-data"), "s3.http_requests_90d").get("s3.http_requests_90d");
            assertThat(o.unavailable()).contains("was created 10 days ago");
        }
    }

    @Test
    void stateChangesWhileRunning() {
        try (LocalAwsFixture fx = LocalAwsFixture.demo()) {
            assertThat(fx.collect(LocalAwsFixture.bucket("acme-data"), "s3.http_requests_90d").get("s3.http_requests_90d").value())
                    .isEqualTo(0L);
            fx.aws.addS3DataEvents("111111111111", "us-east-1", "acme-data", "GetObject", 3, false, Duration.ofDays(1));
            assertThat(fx.collect(LocalAwsFixture.bucket("acme-data"), "s3.http_requests_90d").get("s3.http_requests_90d").value())
                    .isEqualTo(3L);
        }
    }
}
