package dev.fixgate.provider.aws.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.localaws.Events;
import dev.fixgate.localaws.LocalAws;
import dev.fixgate.localaws.Model;
import dev.fixgate.spi.evidence.Observed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each collector end to end through the real SDK clients, on an account built for it. */
class EveryCollectorTest {

    static LocalAwsFixture fx;
    static final String A = "111111111111";

    @BeforeAll
    static void start() {
        Model.Scenario s = LocalAws.demoScenario();
        Model.Account a = s.accounts.get(0);
        Model.Region r = a.region("us-east-1");
        // S3: a public bucket, a bucket read by another account and anonymously, tagged for an owner
        Model.Bucket site = new Model.Bucket();
        site.name = "acme-site";
        site.publicAclGrants.add("READ");
        site.tags.put("Owner", "web-team");
        site.tags.put("Environment", "prod");
        a.buckets.add(site);
        Model.LogEvents cross = new Model.LogEvents();
        cross.message = Events.s3DataEvent(A, "us-east-1", "acme-data", "GetObject", true, "arn:aws:iam::222222222222:role/partner");
        cross.count = 12;
        cross.from = "-20d";
        cross.to = "-1d";
        Model.LogEvents anon = new Model.LogEvents();
        anon.message = Events.s3DataEvent(A, "us-east-1", "acme-site", "GetObject", true, "");
        anon.count = 300;
        anon.from = "-29d";
        anon.to = "-1h";
        r.logGroups.get(0).events.addAll(List.of(cross, anon));
        // Lambda: a public URL and invocations from another account
        Model.Function f = new Model.Function();
        f.name = "thumbs";
        f.urlAuthType = "NONE";
        r.functions.add(f);
        r.trails.get(0).advancedEventSelectors.add(selector("Lambda", "AWS::Lambda::Function"));
        Model.LogEvents inv = new Model.LogEvents();
        inv.message = Events.lambdaInvokeEvent(A, "us-east-1", "thumbs", "arn:aws:sts::333333333333:assumed-role/x/y");
        inv.count = 7;
        inv.from = "-60d";
        inv.to = "-3d";
        r.logGroups.get(0).events.add(inv);
        // RDS with VPC flow logs: two connections from outside the VPC, one from inside
        Model.DbInstance db = new Model.DbInstance();
        db.id = "orders";
        db.vpcId = "vpc-0a1b2c3d";
        db.backupRetentionDays = 0;
        db.securityGroups.add("sg-0db");
        r.dbInstances.add(db);
        Model.NetworkInterface eni = new Model.NetworkInterface();
        eni.id = "eni-0db000000000000aa";
        eni.vpcId = "vpc-0a1b2c3d";
        eni.requesterId = "amazon-rds";
        eni.groups.add("sg-0db");
        r.networkInterfaces.add(eni);
        Model.FlowLog fl = new Model.FlowLog();
        fl.id = "fl-1";
        fl.resourceId = "vpc-0a1b2c3d";
        fl.logGroupName = "vpc-flow";
        r.flowLogs.add(fl);
        Model.LogGroup flows = new Model.LogGroup();
        flows.name = "vpc-flow";
        Model.LogEvents outside = new Model.LogEvents();
        outside.message = Events.flowRecord(A, eni.id, "198.51.100.7", "10.0.2.5", 50000, 5432, "ACCEPT");
        outside.count = 2;
        outside.from = "-5d";
        outside.to = "-4d";
        Model.LogEvents inside = new Model.LogEvents();
        inside.message = Events.flowRecord(A, eni.id, "10.0.1.25", "10.0.2.5", 50001, 5432, "ACCEPT");
        inside.count = 40;
        inside.from = "-5d";
        inside.to = "-1d";
        flows.events.addAll(List.of(outside, inside));
        r.logGroups.add(flows);
        Model.DbCluster cl = new Model.DbCluster();
        cl.id = "analytics";
        r.dbClusters.add(cl);
        // ELB with access logs in S3: 3 HTTP requests, one a POST
        Model.LoadBalancer lb = new Model.LoadBalancer();
        lb.name = "web";
        lb.listeners.add(new Model.Listener());
        lb.accessLogsEnabled = true;
        lb.accessLogsBucket = "acme-elb-logs";
        r.loadBalancers.add(lb);
        Model.Bucket logs = new Model.Bucket();
        logs.name = "acme-elb-logs";
        logs.policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"logdelivery.elasticloadbalancing.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-elb-logs/*\"}]}";
        Model.S3Object log = new Model.S3Object();
        log.key = "AWSLogs/" + A + "/elasticloadbalancing/us-east-1/2026/11/19/" + A + "_elasticloadbalancing_us-east-1_app.web.1_20261119T0000Z_10.0.0.1_x.log.gz";
        log.content = "http 2026-11-19T00:00:01Z app/web/1 1.2.3.4:1 10.0.0.1:80 0 0 0 200 200 1 1 \"GET http://web:80/ HTTP/1.1\" \"curl\" - -\n"
                + "http 2026-11-19T00:00:02Z app/web/1 1.2.3.4:1 10.0.0.1:80 0 0 0 200 200 1 1 \"POST http://web:80/api HTTP/1.1\" \"curl\" - -\n"
                + "https 2026-11-19T00:00:03Z app/web/1 1.2.3.4:1 10.0.0.1:80 0 0 0 200 200 1 1 \"POST https://web:443/api HTTP/1.1\" \"curl\" - -\n"
                + "http 2026-11-19T00:00:04Z app/web/1 1.2.3.4:1 10.0.0.1:80 0 0 0 200 200 1 1 \"GET http://web:80/x HTTP/1.1\" \"curl\" - -\n";
        logs.objects.add(log);
        a.buckets.add(logs);
        // KMS key, snapshots, volumes, ECR pushes, an alarm
        Model.KmsKey key = new Model.KmsKey();
        key.id = "1234abcd-12ab-34cd-56ef-1234567890ab";
        key.policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},"
                + "\"Action\":\"kms:GenerateDataKey*\",\"Resource\":\"*\"}]}";
        r.kmsKeys.add(key);
        Model.Snapshot copy = new Model.Snapshot();
        copy.id = "snap-0copy";
        copy.description = "[Copied snap-0gone from us-east-1]";
        copy.sharedWith.add("444444444444");
        r.snapshots.add(copy);
        Model.Snapshot mine = new Model.Snapshot();
        mine.id = "snap-0mine";
        mine.encrypted = true;
        r.snapshots.add(mine);
        Model.Volume vol = new Model.Volume();
        vol.id = "vol-0abc";
        vol.encrypted = true;
        r.volumes.add(vol);
        Model.Repository repo = new Model.Repository();
        repo.name = "api";
        r.repositories.add(repo);
        r.eventHistory.add(push("-20d", "api", "latest", "sha256:1"));
        r.eventHistory.add(push("-10d", "api", "latest", "sha256:2"));
        r.eventHistory.add(push("-5d", "api", "v1", "sha256:2"));
        r.eventHistory.add(push("-4d", "api", "v1", "sha256:2"));
        r.eventHistory.add(push("-3d", "other", "latest", "sha256:9"));
        Model.Alarm alarm = new Model.Alarm();
        alarm.name = "orders-cpu";
        alarm.state = "ALARM";
        alarm.namespace = "AWS/RDS";
        alarm.metricName = "CPUUtilization";
        alarm.dimensions.put("DBInstanceIdentifier", "orders");
        r.alarms.add(alarm);
        fx = new LocalAwsFixture(s).option("environment." + A, "staging");
    }

    private static Model.AdvancedSelector selector(String name, String type) {
        Model.AdvancedSelector sel = new Model.AdvancedSelector();
        sel.name = name;
        Model.FieldSelector cat = new Model.FieldSelector();
        cat.field = "eventCategory";
        cat.equalsTo.add("Data");
        Model.FieldSelector t = new Model.FieldSelector();
        t.field = "resources.type";
        t.equalsTo.add(type);
        sel.fieldSelectors.addAll(List.of(cat, t));
        return sel;
    }

    private static Model.TrailEvent push(String when, String repo, String tag, String digest) {
        Model.TrailEvent e = new Model.TrailEvent();
        e.eventName = "PutImage";
        e.eventSource = "ecr.amazonaws.com";
        e.time = when;
        e.cloudTrailEvent = "{\"eventName\":\"PutImage\",\"requestParameters\":{\"repositoryName\":\"" + repo
                + "\",\"imageTag\":\"" + tag + "\"},\"responseElements\":{\"image\":{\"imageId\":{\"imageDigest\":\"" + digest + "\"}}}}";
        return e;
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

    @Test
    void s3() {
        Map<String, Observed> data = fx.collect(LocalAwsFixture.bucket("acme-data"), "s3.cross_account_readers_30d",
                "s3.requests_per_day", "s3.public_requests_30d", "last_activity_days", "environment", "owner");
        assertThat(v(data, "s3.cross_account_readers_30d")).isEqualTo(1L);
        assertThat(v(data, "s3.public_requests_30d")).isEqualTo(0L);
        assertThat((Long) v(data, "s3.requests_per_day")).isBetween(2000L, 2100L);
        assertThat(v(data, "last_activity_days")).isEqualTo(0L);
        assertThat(v(data, "environment")).isEqualTo("staging"); // tag Environment=acme is no environment: the account's
        assertThat(data.get("owner").unavailable()).startsWith("no owner tag");
        Map<String, Observed> site = fx.collect(LocalAwsFixture.bucket("acme-site"), "s3.public_requests_30d", "owner",
                "environment", "s3.public_buckets");
        assertThat(v(site, "s3.public_requests_30d")).isEqualTo(300L);
        assertThat(v(site, "owner")).isEqualTo("web-team");
        assertThat(v(site, "environment")).isEqualTo("production");
        assertThat(v(site, "s3.public_buckets")).isEqualTo(1L);
    }

    @Test
    void lambda() {
        Map<String, Observed> o = fx.collect(LocalAwsFixture.resource("aws_lambda_permission",
                "arn:aws:lambda:us-east-1:111111111111:function:thumbs"), "lambda.function_url_auth_none",
                "lambda.external_invocations_90d");
        assertThat(v(o, "lambda.function_url_auth_none")).isEqualTo(true);
        assertThat(v(o, "lambda.external_invocations_90d")).isEqualTo(7L);
    }

    @Test
    void rds() {
        Map<String, Observed> o = fx.collect(LocalAwsFixture.resource("AwsRdsDbInstance",
                "arn:aws:rds:us-east-1:111111111111:db:orders"), "rds.public_connections_14d", "rds.backup_retention_days",
                "rds.instance_exists", "incident.active");
        assertThat(v(o, "rds.public_connections_14d")).isEqualTo(2L);
        assertThat(v(o, "rds.backup_retention_days")).isEqualTo(0L);
        assertThat(v(o, "rds.instance_exists")).isEqualTo(true);
        assertThat(v(o, "incident.active")).isEqualTo(true);
        assertThat(v(fx.collect(LocalAwsFixture.resource("AwsRdsDbInstance", "arn:aws:rds:us-east-1:111111111111:db:gone"),
                "rds.instance_exists"), "rds.instance_exists")).isEqualTo(false);
        assertThat(v(fx.collect(LocalAwsFixture.resource("AwsRdsDbCluster", "arn:aws:rds:us-east-1:111111111111:cluster:analytics"),
                "rds.cluster_exists", "rds.backup_retention_days"), "rds.cluster_exists")).isEqualTo(true);
    }

    @Test
    void elb() {
        String arn = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/"
                + String.format("%016x", (long) "web".hashCode() & 0xffffffffL);
        Map<String, Observed> o = fx.collect(LocalAwsFixture.resource("AwsElbv2LoadBalancer", arn),
                Map.of(), "elb.https_listener_present", "elb.http_requests_90d", "elb.http_non_get_requests_90d",
                "elb.access_log_bucket_writable");
        assertThat(v(o, "elb.https_listener_present")).isEqualTo(false);
        assertThat(v(o, "elb.http_requests_90d")).isEqualTo(3L);
        assertThat(v(o, "elb.http_non_get_requests_90d")).isEqualTo(1L);
        assertThat(v(o, "elb.access_log_bucket_writable")).isEqualTo(true);
        Map<String, Observed> other = fx.collect(LocalAwsFixture.resource("AwsElbv2LoadBalancer", arn),
                Map.of("access_logs_bucket", "acme-data"), "elb.access_log_bucket_writable");
        assertThat(v(other, "elb.access_log_bucket_writable")).isEqualTo(false);
    }

    @Test
    void ec2SnapshotsVolumesAndVpc() {
        Map<String, Observed> copy = fx.collect(LocalAwsFixture.resource("aws_ebs_snapshot_copy",
                "arn:aws:ec2:us-east-1::snapshot/snap-0copy"), "ec2.snapshot_encrypted", "ec2.snapshot_source_exists");
        assertThat(v(copy, "ec2.snapshot_encrypted")).isEqualTo(false);
        assertThat(v(copy, "ec2.snapshot_source_exists")).isEqualTo(false);
        assertThat(v(fx.collect(LocalAwsFixture.resource("aws_ebs_snapshot_copy", "arn:aws:ec2:us-east-1::snapshot/snap-0copy"),
                Map.of("source_snapshot_id", "snap-0mine"), "ec2.snapshot_source_exists"), "ec2.snapshot_source_exists")).isEqualTo(true);
        assertThat(v(fx.collect(LocalAwsFixture.resource("AwsEc2Volume", "arn:aws:ec2:us-east-1:111111111111:volume/vol-0abc"),
                "ebs.volume_encrypted"), "ebs.volume_encrypted")).isEqualTo(true);
        assertThat(v(fx.collect(new dev.fixgate.spi.finding.CloudResource(dev.fixgate.spi.finding.Cloud.AWS, A, "us-east-1",
                "aws_ebs_encryption_by_default", "111111111111"), "ebs.cross_account_snapshot_shares"),
                "ebs.cross_account_snapshot_shares")).isEqualTo(1L);
        var vpc = LocalAwsFixture.resource("aws_vpc", "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0a1b2c3d");
        assertThat(v(fx.collect(vpc, Map.of("log_destination", "arn:aws:s3:::acme-trail-logs/flow"),
                "vpc.flow_log_destination_exists"), "vpc.flow_log_destination_exists")).isEqualTo(false);
        assertThat(v(fx.collect(vpc, Map.of("log_destination", "arn:aws:s3:::acme-scratch"),
                "vpc.flow_log_destination_exists"), "vpc.flow_log_destination_exists")).isEqualTo(true);
        assertThat(v(fx.collect(vpc, Map.of("log_destination", "arn:aws:s3:::no-such-bucket"),
                "vpc.flow_log_destination_exists"), "vpc.flow_log_destination_exists")).isEqualTo(false);
        assertThat(v(fx.collect(vpc, Map.of("log_destination", "arn:aws:logs:us-east-1:111111111111:log-group:vpc-flow"),
                "vpc.flow_log_destination_exists"), "vpc.flow_log_destination_exists")).isEqualTo(true);
    }

    @Test
    void trailKmsEcr() {
        var trail = LocalAwsFixture.resource("AwsCloudTrailTrail", "arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-trail");
        Map<String, Observed> o = fx.collect(trail, Map.of("kms_key_id", "1234abcd-12ab-34cd-56ef-1234567890ab"),
                "kms.key_policy_allows_cloudtrail", "cloudtrail.other_multi_region_trails", "cloudtrail.log_readers_30d", "tags");
        assertThat(v(o, "kms.key_policy_allows_cloudtrail")).isEqualTo(true);
        assertThat(v(o, "cloudtrail.other_multi_region_trails")).isEqualTo(0L);
        assertThat(v(o, "cloudtrail.log_readers_30d")).isEqualTo(0L); // the trail logs every bucket's object events
        assertThat(v(o, "tags")).isEqualTo(Map.of());
        Map<String, Observed> ecr = fx.collect(LocalAwsFixture.resource("AwsEcrRepository",
                "arn:aws:ecr:us-east-1:111111111111:repository/api"), "ecr.tag_overwrites_30d", "tags");
        assertThat(v(ecr, "ecr.tag_overwrites_30d")).isEqualTo(1L);
    }
}
