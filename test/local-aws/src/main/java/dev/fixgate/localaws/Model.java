package dev.fixgate.localaws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data a {@link LocalAws} answers from: accounts, their global resources (buckets, IAM users and roles) and, per
 * region, everything regional. These are plain mutable objects, bound from a scenario file (see README.md) or built
 * in code; change them through {@link LocalAws#update} so that a request never sees half a change.
 *
 * <p>Times in a scenario file are ISO instants or offsets from the server's clock: {@code "-90d"}, {@code "-3h"},
 * {@code "-15m"}, {@code "now"}.
 */
public final class Model {

    private Model() {
    }

    /** The whole stand-in: its accounts, the one unsigned requests and unknown keys belong to. */
    public static final class Scenario {
        public String description = "";
        public String defaultAccount = "111111111111";
        public List<Account> accounts = new ArrayList<>();
    }

    public static final class Account {
        public String id = "111111111111";
        /** Roles others may assume into this account (STS AssumeRole). */
        public List<Role> roles = new ArrayList<>();
        public List<IamUser> iamUsers = new ArrayList<>();
        public List<Bucket> buckets = new ArrayList<>();
        public Map<String, Region> regions = new LinkedHashMap<>();
        /** Customer managed policies: ARN → the default version's document (JSON). */
        public Map<String, String> policies = new LinkedHashMap<>();

        public Region region(String name) {
            return regions.computeIfAbsent(name, n -> new Region());
        }
    }

    /** An IAM role; {@code externalId} is what its trust policy requires ({@code sts:ExternalId}); empty for none. */
    public static final class Role {
        public String name = "";
        public String externalId = "";
        public String lastUsed = "";
        public Map<String, String> tags = new LinkedHashMap<>();
        /** Inline policies: name → policy document (JSON). */
        public Map<String, String> inlinePolicies = new LinkedHashMap<>();
        /** ARNs of the attached managed policies: the account's {@code policies} or AWS managed ones local AWS knows. */
        public List<String> attachedPolicies = new ArrayList<>();
        /** The permissions boundary's policy ARN; empty for none. */
        public String permissionsBoundary = "";
    }

    public static final class IamUser {
        public String name = "";
        /** Whether the user has a login profile (a console password): {@code iam:GetLoginProfile} answers 200. */
        public boolean consolePassword;
        public String passwordLastUsed = "";
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class Bucket {
        public String name = "";
        public String region = "us-east-1";
        public String created = "-400d";
        public Map<String, String> tags = new LinkedHashMap<>();
        /** The bucket policy JSON; empty for none (GetBucketPolicy → NoSuchBucketPolicy). */
        public String policy = "";
        /** Grants to AllUsers / AuthenticatedUsers in the ACL: {@code READ}, {@code WRITE}…; empty for private. */
        public List<String> publicAclGrants = new ArrayList<>();
        /** The bucket's Block Public Access; null when none is set (NoSuchPublicAccessBlockConfiguration). */
        public PublicAccessBlock publicAccessBlock;
        /**
         * The versioning status: {@code Enabled}, {@code Suspended}, or empty for a bucket whose versioning was never
         * enabled (GetBucketVersioning then answers a configuration without a Status, as S3 does).
         */
        public String versioning = "";
        /** Named objects. */
        public List<S3Object> objects = new ArrayList<>();
        /** Generated objects besides the named ones: {@code <objectPrefix><n>} of 1 KiB, n = 1..generatedObjects. */
        public int generatedObjects;
        public String objectPrefix = "object-";
    }

    public static final class PublicAccessBlock {
        public boolean blockPublicAcls = true;
        public boolean ignorePublicAcls = true;
        public boolean blockPublicPolicy = true;
        public boolean restrictPublicBuckets = true;
    }

    public static final class S3Object {
        public String key = "";
        public long size;
        /** The object's body as text (e.g. an access-log line); a {@code .gz} key is served gzipped. */
        public String content = "";
        public String lastModified = "-1d";
    }

    public static final class Region {
        /** An opt-in region that is not enabled: every call answers 401 AuthFailure / UnrecognizedClientException. */
        public boolean disabled;
        public List<Instance> instances = new ArrayList<>();
        public List<Vpc> vpcs = new ArrayList<>();
        public List<SecurityGroup> securityGroups = new ArrayList<>();
        public List<NetworkInterface> networkInterfaces = new ArrayList<>();
        public List<Volume> volumes = new ArrayList<>();
        public List<Snapshot> snapshots = new ArrayList<>();
        public List<Image> images = new ArrayList<>();
        public List<FlowLog> flowLogs = new ArrayList<>();
        public List<Metric> metrics = new ArrayList<>();
        public List<Alarm> alarms = new ArrayList<>();
        public List<Trail> trails = new ArrayList<>();
        public List<LogGroup> logGroups = new ArrayList<>();
        /** Management events for {@code cloudtrail:LookupEvents} (the 90-day event history). */
        public List<TrailEvent> eventHistory = new ArrayList<>();
        public List<Function> functions = new ArrayList<>();
        public List<DbInstance> dbInstances = new ArrayList<>();
        public List<DbCluster> dbClusters = new ArrayList<>();
        public List<LoadBalancer> loadBalancers = new ArrayList<>();
        public List<KmsKey> kmsKeys = new ArrayList<>();
        public List<Repository> repositories = new ArrayList<>();
        public List<RedshiftCluster> redshiftClusters = new ArrayList<>();
        public List<Topic> topics = new ArrayList<>();
        public List<Table> tables = new ArrayList<>();
    }

    /** A DynamoDB table; an empty policy means none is attached ({@code PolicyNotFoundException}). */
    public static final class Table {
        public String name = "";
        public String policy = "";
    }

    /** An SNS topic; an empty policy answers the default policy SNS gives a new topic (the owner account only). */
    public static final class Topic {
        public String name = "";
        public String policy = "";
        public String kmsMasterKeyId = "";
    }

    /** A provisioned Redshift cluster; its disk use is the AWS/Redshift PercentageDiskSpaceUsed metric, in {@code metrics}. */
    public static final class RedshiftCluster {
        public String id = "";
        public String nodeType = "ra3.xlplus";
        public int numberOfNodes = 2;
        /** {@code TotalStorageCapacityInMegaBytes}; 0 leaves the field out, as DescribeClusters does for some clusters. */
        public long totalStorageCapacityMb;
        public String vpcId = "";
        public int port = 5439;
        public boolean publiclyAccessible;
        public boolean encrypted;
        /** The nodes' private addresses ({@code ClusterNodes}); the first is the leader. */
        public List<String> nodeIps = new ArrayList<>();
    }

    public static final class Instance {
        public String id = "";
        public String state = "running";
        public String vpcId = "";
        public String launchTemplateId = "";
        /** {@code optional} (IMDSv1 allowed) or {@code required}. */
        public String httpTokens = "optional";
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class Vpc {
        public String id = "";
        public String cidr = "10.0.0.0/16";
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class SecurityGroup {
        public String id = "";
        public String name = "";
        public String vpcId = "";
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class NetworkInterface {
        public String id = "";
        public String vpcId = "";
        public String subnetId = "";
        public String privateIp = "10.0.0.10";
        public String description = "";
        public String instanceId = "";
        /** Who manages it: {@code amazon-rds}, {@code amazon-elb}…; empty for one a user created. */
        public String requesterId = "";
        public String interfaceType = "interface";
        public List<String> groups = new ArrayList<>();
    }

    public static final class Volume {
        public String id = "";
        public boolean encrypted;
        public long sizeGiB = 8;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class Snapshot {
        public String id = "";
        public boolean encrypted;
        /** The owner; empty means the account it lives in. */
        public String ownerId = "";
        public String volumeId = "";
        public String description = "";
        /** Accounts (or {@code all}) with createVolumePermission. */
        public List<String> sharedWith = new ArrayList<>();
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class Image {
        public String id = "";
        public String name = "";
    }

    public static final class FlowLog {
        public String id = "";
        public String resourceId = "";
        /** {@code cloud-watch-logs} or {@code s3}. */
        public String destinationType = "cloud-watch-logs";
        public String logGroupName = "";
        /** The destination ARN (an S3 bucket ARN for s3). */
        public String destination = "";
    }

    /** A CloudWatch metric and its datapoints. */
    public static final class Metric {
        public String namespace = "";
        public String name = "";
        public Map<String, String> dimensions = new LinkedHashMap<>();
        /** Explicit datapoints. */
        public List<Datapoint> datapoints = new ArrayList<>();
        /** Generated datapoints: one every {@code every} (e.g. {@code 5m}) from {@code from} to {@code to}. */
        public Series series;
    }

    public static final class Datapoint {
        public String time = "now";
        public double value;
    }

    public static final class Series {
        public String from = "-14d";
        public String to = "now";
        public String every = "1h";
        public double value;
    }

    public static final class Alarm {
        public String name = "";
        /** OK, ALARM or INSUFFICIENT_DATA. */
        public String state = "OK";
        public String namespace = "";
        public String metricName = "";
        public Map<String, String> dimensions = new LinkedHashMap<>();
        public String since = "-1h";
        /** ARNs the alarm notifies in state ALARM ({@code AlarmActions}), e.g. SNS topics. */
        public List<String> alarmActions = new ArrayList<>();
        /** ARNs notified on the return to OK ({@code OKActions}). */
        public List<String> okActions = new ArrayList<>();
    }

    public static final class Trail {
        public String name = "";
        public boolean multiRegion;
        public boolean organization;
        public String s3Bucket = "";
        public String kmsKeyId = "";
        /** The CloudWatch Logs group the trail delivers to; empty when it does not. */
        public String logGroup = "";
        public boolean logging = true;
        /**
         * Advanced event selectors, as CloudTrail returns them: each a list of field selectors
         * {@code {field, equals[], startsWith[], notEquals[]}}.
         */
        public List<AdvancedSelector> advancedEventSelectors = new ArrayList<>();
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class AdvancedSelector {
        public String name = "";
        public List<FieldSelector> fieldSelectors = new ArrayList<>();
    }

    public static final class FieldSelector {
        public String field = "";
        public List<String> equalsTo = new ArrayList<>();
        public List<String> startsWith = new ArrayList<>();
        public List<String> notEquals = new ArrayList<>();
    }

    /** A CloudWatch Logs group: its events are what Logs Insights queries. */
    public static final class LogGroup {
        public String name = "";
        public String created = "-400d";
        /** Days kept; 0 for never expire. */
        public int retentionDays;
        public List<LogEvents> events = new ArrayList<>();
        /** The streams DescribeLogStreams lists (the Insights events above are not split into streams). */
        public List<LogStream> streams = new ArrayList<>();
    }

    /** A log stream: its first and last event times (relative, e.g. {@code -90d}); empty when it has no events. */
    public static final class LogStream {
        public String name = "";
        public String created = "-400d";
        public String firstEvent = "";
        public String lastEvent = "";
        public long storedBytes;
    }

    /**
     * {@code count} identical log events spread evenly from {@code from} to {@code to} (one event: at {@code to}).
     * The message is a CloudTrail event (JSON) or a VPC flow log record (the default space-separated format).
     */
    public static final class LogEvents {
        public String message = "";
        public long count = 1;
        public String from = "now";
        public String to = "now";
    }

    /** A management event in the CloudTrail event history. */
    public static final class TrailEvent {
        public String eventName = "";
        public String eventSource = "";
        public String time = "now";
        public String username = "";
        /** The resources the event names ({@code ResourceType}, {@code ResourceName}). */
        public List<Map<String, String>> resources = new ArrayList<>();
        /** The full CloudTrail event, JSON; built from the other fields when empty. */
        public String cloudTrailEvent = "";
    }

    public static final class Function {
        public String name = "";
        /** Function URL auth type: {@code NONE} or {@code AWS_IAM}; empty when the function has no URL. */
        public String urlAuthType = "";
        public String policy = "";
        /** The execution role's ARN. */
        public String role = "";
        /** {@code PassThrough} or {@code Active}. */
        public String tracingMode = "PassThrough";
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class DbInstance {
        public String id = "";
        public String engine = "postgres";
        public int port = 5432;
        public int backupRetentionDays = 7;
        public boolean publiclyAccessible;
        public boolean storageEncrypted;
        public String vpcId = "";
        public List<String> securityGroups = new ArrayList<>();
        public String clusterId = "";
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class DbCluster {
        public String id = "";
        public String engine = "aurora-postgresql";
        public int backupRetentionDays = 7;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class LoadBalancer {
        public String name = "";
        public String type = "application";
        public String vpcId = "";
        public List<Listener> listeners = new ArrayList<>();
        public boolean accessLogsEnabled;
        public String accessLogsBucket = "";
        public String accessLogsPrefix = "";
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class Listener {
        public int port = 80;
        public String protocol = "HTTP";
    }

    public static final class KmsKey {
        public String id = "";
        public String policy = "";
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class Repository {
        public String name = "";
        public boolean immutableTags;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    /** {@code "-90d"}, {@code "-3h"}, {@code "-15m"}, {@code "-30s"}, {@code "now"} or an ISO instant, against {@code now}. */
    public static Instant time(String text, Instant now) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.equals("now")) {
            return now;
        }
        if (t.startsWith("-") || t.startsWith("+")) {
            long n = Long.parseLong(t.substring(1, t.length() - 1));
            long seconds = switch (t.charAt(t.length() - 1)) {
                case 'd' -> n * 86_400;
                case 'h' -> n * 3_600;
                case 'm' -> n * 60;
                case 's' -> n;
                default -> throw new IllegalArgumentException("a time offset ends in d, h, m or s: " + t);
            };
            return t.startsWith("-") ? now.minusSeconds(seconds) : now.plusSeconds(seconds);
        }
        return Instant.parse(t);
    }

    /** {@code 5m}, {@code 1h}, {@code 1d} in seconds. */
    public static long seconds(String every) {
        return time("+" + every, Instant.EPOCH).getEpochSecond();
    }
}
