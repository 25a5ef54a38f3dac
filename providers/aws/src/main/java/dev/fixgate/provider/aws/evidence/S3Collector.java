package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetBucketPolicyStatusResponse;
import software.amazon.awssdk.services.s3.model.GetPublicAccessBlockResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 configuration and contents: how many objects a bucket holds, how many buckets of the account are public now.
 *
 * <p>{@code s3.object_count}: {@code ListObjectsV2} with {@code MaxKeys=1} answers "empty" exactly and cheaply. A
 * bucket that is not empty is counted by the daily {@code AWS/S3 NumberOfObjects} storage metric (the last value in
 * three days), and when S3 has not published one yet, by listing it, page by page, up to {@code s3.max_list_pages}
 * pages of 1,000 (default 100); past that it is unavailable rather than a guess.
 *
 * <p>{@code s3.public_buckets}: every bucket of the account ({@code ListBuckets}, paged), public when its policy
 * status says so ({@code GetBucketPolicyStatus}) and its Block Public Access does not restrict it, or when its ACL
 * grants {@code AllUsers}/{@code AuthenticatedUsers} and Block Public Access does not ignore public ACLs. The
 * account-level Block Public Access (S3 Control) is not read: a bucket it would block still counts, which can only
 * make the answer more cautious.
 */
final class S3Collector extends AwsCollector {

    static final String OBJECT_COUNT = "s3.object_count";
    static final String PUBLIC_BUCKETS = "s3.public_buckets";

    S3Collector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.s3";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(OBJECT_COUNT, PUBLIC_BUCKETS);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.S3_BUCKET, AwsTarget.Type.ACCOUNT);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("s3:ListBucket", "HeadBucket", "find the bucket's region"),
                read("s3:ListBucket", "ListObjectsV2", "whether the bucket is empty; count its objects when no metric says"),
                read("cloudwatch:GetMetricData", "GetMetricData", "the bucket's NumberOfObjects storage metric"),
                read("s3:ListAllMyBuckets", "ListBuckets", "the account's buckets"),
                read("s3:GetBucketPolicyStatus", "GetBucketPolicyStatus", "whether a bucket's policy makes it public"),
                read("s3:GetBucketAcl", "GetBucketAcl", "whether a bucket's ACL grants everyone"),
                read("s3:GetBucketPublicAccessBlock", "GetPublicAccessBlock", "whether Block Public Access overrides that"));
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        return switch (kind) {
            case OBJECT_COUNT -> objectCount(ctx);
            case PUBLIC_BUCKETS -> publicBuckets(ctx);
            default -> throw new Unavailable("not answered by " + id(), "");
        };
    }

    /** The bucket's home region: the finding's, else {@code HeadBucket}'s answer (200 or the 301 redirect). */
    static String bucketRegion(Ctx ctx, String bucket) {
        if (ctx.target.type() == AwsTarget.Type.S3_BUCKET && !ctx.request.resource().region().isEmpty()) {
            return ctx.request.resource().region();
        }
        S3Client s3 = ctx.clients().s3(ctx.account(), ctx.region());
        try {
            var head = ctx.call("s3:ListBucket", () -> s3.headBucket(b -> b.bucket(bucket)
                    .overrideConfiguration(ctx.budget::apply)));
            return head.bucketRegion() == null ? ctx.region() : head.bucketRegion();
        } catch (S3Exception e) {
            Optional<String> redirect = e.awsErrorDetails() == null ? Optional.empty()
                    : e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
            if (redirect.isPresent()) {
                return redirect.get();
            }
            if (e.statusCode() == 404) {
                throw new Unavailable("the bucket " + bucket + " does not exist", "s3:ListBucket");
            }
            throw e;
        }
    }

    private Observed objectCount(Ctx ctx) {
        if (ctx.target.type() != AwsTarget.Type.S3_BUCKET) {
            throw new Unavailable("not a bucket", "");
        }
        String bucket = ctx.target.id();
        String region = bucketRegion(ctx, bucket);
        S3Client s3 = clients.s3(ctx.account(), region);
        ListObjectsV2Response first = ctx.call("s3:ListBucket", () -> s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1)
                .overrideConfiguration(ctx.budget::apply)));
        if (first.keyCount() != null && first.keyCount() == 0 && !Boolean.TRUE.equals(first.isTruncated())) {
            return ctx.value(OBJECT_COUNT, 0L, "s3:ListBucket");
        }
        Optional<Long> metric = numberOfObjects(ctx, bucket, region);
        if (metric.isPresent()) {
            return ctx.value(OBJECT_COUNT, metric.get(), "cloudwatch:GetMetricData");
        }
        long maxPages = clients.option("s3.max_list_pages", 100);
        long count = 0;
        String token = null;
        for (int page = 0; page < maxPages; page++) {
            String t = token;
            ListObjectsV2Response r = ctx.call("s3:ListBucket", () -> s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1000)
                    .continuationToken(t).overrideConfiguration(ctx.budget::apply)));
            count += r.keyCount() == null ? r.contents().size() : r.keyCount();
            if (!Boolean.TRUE.equals(r.isTruncated())) {
                return ctx.value(OBJECT_COUNT, count, "s3:ListBucket");
            }
            token = r.nextContinuationToken();
        }
        throw new Unavailable("more than " + count + " objects and no NumberOfObjects metric in 3 days", "s3:ListBucket");
    }

    private Optional<Long> numberOfObjects(Ctx ctx, String bucket, String region) {
        Instant end = ctx.now();
        Instant start = end.minus(Duration.ofDays(3));
        var cw = clients.cloudWatch(ctx.account(), region);
        GetMetricDataResponse r = ctx.call("cloudwatch:GetMetricData", () -> cw.getMetricData(b -> b
                .startTime(start).endTime(end)
                .metricDataQueries(q -> q.id("objects").metricStat(ms -> ms.period(86_400).stat("Average")
                        .metric(m -> m.namespace("AWS/S3").metricName("NumberOfObjects").dimensions(
                                d -> d.name("BucketName").value(bucket), d -> d.name("StorageType").value("AllStorageTypes")))))
                .overrideConfiguration(ctx.budget::apply)));
        for (MetricDataResult res : r.metricDataResults()) {
            if (!res.values().isEmpty()) {
                return Optional.of(Math.round(res.values().get(0)));
            }
        }
        return Optional.empty();
    }

    private Observed publicBuckets(Ctx ctx) {
        S3Client s3 = clients.s3(ctx.account(), ctx.region());
        long count = 0;
        String token = null;
        do {
            String t = token;
            var page = ctx.call("s3:ListAllMyBuckets", () -> s3.listBuckets(b -> b.maxBuckets(1000).continuationToken(t)
                    .overrideConfiguration(ctx.budget::apply)));
            for (Bucket bucket : page.buckets()) {
                if (isPublic(ctx, bucket)) {
                    count++;
                }
            }
            token = page.continuationToken();
        } while (token != null && !token.isEmpty());
        return ctx.value(PUBLIC_BUCKETS, count,
                "s3:ListAllMyBuckets, s3:GetBucketPolicyStatus, s3:GetBucketAcl, s3:GetBucketPublicAccessBlock");
    }

    private boolean isPublic(Ctx ctx, Bucket bucket) {
        String name = bucket.name();
        String region = bucket.bucketRegion() == null || bucket.bucketRegion().isEmpty() ? ctx.region() : bucket.bucketRegion();
        S3Client s3 = clients.s3(ctx.account(), region);
        Optional<GetPublicAccessBlockResponse> bpa = ctx.optional("s3:GetBucketPublicAccessBlock",
                () -> s3.getPublicAccessBlock(b -> b.bucket(name).overrideConfiguration(ctx.budget::apply)),
                "NoSuchPublicAccessBlockConfiguration");
        boolean restrict = bpa.map(r -> Boolean.TRUE.equals(r.publicAccessBlockConfiguration().restrictPublicBuckets()))
                .orElse(false);
        boolean ignoreAcls = bpa.map(r -> Boolean.TRUE.equals(r.publicAccessBlockConfiguration().ignorePublicAcls()))
                .orElse(false);
        if (!restrict) {
            Optional<GetBucketPolicyStatusResponse> status = ctx.optional("s3:GetBucketPolicyStatus",
                    () -> s3.getBucketPolicyStatus(b -> b.bucket(name).overrideConfiguration(ctx.budget::apply)),
                    "NoSuchBucketPolicy");
            if (status.map(s -> Boolean.TRUE.equals(s.policyStatus().isPublic())).orElse(false)) {
                return true;
            }
        }
        if (!ignoreAcls) {
            GetBucketAclResponse acl = ctx.call("s3:GetBucketAcl",
                    () -> s3.getBucketAcl(b -> b.bucket(name).overrideConfiguration(ctx.budget::apply)));
            for (Grant g : acl.grants()) {
                String uri = g.grantee() == null || g.grantee().uri() == null ? "" : g.grantee().uri();
                if (uri.endsWith("/global/AllUsers") || uri.endsWith("/global/AuthenticatedUsers")) {
                    return true;
                }
            }
        }
        return false;
    }
}
