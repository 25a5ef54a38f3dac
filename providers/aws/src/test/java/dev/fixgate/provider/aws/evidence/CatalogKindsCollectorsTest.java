package dev.fixgate.provider.aws.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.localaws.LocalAws;
import dev.fixgate.localaws.Model;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collectors added for the catalog's playbooks, end to end through the real SDK clients against local AWS. */
class CatalogKindsCollectorsTest {

    static final String A = LocalAwsFixture.ACCOUNT;

    LocalAwsFixture fx;
    Model.Scenario scenario;
    Model.Region region;

    @BeforeEach
    void start() {
        scenario = LocalAws.demoScenario();
        region = scenario.accounts.get(0).region("us-east-1");
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            assertThat(fx.aws.writes()).as("collectors only read").isEmpty();
            fx.close();
        }
    }

    static Model.LogStream stream(String name, String first, String last) {
        Model.LogStream s = new Model.LogStream();
        s.name = name;
        s.firstEvent = first;
        s.lastEvent = last;
        return s;
    }

    @Test
    void theOldestEventIsTheSmallestFirstEventOfEveryStreamPage() {
        Model.LogGroup g = new Model.LogGroup();
        g.name = "/aws/lambda/orders";
        for (int i = 0; i < 120; i++) {
            g.streams.add(stream(String.format("2026/11/%02d/[$LATEST]%03d", 1 + i % 28, i), "-" + (10 + i % 50) + "d", "-1d"));
        }
        g.streams.add(stream("2025/03/02/[$LATEST]old", "-412d", "-300d"));
        g.streams.add(stream("2026/11/20/[$LATEST]empty", "", ""));
        region.logGroups.add(g);
        Model.LogGroup fresh = new Model.LogGroup();
        fresh.name = "/aws/lambda/fresh";
        fresh.streams.add(stream("a", "", ""));
        region.logGroups.add(fresh);
        fx = new LocalAwsFixture(scenario);

        Map<String, Observed> got = fx.collect(LocalAwsFixture.resource("AwsLogsLogGroup",
                "arn:aws:logs:us-east-1:" + A + ":log-group:/aws/lambda/orders:*"), "logs.oldest_event_age_days");

        Observed oldest = got.get("logs.oldest_event_age_days");
        assertThat(oldest.value()).as("the stream on the last page holds the oldest event").isEqualTo(412L);
        assertThat(oldest.provenance().api()).isEqualTo("logs:DescribeLogStreams");
        assertThat(fx.aws.calls("logs", "DescribeLogStreams")).as("122 streams in pages of 50").isEqualTo(3);

        Map<String, Observed> none = fx.collect(new CloudResource(Cloud.AWS, A, "us-east-1", "aws_cloudwatch_log_group",
                "/aws/lambda/fresh"), "logs.oldest_event_age_days");
        assertThat(none.get("logs.oldest_event_age_days").value()).as("no event stored: a retention deletes nothing").isEqualTo(0L);
    }

    @Test
    void aMissingGroupTooManyStreamsAndAccessDeniedAreUnavailable() {
        Model.LogGroup g = new Model.LogGroup();
        g.name = "busy";
        for (int i = 0; i < 120; i++) {
            g.streams.add(stream("s" + i, "-3d", "-1d"));
        }
        region.logGroups.add(g);
        fx = new LocalAwsFixture(scenario).option("logs.max_stream_pages", "2");
        CloudResource busy = new CloudResource(Cloud.AWS, A, "us-east-1", "AWS::Logs::LogGroup", "busy");

        assertThat(fx.collect(busy, "logs.oldest_event_age_days").get("logs.oldest_event_age_days").unavailable())
                .isEqualTo("the log group busy has more than 100 streams (logs.max_stream_pages): the oldest event was not found");
        Observed gone = fx.collect(new CloudResource(Cloud.AWS, A, "us-east-1", "AWS::Logs::LogGroup", "gone"),
                "logs.oldest_event_age_days").get("logs.oldest_event_age_days");
        assertThat(gone.unavailable()).isEqualTo("the log group gone does not exist in us-east-1");

        fx.aws.denyAccess("logs", "DescribeLogStreams");
        assertThat(fx.collect(busy, "logs.oldest_event_age_days").get("logs.oldest_event_age_days").unavailable())
                .startsWith("AccessDenied").contains("logs:DescribeLogStreams");
    }

    static Model.Role role(String name) {
        Model.Role r = new Model.Role();
        r.name = name;
        r.attachedPolicies.add("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        return r;
    }

    static Model.Function function(String name, String role) {
        Model.Function f = new Model.Function();
        f.name = name;
        f.role = "arn:aws:iam::" + A + ":role/" + role;
        return f;
    }

    static final String XRAY_INLINE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Traces\",\"Effect\":\"Allow\","
            + "\"Action\":\"xray:Put*\",\"Resource\":\"*\"}]}";

    @Test
    void theExecutionRoleMayWriteTracesThroughAManagedOrInlinePolicyUnlessDeniedOrBounded() {
        Model.Account acct = scenario.accounts.get(0);
        Model.Role basic = role("basic-role");
        Model.Role managed = role("managed-role");
        managed.attachedPolicies.add("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
        Model.Role inline = role("inline-role");
        inline.inlinePolicies.put("traces", XRAY_INLINE);
        Model.Role denied = role("denied-role");
        denied.attachedPolicies.add("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
        denied.attachedPolicies.add("arn:aws:iam::" + A + ":policy/no-telemetry");
        acct.policies.put("arn:aws:iam::" + A + ":policy/no-telemetry", "{\"Version\":\"2012-10-17\",\"Statement\":"
                + "{\"Effect\":\"Deny\",\"Action\":\"xray:*Telemetry*\",\"Resource\":\"*\"}}");
        Model.Role bounded = role("bounded-role");
        bounded.inlinePolicies.put("traces", XRAY_INLINE);
        bounded.permissionsBoundary = "arn:aws:iam::" + A + ":policy/logs-only";
        acct.policies.put("arn:aws:iam::" + A + ":policy/logs-only", "{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}");
        Model.Role conditional = role("conditional-role");
        conditional.inlinePolicies.put("traces", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"xray:PutTraceSegments\",\"xray:PutTelemetryRecords\"],\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}}]}");
        acct.roles.addAll(java.util.List.of(basic, managed, inline, denied, bounded, conditional));
        for (String n : java.util.List.of("basic", "managed", "inline", "denied", "bounded", "conditional")) {
            region.functions.add(function(n, n + "-role"));
        }
        region.functions.add(function("orphan", "deleted-role"));
        fx = new LocalAwsFixture(scenario);

        Map<String, Object> got = new java.util.TreeMap<>();
        for (String n : java.util.List.of("basic", "managed", "inline", "denied", "bounded", "conditional")) {
            Observed o = fx.collect(LocalAwsFixture.resource("AwsLambdaFunction", "arn:aws:lambda:us-east-1:" + A + ":function:" + n),
                    "lambda.role_allows_xray_put").get("lambda.role_allows_xray_put");
            assertThat(o.available()).as(n + ": " + o).isTrue();
            got.put(n, o.value());
        }

        assertThat(got).containsExactlyInAnyOrderEntriesOf(Map.of("basic", false, "managed", true, "inline", true,
                "denied", false, "bounded", false, "conditional", false));
        assertThat(fx.aws.calls("iam", "GetPolicyVersion")).as("managed policies read through their default version").isPositive();
        Observed orphan = fx.collect(LocalAwsFixture.resource("AwsLambdaFunction", "arn:aws:lambda:us-east-1:" + A + ":function:orphan"),
                "lambda.role_allows_xray_put").get("lambda.role_allows_xray_put");
        assertThat(orphan.unavailable()).isEqualTo("the execution role deleted-role does not exist");
    }

    static Model.S3Object logFile(String prefix, String day, String lb, String content) {
        Model.S3Object o = new Model.S3Object();
        o.key = prefix + "/AWSLogs/" + A + "/elasticloadbalancing/us-east-1/" + day + "/" + A + "_elasticloadbalancing_us-east-1_"
                + lb + "_" + day.replace("/", "") + "T0000Z_10.0.0.1_2x7kq0rb.log.gz";
        o.content = content;
        return o;
    }

    /** An application load balancer's access-log line in the documented field order. */
    static String albLine(String type, String request, String cipher, String protocol) {
        return type + " 2026-11-15T10:00:01.123456Z app/web/50dc6c495c0c9188 203.0.113.9:52114 10.0.1.20:8080 0.000 0.002 0.000"
                + " 200 200 312 1520 \"" + request + "\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\" " + cipher + " " + protocol
                + " arn:aws:elasticloadbalancing:us-east-1:" + A + ":targetgroup/web/73e2d6bc24d8a067"
                + " \"Root=1-58337262-36d228ad5d99923122bbe354\" \"web.example.com\" \"arn:aws:acm:us-east-1:" + A
                + ":certificate/12345678-1234-1234-1234-123456789012\" 0 2026-11-15T10:00:01.120000Z \"forward\" \"-\" \"-\""
                + " \"10.0.1.20:8080\" \"200\" \"-\" \"-\" TID_1234abcd\n";
    }

    /** A network load balancer's TLS listener access-log line. */
    static String nlbLine(String protocol) {
        return "tls 2.0 2026-11-15T02:59:40 net/edge/c6e77e28c25b2234 g3d4b5e8bb8464cd 72.21.218.154:51341 172.100.100.185:443"
                + " 5 2 98 246 - arn:aws:acm:us-east-1:" + A + ":certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 -"
                + " ECDHE-RSA-AES128-SHA " + protocol + " - edge-c6e77e28c25b2234.elb.us-east-1.amazonaws.com - - - 2026-11-15T02:59:30\n";
    }

    @Test
    void legacyTlsIsCountedFromTheAccessLogsProtocolFieldWithinThirtyDays() {
        Model.Bucket logs = new Model.Bucket();
        logs.name = "acme-edge-logs";
        logs.objects.add(logFile("alb", "2026/11/15", "app.web.50dc6c495c0c9188",
                albLine("https", "GET https://web.example.com:443/ HTTP/1.1", "ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2")
                + albLine("https", "GET https://web.example.com:443/old HTTP/1.1", "ECDHE-RSA-AES128-SHA", "TLSv1.1")
                + albLine("h2", "POST https://web.example.com:443/api HTTP/2.0", "ECDHE-RSA-AES128-SHA", "TLSv1")
                + albLine("http", "GET http://web.example.com:80/ HTTP/1.1", "-", "-")));
        logs.objects.add(logFile("alb", "2026/10/11", "app.web.50dc6c495c0c9188",
                albLine("https", "GET https://web.example.com:443/ HTTP/1.1", "ECDHE-RSA-AES128-SHA", "TLSv1")));
        logs.objects.add(logFile("nlb", "2026/11/19", "net.edge.c6e77e28c25b2234", nlbLine("tlsv1") + nlbLine("tlsv12") + nlbLine("tlsv11")));
        scenario.accounts.get(0).buckets.add(logs);
        for (String name : java.util.List.of("web", "edge")) {
            Model.LoadBalancer lb = new Model.LoadBalancer();
            lb.name = name;
            lb.type = name.equals("web") ? "application" : "network";
            lb.accessLogsEnabled = true;
            lb.accessLogsBucket = "acme-edge-logs";
            lb.accessLogsPrefix = name.equals("web") ? "alb" : "nlb";
            region.loadBalancers.add(lb);
        }
        Model.LoadBalancer dark = new Model.LoadBalancer();
        dark.name = "dark";
        region.loadBalancers.add(dark);
        fx = new LocalAwsFixture(scenario);
        CloudResource web = new CloudResource(Cloud.AWS, A, "us-east-1", "aws_lb", "web");

        Map<String, Observed> got = fx.collect(web, "elb.legacy_tls_connections_30d");
        assertThat(got.get("elb.legacy_tls_connections_30d").value()).as("TLSv1.1 and TLSv1 on 11/15; the TLSv1 of 10/11 is"
                + " outside 30 days").isEqualTo(2L);
        assertThat(fx.aws.calls("s3", "ListObjectsV2")).as("only the 30 days the kind needs").isEqualTo(30);
        assertThat(fx.collect(new CloudResource(Cloud.AWS, A, "us-east-1", "aws_lb", "edge"), "elb.legacy_tls_connections_30d")
                .get("elb.legacy_tls_connections_30d").value()).as("the network load balancer's tlsv1 and tlsv11").isEqualTo(2L);

        Observed off = fx.collect(new CloudResource(Cloud.AWS, A, "us-east-1", "aws_lb", "dark"), "elb.legacy_tls_connections_30d")
                .get("elb.legacy_tls_connections_30d");
        assertThat(off.unavailable()).isEqualTo("access logs are off: no record of requests per listener");
        assertThat(ElbCollector.fields("a \"b c\" d")).containsExactly("a", "b c", "d");
    }
}
