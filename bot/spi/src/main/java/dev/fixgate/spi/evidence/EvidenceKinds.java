package dev.fixgate.spi.evidence;

import dev.fixgate.spi.finding.Cloud;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every evidence kind fixgate understands: the type its value must have, what it speaks to, the clouds that can
 * answer it, and what it means. Playbooks' {@code risk.evidence} rules name these kinds; the providers' collectors
 * answer them live ({@link EvidenceCollector#kinds()}); the evidence file carries them offline. A value of the
 * wrong type is reported and dropped, which leaves the evidence missing — never good news for the assessment.
 */
public final class EvidenceKinds {

    /** What a kind's value must be. */
    public enum ValueType {
        /** A whole number {@code >= 0} (Long). */
        COUNT,
        /** A number {@code >= 0} (Long or Double), e.g. a size in GB. */
        NUMBER,
        BOOLEAN,
        /** A non-empty string. */
        TEXT,
        /** An object of string values (tags). */
        OBJECT,
        /** A count, or the list of what is counted (Long or List). */
        COUNT_OR_LIST,
        /** One of {@link #ENVIRONMENTS}. */
        ENVIRONMENT,
        TEXT_LIST
    }

    /**
     * @param type     what the value must be
     * @param category what it tells the assessment
     * @param clouds   the clouds whose collectors answer it
     * @param meaning  one sentence, for docs and the permissions listing
     */
    public record Spec(String name, ValueType type, EvidenceKind category, Set<Cloud> clouds, String meaning) {
        public Spec {
            clouds = Set.copyOf(clouds);
        }
    }

    public static final String ENVIRONMENT = "environment";
    public static final String TAGS = "tags";
    public static final String OWNER = "owner";
    public static final String INCIDENT_ACTIVE = "incident.active";
    public static final String SG_ATTACHED_INTERFACES = "sg.attached_interfaces";
    public static final String DEPENDENTS = "dependents";
    public static final String LAST_ACTIVITY_DAYS = "last_activity_days";

    public static final List<String> ENVIRONMENTS = List.of("production", "staging", "development", "test");

    private static final Set<Cloud> ALL = EnumSet.of(Cloud.AWS, Cloud.AZURE, Cloud.GCP);
    private static final Set<Cloud> AWS = EnumSet.of(Cloud.AWS);
    private static final Set<Cloud> AZURE = EnumSet.of(Cloud.AZURE);
    private static final Set<Cloud> GCP = EnumSet.of(Cloud.GCP);

    private static final Map<String, Spec> KINDS = new LinkedHashMap<>();

    static {
        // Any cloud
        k(ENVIRONMENT, ValueType.ENVIRONMENT, EvidenceKind.ENVIRONMENT, ALL,
                "the environment the resource serves, from its tags/labels or its account, subscription or project");
        k(TAGS, ValueType.OBJECT, EvidenceKind.TAG, ALL, "the resource's tags or labels as the cloud reports them");
        k(OWNER, ValueType.TEXT, EvidenceKind.OWNER, ALL, "who owns the resource, from its tags or labels");
        k(INCIDENT_ACTIVE, ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, ALL,
                "whether an incident (an alarm firing on the resource, an open health event) is active now");
        k(LAST_ACTIVITY_DAYS, ValueType.COUNT, EvidenceKind.USAGE, ALL, "days since the resource was last used");
        k(DEPENDENTS, ValueType.TEXT_LIST, EvidenceKind.ATTACHMENT, ALL, "what depends on the resource");
        // AWS
        k("s3.object_count", ValueType.COUNT, EvidenceKind.USAGE, AWS, "objects in the bucket");
        k("s3.http_requests_90d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "requests to the bucket without TLS (aws:SecureTransport false) in 90 days");
        k("s3.https_requests_90d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS, "requests to the bucket over TLS in 90 days");
        k("s3.public_requests_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "anonymous requests to the bucket in 30 days");
        k("s3.public_buckets", ValueType.COUNT, EvidenceKind.CONFIGURATION, AWS, "buckets of the account that are public now");
        k("s3.requests_per_day", ValueType.COUNT, EvidenceKind.USAGE, AWS, "requests to the bucket per day (average)");
        k("s3.cross_account_readers_30d", ValueType.COUNT, EvidenceKind.USAGE, AWS,
                "principals of other accounts that read the bucket in 30 days");
        // the state a fix sets, read back after it is deployed (playbooks' verify rules)
        k("s3.secure_transport_enforced", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether the bucket policy denies every request that does not use TLS (aws:SecureTransport false)");
        k("s3.public_access_blocked", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether all four Block Public Access settings of the bucket are on");
        k("s3.versioning_enabled", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether the bucket's versioning status is Enabled (not Suspended, not never enabled)");
        k("ec2.imds_v1_calls_14d", ValueType.COUNT, EvidenceKind.USAGE, AWS,
                "instance metadata calls without a token (MetadataNoToken) in 14 days");
        k(SG_ATTACHED_INTERFACES, ValueType.COUNT_OR_LIST, EvidenceKind.ATTACHMENT, AWS,
                "network interfaces the security group is attached to");
        k("ec2.snapshot_encrypted", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS, "whether the live snapshot copy is encrypted");
        k("ec2.snapshot_source_exists", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether the snapshot's source snapshot or image still exists");
        k("ebs.volume_encrypted", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS, "whether the live volume is encrypted");
        k("ebs.cross_account_snapshot_shares", ValueType.COUNT, EvidenceKind.ATTACHMENT, AWS,
                "snapshots in the region shared with other accounts");
        k("vpc.flow_log_destination_exists", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether the flow log destination exists and accepts delivery");
        k("elb.https_listener_present", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether the load balancer has an HTTPS listener");
        k("elb.http_requests_90d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS, "requests to the HTTP listener in 90 days");
        k("elb.http_non_get_requests_90d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "non-GET requests over HTTP in 90 days");
        k("elb.access_log_bucket_writable", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether the access-log bucket exists in the region and lets Elastic Load Balancing write");
        k("ecr.tag_overwrites_30d", ValueType.COUNT, EvidenceKind.USAGE, AWS, "pushes that re-used an existing tag in 30 days");
        k("iam.console_users", ValueType.COUNT, EvidenceKind.USAGE, AWS, "IAM users with a console password");
        k("kms.key_policy_allows_cloudtrail", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether the key policy lets cloudtrail.amazonaws.com use the key");
        k("cloudtrail.log_readers_30d", ValueType.COUNT, EvidenceKind.USAGE, AWS, "principals that read the trail's logs in 30 days");
        k("cloudtrail.other_multi_region_trails", ValueType.COUNT, EvidenceKind.CONFIGURATION, AWS,
                "other multi-Region trails of the account");
        k("lambda.external_invocations_90d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "invocations from outside the account in 90 days");
        k("lambda.function_url_auth_none", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether the function has a function URL with authorization NONE");
        k("rds.backup_retention_days", ValueType.COUNT, EvidenceKind.CONFIGURATION, AWS, "the live backup retention in days");
        k("rds.public_connections_14d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "connections from outside the VPC in 14 days");
        k("rds.instance_exists", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS, "whether the DB instance exists");
        k("rds.cluster_exists", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS, "whether the DB cluster exists");
        k("logs.oldest_event_age_days", ValueType.COUNT, EvidenceKind.USAGE, AWS,
                "age in whole days, at now, of the oldest event the log group still stores (what a retention would delete)");
        k("dynamodb.cross_account_access", ValueType.BOOLEAN, EvidenceKind.ATTACHMENT, AWS,
                "whether the table's resource policy grants principals of other accounts access, now");
        k("eks.public_endpoint_requests_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "Kubernetes API requests to the cluster's public endpoint (source outside the VPC) in 30 days");
        k("guardduty.estimated_monthly_cost_usd", ValueType.NUMBER, EvidenceKind.USAGE, AWS,
                "GuardDuty's estimated cost for the account and region, in USD per month");
        k("kinesis.cross_account_consumers", ValueType.COUNT, EvidenceKind.ATTACHMENT, AWS,
                "principals of other accounts the stream (or its consumers) let read it, now");
        k("lambda.role_allows_xray_put", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AWS,
                "whether the function's execution role is allowed xray:PutTraceSegments and xray:PutTelemetryRecords, now");
        k("elb.invalid_header_requests_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "requests to the load balancer with a header whose name is not [-A-Za-z0-9]+ (what drop_invalid_header_fields drops) in 30 days");
        k("elb.legacy_tls_connections_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "requests (application) or TLS connections (network load balancer) over TLS 1.0 or 1.1 in 30 days");
        k("opensearch.http_requests_7d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "requests to the OpenSearch domain over plain HTTP in 7 days");
        k("redshift.cluster_size_tb", ValueType.NUMBER, EvidenceKind.USAGE, AWS,
                "the data the Redshift cluster stores now, in TB");
        k("redshift.connections_from_outside_vpc_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AWS,
                "connections to the Redshift cluster from outside its VPC in 30 days");
        k("sns.aws_service_publishers", ValueType.COUNT, EvidenceKind.ATTACHMENT, AWS,
                "AWS services (CloudWatch alarms, S3, EventBridge...) that publish to the topic, now");
        // Azure
        k("app.http_requests_7d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE, "plain-HTTP requests to the app in 7 days");
        k("nsg.internet_ssh_flows_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE,
                "SSH flows from internet addresses in 30 days (NSG flow logs)");
        k("nsg.internet_rdp_flows_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE,
                "RDP flows from internet addresses in 30 days (NSG flow logs)");
        k("sql.master_diagnostic_setting", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, AZURE,
                "whether the master database has a diagnostic setting");
        k("sql.legacy_tls_connections_7d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE, "logins over TLS 1.0/1.1 in 7 days");
        k("sql.database_size_gb", ValueType.NUMBER, EvidenceKind.USAGE, AZURE, "the database's used size in GB");
        k("storage.http_requests_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE, "plain-HTTP requests in 30 days");
        k("storage.legacy_tls_requests_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE, "requests over TLS 1.0/1.1 in 30 days");
        k("storage.public_containers", ValueType.COUNT, EvidenceKind.CONFIGURATION, AZURE, "containers with public access");
        k("storage.anonymous_requests_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE, "anonymous requests in 30 days");
        k("storage.requests_from_unlisted_networks_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE,
                "requests to the storage account from addresses or subnets its network rules do not list, in 30 days");
        k("keyvault.requests_from_unlisted_networks_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE,
                "requests to the key vault from addresses or subnets its network ACLs do not list, in 30 days");
        k("network.public_endpoint_connections_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE,
                "connections to the resource's public endpoint (not through a private endpoint) in 30 days");
        k("network.is_route_next_hop", ValueType.BOOLEAN, EvidenceKind.ATTACHMENT, AZURE,
                "whether a route of some route table sends traffic to one of the network interface's private IPs, now");
        k("policy.deny_assignments_for_aks", ValueType.COUNT, EvidenceKind.CONFIGURATION, AZURE,
                "Azure Policy assignments with effect Deny on the cluster's scope (cluster, group, subscription), now");
        k("defender.monthly_cost_estimate_usd", ValueType.NUMBER, EvidenceKind.USAGE, AZURE,
                "what the Defender for Cloud plan would cost for the subscription's resources, in USD per month");
        k("db.legacy_tls_connections_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE,
                "connections to the MySQL/PostgreSQL server over TLS 1.0 or 1.1 in 30 days");
        k("db.non_ssl_connections_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE,
                "connections to the MySQL/PostgreSQL server without SSL/TLS in 30 days");
        k("redis.non_ssl_connections_7d", ValueType.COUNT, EvidenceKind.TRAFFIC, AZURE,
                "connections to the cache's non-SSL port 6379 in 7 days");
        // GCP
        k("gcs.anonymous_requests_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, GCP,
                "unauthenticated requests to the bucket in 30 days");
        k("gcs.public_grants", ValueType.COUNT, EvidenceKind.CONFIGURATION, GCP,
                "grants to allUsers or allAuthenticatedUsers on the bucket");
        k("gcs.acl_grants", ValueType.COUNT, EvidenceKind.CONFIGURATION, GCP, "bucket and object ACL grants beyond project roles");
        k("firewall.internet_hits_30d", ValueType.COUNT, EvidenceKind.TRAFFIC, GCP,
                "connections from outside the IAP range in 30 days");
        k("gke.abac_only_authorizations_7d", ValueType.COUNT, EvidenceKind.USAGE, GCP,
                "requests allowed by ABAC and not by RBAC in 7 days");
        k("cloudsql.unencrypted_connections_7d", ValueType.COUNT, EvidenceKind.TRAFFIC, GCP, "unencrypted connections in 7 days");
        k("compute.serial_console_sessions_30d", ValueType.COUNT, EvidenceKind.USAGE, GCP, "serial console sessions in 30 days");
        k("compute.image_supports_shielded_vm", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, GCP,
                "whether the boot image supports Shielded VM");
        k("compute.unsigned_kernel_modules", ValueType.BOOLEAN, EvidenceKind.CONFIGURATION, GCP,
                "whether unsigned kernel modules are loaded (on the instance, or on a GKE cluster's nodes)");
        k("binauthz.project_policy_default_rule", ValueType.TEXT, EvidenceKind.CONFIGURATION, GCP,
                "the evaluation mode (ALWAYS_ALLOW, ALWAYS_DENY, REQUIRE_ATTESTATION) of the project's Binary"
                        + " Authorization rule for the cluster now: its cluster-specific rule, else the default rule");
        k("compute.project_ssh_keys_used_30d", ValueType.BOOLEAN, EvidenceKind.USAGE, GCP,
                "whether an SSH login to the instance authenticated with a project-wide metadata key in 30 days");
    }

    private static void k(String name, ValueType type, EvidenceKind category, Set<Cloud> clouds, String meaning) {
        KINDS.put(name, new Spec(name, type, category, clouds, meaning));
    }

    private EvidenceKinds() {
    }

    public static boolean known(String kind) {
        return KINDS.containsKey(kind);
    }

    public static Optional<Spec> spec(String kind) {
        return Optional.ofNullable(KINDS.get(kind));
    }

    public static Optional<ValueType> type(String kind) {
        return spec(kind).map(Spec::type);
    }

    /** What the kind speaks to; {@link EvidenceKind#CONFIGURATION} for a kind nobody registered. */
    public static EvidenceKind category(String kind) {
        Spec s = KINDS.get(kind);
        return s == null ? EvidenceKind.CONFIGURATION : s.category();
    }

    /** Sorted names, for messages. */
    public static List<String> names() {
        return KINDS.keySet().stream().sorted().toList();
    }

    public static List<Spec> all() {
        return List.copyOf(KINDS.values());
    }

    /** Why {@code value} is not a valid value of {@code kind}, or empty when it is (or the kind is not registered). */
    public static Optional<String> problem(String kind, Object value) {
        Spec spec = KINDS.get(kind);
        if (spec == null) {
            return Optional.empty();
        }
        boolean ok = switch (spec.type()) {
            case COUNT -> value instanceof Long l && l >= 0;
            case NUMBER -> value instanceof Long l && l >= 0 || value instanceof Double d && d >= 0 && !d.isInfinite();
            case BOOLEAN -> value instanceof Boolean;
            case TEXT -> value instanceof String s && !s.isBlank();
            case OBJECT -> value instanceof Map<?, ?> m && m.values().stream().allMatch(v -> v instanceof String);
            case COUNT_OR_LIST -> value instanceof Long l && l >= 0 || value instanceof List<?>;
            case ENVIRONMENT -> value instanceof String s && ENVIRONMENTS.contains(s);
            case TEXT_LIST -> value instanceof List<?> l && l.stream().allMatch(v -> v instanceof String);
        };
        if (ok) {
            return Optional.empty();
        }
        return Optional.of(switch (spec.type()) {
            case COUNT -> "expected a whole number >= 0";
            case NUMBER -> "expected a number >= 0";
            case BOOLEAN -> "expected true or false";
            case TEXT -> "expected a non-empty string";
            case OBJECT -> "expected an object of string values";
            case COUNT_OR_LIST -> "expected a whole number >= 0 or a list of interfaces";
            case ENVIRONMENT -> "expected one of " + String.join(", ", ENVIRONMENTS);
            case TEXT_LIST -> "expected a list of strings";
        });
    }
}
