package dev.fixgate.provider.aws.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.provider.common.resource.Arn;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Whether the place a fix would send logs to is ready for them.
 *
 * <ul>
 *   <li>{@code vpc.flow_log_destination_exists}: the fix's destination, the hint {@code log_destination} (an S3
 *       bucket ARN, optionally with a prefix, or a CloudWatch Logs group ARN or name). A bucket must exist
 *       ({@code HeadBucket}) and, when it has a policy, the policy must let {@code delivery.logs.amazonaws.com} put
 *       objects (without one, creating the flow log attaches it); a log group must exist ({@code DescribeLogGroups}).</li>
 *   <li>{@code elb.access_log_bucket_writable}: the bucket of the hint {@code access_logs_bucket}, else the one the
 *       load balancer names now; it must exist, be in the load balancer's region, and its policy must let Elastic Load
 *       Balancing write: the service principal {@code logdelivery.elasticloadbalancing.amazonaws.com} or the region's
 *       Elastic Load Balancing account.</li>
 * </ul>
 */
final class DestinationCollector extends AwsCollector {

    static final String FLOW = "vpc.flow_log_destination_exists";
    static final String ELB = "elb.access_log_bucket_writable";

    /** The Elastic Load Balancing account of each region that predates the service principal (AWS documentation). */
    static final Map<String, String> ELB_ACCOUNTS = Map.ofEntries(
            Map.entry("us-east-1", "127311923021"), Map.entry("us-east-2", "033677994240"),
            Map.entry("us-west-1", "027434742980"), Map.entry("us-west-2", "797873946194"),
            Map.entry("ca-central-1", "985666609251"), Map.entry("eu-west-1", "156460612806"),
            Map.entry("eu-west-2", "652711504416"), Map.entry("eu-west-3", "009996457667"),
            Map.entry("eu-central-1", "054676820928"), Map.entry("eu-north-1", "897822967062"),
            Map.entry("ap-northeast-1", "582318560864"), Map.entry("ap-northeast-2", "600734575887"),
            Map.entry("ap-southeast-1", "114774131450"), Map.entry("ap-southeast-2", "783225319266"),
            Map.entry("ap-south-1", "718504428378"), Map.entry("sa-east-1", "507241528517"));

    DestinationCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.log-destinations";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(FLOW, ELB);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.VPC, AwsTarget.Type.LOAD_BALANCER);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("s3:ListBucket", "HeadBucket", "whether the destination bucket exists, and its region"),
                read("s3:GetBucketPolicy", "GetBucketPolicy", "whether the bucket policy lets the log delivery service write"),
                read("logs:DescribeLogGroups", "DescribeLogGroups", "whether the destination log group exists"),
                read("elasticloadbalancing:DescribeLoadBalancerAttributes", "DescribeLoadBalancerAttributes",
                        "the access-log bucket the load balancer names"));
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        if (kind.equals(FLOW)) {
            String dest = ctx.hint("log_destination");
            if (dest.isEmpty()) {
                throw new Unavailable("the fix's log destination is not known: give it as the hint log_destination", "");
            }
            Optional<Arn> arn = Arn.parse(dest);
            if (arn.isPresent() && arn.get().service().equals("s3")) {
                String bucket = arn.get().resource().split("/")[0];
                return ctx.value(kind, bucketAccepts(ctx, bucket, "", "delivery.logs.amazonaws.com", ""),
                        "s3:ListBucket, s3:GetBucketPolicy");
            }
            String group = arn.map(a -> a.resource().replaceFirst("^log-group:", "").replaceFirst(":\\*$", "")).orElse(dest);
            String region = arn.map(Arn::region).filter(r -> !r.isEmpty()).orElse(ctx.region());
            var logs = clients.logs(ctx.account(), region);
            boolean exists = ctx.call("logs:DescribeLogGroups", () -> logs.describeLogGroups(b -> b.logGroupNamePrefix(group)
                    .overrideConfiguration(ctx.budget::apply))).logGroups().stream().anyMatch(g -> g.logGroupName().equals(group));
            return ctx.value(kind, exists, "logs:DescribeLogGroups");
        }
        String bucket = ctx.hint("access_logs_bucket");
        String api = "s3:ListBucket, s3:GetBucketPolicy";
        if (bucket.isEmpty()) {
            bucket = ElbCollector.attributes(ctx).getOrDefault("access_logs.s3.bucket", "");
            api = "elasticloadbalancing:DescribeLoadBalancerAttributes, " + api;
        }
        if (bucket.isEmpty()) {
            throw new Unavailable("no access-log bucket is named: give the fix's bucket as the hint access_logs_bucket",
                    "elasticloadbalancing:DescribeLoadBalancerAttributes");
        }
        return ctx.value(kind, bucketAccepts(ctx, bucket, ctx.region(), "logdelivery.elasticloadbalancing.amazonaws.com",
                ELB_ACCOUNTS.getOrDefault(ctx.region(), "")), api);
    }

    /**
     * Whether {@code bucket} exists (in {@code region} when given) and its policy lets {@code service} (or
     * {@code account}) put objects; a bucket without a policy accepts only when {@code region} is empty (flow logs).
     */
    private boolean bucketAccepts(Ctx ctx, String bucket, String region, String service, String account) {
        String home;
        try {
            home = S3Collector.bucketRegion(ctx, bucket);
        } catch (Unavailable u) {
            if (u.getMessage().contains("does not exist")) {
                return false;
            }
            throw u;
        }
        if (!region.isEmpty() && !home.equals(region)) {
            return false;
        }
        S3Client s3 = clients.s3(ctx.account(), home);
        Optional<String> policy = ctx.optional("s3:GetBucketPolicy", () -> s3.getBucketPolicy(b -> b.bucket(bucket)
                .overrideConfiguration(ctx.budget::apply)).policy(), "NoSuchBucketPolicy");
        if (policy.isEmpty()) {
            return region.isEmpty();
        }
        return Policies.allows(policy.get(), "s3:PutObject", service, account);
    }
}
