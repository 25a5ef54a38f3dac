package dev.fixgate.provider.aws.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.localaws.LocalAws;
import dev.fixgate.localaws.Model;
import dev.fixgate.spi.evidence.Observed;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redshift, SNS and DynamoDB evidence end to end, through the real SDK clients against local AWS. */
class AwsRedshiftSnsDynamoDbTest {

    static LocalAwsFixture fx;
    static final String A = "111111111111";

    @BeforeAll
    static void start() {
        Model.Scenario s = LocalAws.demoScenario();
        Model.Region r = s.accounts.get(0).region("us-east-1");
        // Redshift: 8 TB of capacity, 75 % used now (50 % five hours ago); a cluster whose description has no capacity
        Model.RedshiftCluster big = new Model.RedshiftCluster();
        big.id = "warehouse";
        big.totalStorageCapacityMb = 8L * 1024 * 1024;
        big.vpcId = "vpc-0a1b2c3d";
        big.nodeIps.addAll(java.util.List.of("10.0.5.10", "10.0.5.11"));
        r.redshiftClusters.add(big);
        // its leader's interface in the VPC flow logs: 4 connections from outside in 30 days, 1 older, 9 from inside,
        // 2 rejected, 3 to another port
        Model.NetworkInterface leader = new Model.NetworkInterface();
        leader.id = "eni-0rs000000000000aa";
        leader.vpcId = "vpc-0a1b2c3d";
        leader.privateIp = "10.0.5.10";
        leader.description = "RedshiftNetworkInterface";
        r.networkInterfaces.add(leader);
        Model.FlowLog fl = new Model.FlowLog();
        fl.id = "fl-rs";
        fl.resourceId = "vpc-0a1b2c3d";
        fl.logGroupName = "rs-vpc-flow";
        r.flowLogs.add(fl);
        Model.LogGroup flows = new Model.LogGroup();
        flows.name = "rs-vpc-flow";
        flows.events.add(flows(leader.id, "203.0.113.9", 5439, "ACCEPT", 4, "-20d", "-2d"));
        flows.events.add(flows(leader.id, "203.0.113.9", 5439, "ACCEPT", 1, "-40d", "-40d"));
        flows.events.add(flows(leader.id, "10.0.9.9", 5439, "ACCEPT", 9, "-20d", "-1d"));
        flows.events.add(flows(leader.id, "198.51.100.1", 5439, "REJECT", 2, "-10d", "-1d"));
        flows.events.add(flows(leader.id, "198.51.100.1", 22, "ACCEPT", 3, "-10d", "-1d"));
        flows.events.add(flows("eni-0other", "198.51.100.1", 5439, "ACCEPT", 5, "-10d", "-1d"));
        r.logGroups.add(flows);
        r.metrics.add(metric("AWS/Redshift", "PercentageDiskSpaceUsed", "ClusterIdentifier", "warehouse",
                point("-5h", 50), point("-10m", 75)));
        Model.RedshiftCluster noCapacity = new Model.RedshiftCluster();
        noCapacity.id = "legacy";
        r.redshiftClusters.add(noCapacity);
        r.metrics.add(metric("AWS/Redshift", "PercentageDiskSpaceUsed", "ClusterIdentifier", "legacy", point("-10m", 10)));
        Model.RedshiftCluster quiet = new Model.RedshiftCluster();
        quiet.id = "quiet";
        quiet.totalStorageCapacityMb = 1024L * 1024;
        r.redshiftClusters.add(quiet);
        // SNS: a topic S3 and EventBridge may publish to (and an IAM role, which is no service), notified by an alarm;
        // a topic with the default policy and only an alarm that notifies another topic
        Model.Topic events = new Model.Topic();
        events.name = "bucket-events";
        events.policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"SNS:Publish\","
                + "\"Resource\":\"*\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::acme-data\"}}},"
                + "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"events.amazonaws.com\",\"s3.amazonaws.com\"]},\"Action\":\"sns:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"budgets.amazonaws.com\"},\"Action\":\"sns:Subscribe\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Principal\":{\"Service\":\"codestar-notifications.amazonaws.com\"},\"Action\":\"sns:Publish\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:role/app\"},\"Action\":\"sns:Publish\",\"Resource\":\"*\"}]}";
        r.topics.add(events);
        Model.Topic plain = new Model.Topic();
        plain.name = "plain";
        r.topics.add(plain);
        Model.Alarm toEvents = new Model.Alarm();
        toEvents.name = "queue-depth";
        toEvents.namespace = "AWS/SQS";
        toEvents.metricName = "ApproximateNumberOfMessagesVisible";
        toEvents.okActions.add("arn:aws:sns:us-east-1:" + A + ":bucket-events");
        r.alarms.add(toEvents);
        Model.Alarm toOther = new Model.Alarm();
        toOther.name = "other";
        toOther.alarmActions.add("arn:aws:sns:us-east-1:" + A + ":pager");
        r.alarms.add(toOther);
        // DynamoDB: a table shared with another account, one whose "*" is pinned to its own account, one of this
        // account's roles only, one without a policy
        r.tables.add(table("orders", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":[\"arn:aws:iam::111111111111:role/app\",\"arn:aws:iam::222222222222:root\"]},"
                + "\"Action\":\"dynamodb:GetItem\",\"Resource\":\"*\"}]}"));
        r.tables.add(table("pinned", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"dynamodb:Query\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                + "{\"aws:PrincipalAccount\":\"111111111111\"}}},{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"333333333333\"},"
                + "\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}"));
        r.tables.add(table("internal", "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"111111111111\",\"Service\":\"dynamodb.amazonaws.com\"},"
                + "\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}}"));
        r.tables.add(table("open", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Action\":\"dynamodb:GetItem\",\"Resource\":\"*\"}]}"));
        r.tables.add(table("nopolicy", ""));
        fx = new LocalAwsFixture(s);
    }

    static Model.LogEvents flows(String eni, String src, int port, String action, int count, String from, String to) {
        Model.LogEvents e = new Model.LogEvents();
        e.message = dev.fixgate.localaws.Events.flowRecord(A, eni, src, "10.0.5.10", 40000, port, action);
        e.count = count;
        e.from = from;
        e.to = to;
        return e;
    }

    static Model.Table table(String name, String policy) {
        Model.Table t = new Model.Table();
        t.name = name;
        t.policy = policy;
        return t;
    }

    static Model.Metric metric(String ns, String name, String dim, String value, Model.Datapoint... points) {
        Model.Metric m = new Model.Metric();
        m.namespace = ns;
        m.name = name;
        m.dimensions.put(dim, value);
        m.datapoints.addAll(java.util.List.of(points));
        return m;
    }

    static Model.Datapoint point(String time, double value) {
        Model.Datapoint d = new Model.Datapoint();
        d.time = time;
        d.value = value;
        return d;
    }

    @AfterEach
    void clear() {
        fx.aws.clearFaults();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    private static Observed one(String type, String arn, String kind) {
        Observed o = fx.collect(LocalAwsFixture.resource(type, arn), kind).get(kind);
        assertThat(o).as(kind).isNotNull();
        return o;
    }

    private static String redshift(String id) {
        return "arn:aws:redshift:us-east-1:" + A + ":cluster:" + id;
    }

    @Test
    void redshiftClusterSizeIsCapacityTimesTheNewestShareUsed() {
        Observed o = one("AwsRedshiftCluster", redshift("warehouse"), "redshift.cluster_size_tb");
        assertThat(o.available()).as(o.toString()).isTrue();
        assertThat(o.value()).isEqualTo(6.0);
        assertThat(o.provenance().api()).isEqualTo("redshift:DescribeClusters, cloudwatch:GetMetricData");
        assertThat(fx.aws.calls("redshift", "DescribeClusters")).isPositive();
        // by type and name, without an ARN
        Observed byName = fx.collect(new dev.fixgate.spi.finding.CloudResource(dev.fixgate.spi.finding.Cloud.AWS, A,
                "us-east-1", "aws_redshift_cluster", "warehouse"), "redshift.cluster_size_tb").get("redshift.cluster_size_tb");
        assertThat(byName.value()).isEqualTo(6.0);
    }

    @Test
    void redshiftWithoutCapacityMetricOrClusterIsUnavailable() {
        Observed legacy = one("AwsRedshiftCluster", redshift("legacy"), "redshift.cluster_size_tb");
        assertThat(legacy.unavailable()).startsWith("DescribeClusters gives no TotalStorageCapacityInMegaBytes");
        Observed quiet = one("AwsRedshiftCluster", redshift("quiet"), "redshift.cluster_size_tb");
        assertThat(quiet.unavailable()).startsWith("no AWS/Redshift PercentageDiskSpaceUsed datapoint");
        assertThat(quiet.provenance().api()).isEqualTo("cloudwatch:GetMetricData");
        Observed gone = one("AwsRedshiftCluster", redshift("gone"), "redshift.cluster_size_tb");
        assertThat(gone.unavailable()).isEqualTo("the Redshift cluster gone does not exist in us-east-1");
        assertThat(gone.provenance().api()).isEqualTo("redshift:DescribeClusters");
        fx.aws.denyAccess("redshift", "DescribeClusters");
        Observed denied = one("AwsRedshiftCluster", redshift("warehouse"), "redshift.cluster_size_tb");
        assertThat(denied.unavailable()).isEqualTo("AccessDenied on redshift:DescribeClusters");
        assertThat(denied.provenance().api()).isEqualTo("redshift:DescribeClusters");
    }

    @Test
    void redshiftConnectionsFromOutsideTheVpcComeFromTheFlowLogs() {
        Observed o = one("AwsRedshiftCluster", redshift("warehouse"), "redshift.connections_from_outside_vpc_30d");
        assertThat(o.available()).as(o.toString()).isTrue();
        assertThat(o.value()).isEqualTo(4L);
        assertThat(o.provenance().api()).isEqualTo("redshift:DescribeClusters, ec2:DescribeNetworkInterfaces, "
                + "ec2:DescribeVpcs, ec2:DescribeFlowLogs, logs:StartQuery, logs:GetQueryResults");
        Observed noNodes = one("AwsRedshiftCluster", redshift("quiet"), "redshift.connections_from_outside_vpc_30d");
        assertThat(noNodes.unavailable()).startsWith("the cluster has no VPC, endpoint or node addresses yet");
        fx.aws.denyAccess("logs", "StartQuery");
        Observed denied = one("AwsRedshiftCluster", redshift("warehouse"), "redshift.connections_from_outside_vpc_30d");
        assertThat(denied.unavailable()).isEqualTo("AccessDeniedException on logs:StartQuery");
        assertThat(denied.provenance().api()).isEqualTo("logs:StartQuery");
        fx.aws.clearFaults();
        fx.aws.denyAccess("redshift", "DescribeClusters");
        assertThat(one("AwsRedshiftCluster", redshift("warehouse"), "redshift.connections_from_outside_vpc_30d").unavailable())
                .isEqualTo("AccessDenied on redshift:DescribeClusters");
    }

    private static String topic(String name) {
        return "arn:aws:sns:us-east-1:" + A + ":" + name;
    }

    @Test
    void snsPublishersAreThePolicysServicePrincipalsAndAlarms() {
        Observed o = one("AwsSnsTopic", topic("bucket-events"), "sns.aws_service_publishers");
        assertThat(o.available()).as(o.toString()).isTrue();
        // s3 and events (Allow sns:Publish or sns:*), cloudwatch (an alarm's OK action); not budgets (Subscribe only),
        // not codestar (a Deny), not the role (no service)
        assertThat(o.value()).isEqualTo(3L);
        assertThat(o.provenance().api()).isEqualTo("sns:GetTopicAttributes, cloudwatch:DescribeAlarms");
        Observed plain = one("aws_sns_topic", topic("plain"), "sns.aws_service_publishers");
        assertThat(plain.value()).isEqualTo(0L);
        fx.aws.pageSize("monitoring", "DescribeAlarms", 1);
        assertThat(one("AwsSnsTopic", topic("bucket-events"), "sns.aws_service_publishers").value()).isEqualTo(3L);
    }

    @Test
    void snsMissingTopicOrDeniedReadsAreUnavailable() {
        Observed gone = one("AwsSnsTopic", topic("gone"), "sns.aws_service_publishers");
        assertThat(gone.unavailable()).isEqualTo("the topic " + topic("gone") + " does not exist");
        assertThat(gone.provenance().api()).isEqualTo("sns:GetTopicAttributes");
        fx.aws.denyAccess("sns", "GetTopicAttributes");
        Observed denied = one("AwsSnsTopic", topic("bucket-events"), "sns.aws_service_publishers");
        assertThat(denied.unavailable()).isEqualTo("AuthorizationError on sns:GetTopicAttributes");
        assertThat(denied.provenance().api()).isEqualTo("sns:GetTopicAttributes");
        fx.aws.clearFaults();
        fx.aws.denyAccess("monitoring", "DescribeAlarms");
        Observed alarms = one("AwsSnsTopic", topic("plain"), "sns.aws_service_publishers");
        assertThat(alarms.unavailable()).isEqualTo("AccessDenied on cloudwatch:DescribeAlarms");
    }

    private static String table(String name) {
        return "arn:aws:dynamodb:us-east-1:" + A + ":table/" + name;
    }

    @Test
    void dynamoDbCrossAccountAccessReadsTheResourcePolicy() {
        Observed orders = one("AwsDynamoDbTable", table("orders"), "dynamodb.cross_account_access");
        assertThat(orders.available()).as(orders.toString()).isTrue();
        assertThat(orders.value()).isEqualTo(true);
        assertThat(orders.provenance().api()).isEqualTo("dynamodb:GetResourcePolicy");
        assertThat(one("AwsDynamoDbTable", table("open"), "dynamodb.cross_account_access").value()).isEqualTo(true);
        assertThat(one("aws_dynamodb_table", table("pinned"), "dynamodb.cross_account_access").value()).isEqualTo(false);
        assertThat(one("AwsDynamoDbTable", table("internal"), "dynamodb.cross_account_access").value()).isEqualTo(false);
        assertThat(one("AwsDynamoDbTable", table("nopolicy"), "dynamodb.cross_account_access").value()).isEqualTo(false);
        assertThat(fx.aws.calls("dynamodb", "GetResourcePolicy")).isPositive();
    }

    @Test
    void dynamoDbMissingTableOrDeniedReadIsUnavailable() {
        Observed gone = one("AwsDynamoDbTable", table("gone"), "dynamodb.cross_account_access");
        assertThat(gone.unavailable()).isEqualTo("the table gone does not exist in us-east-1");
        assertThat(gone.provenance().api()).isEqualTo("dynamodb:GetResourcePolicy");
        fx.aws.denyAccess("dynamodb", "GetResourcePolicy");
        Observed denied = one("AwsDynamoDbTable", table("orders"), "dynamodb.cross_account_access");
        assertThat(denied.unavailable()).isEqualTo("AccessDeniedException on dynamodb:GetResourcePolicy");
        assertThat(denied.provenance().api()).isEqualTo("dynamodb:GetResourcePolicy");
    }
}
