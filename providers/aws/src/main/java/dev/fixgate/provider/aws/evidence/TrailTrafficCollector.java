package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.DataResource;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * Who calls a bucket or a function, and how: from CloudTrail data events, the only record AWS keeps of each S3 object
 * request (with {@code tlsDetails} when it came over TLS — a request without it came over plain HTTP, i.e.
 * {@code aws:SecureTransport = false}) and each Lambda Invoke. {@code cloudtrail:LookupEvents} does not return data
 * events, so the events are read where a trail delivers them: its CloudWatch Logs log group, queried with Logs
 * Insights ({@code logs:StartQuery}/{@code logs:GetQueryResults}). CloudTrail Lake would answer the same questions in
 * SQL, but it is closed to new customers from 31 May 2026; a trail with a CloudWatch Logs group is what any account can
 * have.
 *
 * <p>The trail is {@code cloudtrail.log_group} (option, a log group name, in {@code cloudtrail.log_group_region} or
 * the resource's region) or found: {@code DescribeTrails} in the resource's region (including multi-Region trails
 * homed elsewhere), the first trail with a CloudWatch Logs group whose event selectors
 * ({@code GetEventSelectors}) log the data events in question for this resource. No such trail — or a log group
 * younger or shorter-lived than the window — makes the evidence unavailable, never 0.
 */
final class TrailTrafficCollector extends AwsCollector {

    static final String HTTP = "s3.http_requests_90d";
    static final String HTTPS = "s3.https_requests_90d";
    static final String PUBLIC = "s3.public_requests_30d";
    static final String PER_DAY = "s3.requests_per_day";
    static final String CROSS_ACCOUNT = "s3.cross_account_readers_30d";
    static final String LAMBDA_EXTERNAL = "lambda.external_invocations_90d";
    static final String LOG_READERS = "cloudtrail.log_readers_30d";

    private static final String API = "logs:StartQuery, logs:GetQueryResults";

    TrailTrafficCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.cloudtrail-data-events";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(HTTP, HTTPS, PUBLIC, PER_DAY, CROSS_ACCOUNT, LAMBDA_EXTERNAL, LOG_READERS,
                EvidenceKinds.LAST_ACTIVITY_DAYS);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.S3_BUCKET, AwsTarget.Type.LAMBDA_FUNCTION, AwsTarget.Type.TRAIL);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("cloudtrail:DescribeTrails", "DescribeTrails", "the trails that deliver events to CloudWatch Logs"),
                read("cloudtrail:GetEventSelectors", "GetEventSelectors", "whether a trail logs the resource's data events"),
                read("logs:DescribeLogGroups", "DescribeLogGroups", "whether the trail's log group covers the window"),
                read("logs:StartQuery", "StartQuery", "count the data events (Logs Insights; IAM access level Read)"),
                read("logs:GetQueryResults", "GetQueryResults", "the query's counts"),
                read("s3:ListBucket", "HeadBucket", "find the bucket's region"));
    }

    /** Which data events a trail must log. */
    private enum Events { S3, LAMBDA }

    private record Source(String logGroup, String region) {
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        AwsTarget t = ctx.target;
        return switch (kind) {
            case HTTP, HTTPS -> {
                requireType(t, AwsTarget.Type.S3_BUCKET);
                Map<String, String> row = query(ctx, Events.S3, t.id(), Duration.ofDays(90),
                        "filter eventSource = \"s3.amazonaws.com\" and requestParameters.bucketName = " + LogsInsights.quote(t.id())
                                + " | stats count(*) as requests, count(tlsDetails.tlsVersion) as tls");
                long all = LogsInsights.count(row, "requests");
                long tls = LogsInsights.count(row, "tls");
                yield ctx.value(kind, kind.equals(HTTP) ? all - tls : tls, API);
            }
            case PUBLIC -> {
                requireType(t, AwsTarget.Type.S3_BUCKET);
                Map<String, String> row = query(ctx, Events.S3, t.id(), Duration.ofDays(30),
                        "filter eventSource = \"s3.amazonaws.com\" and requestParameters.bucketName = " + LogsInsights.quote(t.id())
                                + " and userIdentity.type = \"AnonymousPrincipal\" | stats count(*) as requests");
                yield ctx.value(kind, LogsInsights.count(row, "requests"), API);
            }
            case PER_DAY -> {
                requireType(t, AwsTarget.Type.S3_BUCKET);
                Map<String, String> row = query(ctx, Events.S3, t.id(), Duration.ofDays(30),
                        "filter eventSource = \"s3.amazonaws.com\" and requestParameters.bucketName = " + LogsInsights.quote(t.id())
                                + " | stats count(*) as requests");
                yield ctx.value(kind, LogsInsights.count(row, "requests") / 30, API);
            }
            case CROSS_ACCOUNT -> {
                requireType(t, AwsTarget.Type.S3_BUCKET);
                Map<String, String> row = query(ctx, Events.S3, t.id(), Duration.ofDays(30),
                        "filter eventSource = \"s3.amazonaws.com\" and requestParameters.bucketName = " + LogsInsights.quote(t.id())
                                + " and eventName in [\"GetObject\", \"HeadObject\", \"SelectObjectContent\", \"GetObjectAttributes\"]"
                                + " and userIdentity.accountId != " + LogsInsights.quote(ctx.account())
                                + " | stats count_distinct(userIdentity.arn) as readers");
                yield ctx.value(kind, LogsInsights.count(row, "readers"), API);
            }
            case LAMBDA_EXTERNAL -> {
                requireType(t, AwsTarget.Type.LAMBDA_FUNCTION);
                String arn = "arn:" + t.partition() + ":lambda:" + ctx.region() + ":" + ctx.account() + ":function:" + t.id();
                Map<String, String> row = query(ctx, Events.LAMBDA, arn, Duration.ofDays(90),
                        "filter eventSource = \"lambda.amazonaws.com\" and eventName = \"Invoke\" and requestParameters.functionName in "
                                + LogsInsights.list(List.of(arn, t.id())) + " and userIdentity.accountId != "
                                + LogsInsights.quote(ctx.account()) + " | stats count(*) as invocations");
                yield ctx.value(kind, LogsInsights.count(row, "invocations"), API);
            }
            case LOG_READERS -> {
                requireType(t, AwsTarget.Type.TRAIL);
                Trail trail = CloudTrailCollector.describe(ctx, t.id());
                String bucket = trail.s3BucketName();
                Map<String, String> row = query(ctx, Events.S3, bucket, Duration.ofDays(30),
                        "filter eventSource = \"s3.amazonaws.com\" and requestParameters.bucketName = " + LogsInsights.quote(bucket)
                                + " and eventName = \"GetObject\" and userIdentity.type != \"AWSService\""
                                + " | stats count_distinct(userIdentity.arn) as readers");
                yield ctx.value(kind, LogsInsights.count(row, "readers"), "cloudtrail:DescribeTrails, " + API);
            }
            case EvidenceKinds.LAST_ACTIVITY_DAYS -> {
                requireType(t, AwsTarget.Type.S3_BUCKET);
                Map<String, String> row = query(ctx, Events.S3, t.id(), Duration.ofDays(90),
                        "filter eventSource = \"s3.amazonaws.com\" and requestParameters.bucketName = " + LogsInsights.quote(t.id())
                                + " | stats max(@timestamp) as last");
                String last = row.getOrDefault("last", "");
                if (last.isEmpty()) {
                    throw new Unavailable("no data event for the bucket in the 90 days the trail's log group was queried", API);
                }
                LocalDateTime when = LocalDateTime.parse(last, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
                yield ctx.value(kind, Duration.between(when.toInstant(ZoneOffset.UTC), ctx.now()).toDays(), API);
            }
            default -> throw new Unavailable("not answered by " + id(), "");
        };
    }

    private static void requireType(AwsTarget t, AwsTarget.Type type) {
        if (t.type() != type) {
            throw new Unavailable("only for a " + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), "");
        }
    }

    private Map<String, String> query(Ctx ctx, Events events, String resource, Duration window, String query) {
        String region = ctx.region();
        if (events == Events.S3) {
            region = ctx.memo("bucketRegion|" + resource, () -> S3Collector.bucketRegion(ctx, resource));
        }
        String r = region;
        Source source = ctx.memo("source|" + events + "|" + resource, () -> source(ctx, r, events, resource));
        LogGroup group = ctx.memo("group|" + source, () -> LogsInsights.group(ctx, source.region, source.logGroup));
        return ctx.memo("query|" + window + "|" + query, () -> LogsInsights.first(ctx, source.region, group, window, query));
    }

    private Source source(Ctx ctx, String region, Events events, String resource) {
        String configured = clients.option("cloudtrail.log_group", "");
        if (!configured.isEmpty()) {
            return new Source(configured, clients.option("cloudtrail.log_group_region", region));
        }
        CloudTrailClient ct = clients.cloudTrail(ctx.account(), region);
        List<Trail> trails = ctx.call("cloudtrail:DescribeTrails", () -> ct.describeTrails(b -> b.includeShadowTrails(true)
                .overrideConfiguration(ctx.budget::apply))).trailList();
        List<String> without = new ArrayList<>();
        for (Trail trail : trails) {
            if (trail.cloudWatchLogsLogGroupArn() == null || trail.cloudWatchLogsLogGroupArn().isEmpty()) {
                continue;
            }
            String home = trail.homeRegion() == null ? region : trail.homeRegion();
            CloudTrailClient homeCt = clients.cloudTrail(ctx.account(), home);
            GetEventSelectorsResponse sel = ctx.call("cloudtrail:GetEventSelectors", () -> homeCt.getEventSelectors(b -> b
                    .trailName(trail.trailARN()).overrideConfiguration(ctx.budget::apply)));
            if (logs(sel, events, resource)) {
                String[] arn = trail.cloudWatchLogsLogGroupArn().split(":");
                // arn:aws:logs:<region>:<account>:log-group:<name>:*
                return new Source(arn[6], arn[3]);
            }
            without.add(trail.name());
        }
        throw new Unavailable("no trail delivers " + (events == Events.S3 ? "S3 data events of " : "Lambda data events of ")
                + resource + " to CloudWatch Logs" + (without.isEmpty() ? "" : " (trails with a log group but not those"
                + " events: " + String.join(", ", without) + ")"), "cloudtrail:GetEventSelectors");
    }

    /** Whether the selectors log the read data events of {@code resource} (S3: a bucket name; Lambda: a function ARN). */
    static boolean logs(GetEventSelectorsResponse sel, Events events, String resource) {
        String type = events == Events.S3 ? "AWS::S3::Object" : "AWS::Lambda::Function";
        String arn = events == Events.S3 ? "arn:aws:s3:::" + resource + "/" : resource;
        for (AdvancedEventSelector s : sel.advancedEventSelectors()) {
            boolean data = false;
            boolean typed = false;
            boolean arnOk = true;
            boolean reads = true;
            for (AdvancedFieldSelector f : s.fieldSelectors()) {
                switch (f.field()) {
                    case "eventCategory" -> data = f.equalsValue().contains("Data");
                    case "resources.type" -> typed = f.equalsValue().contains(type);
                    case "resources.ARN" -> arnOk = f.equalsValue().stream().anyMatch(arn::startsWith)
                            || f.startsWith().stream().anyMatch(arn::startsWith)
                            || (f.equalsValue().isEmpty() && f.startsWith().isEmpty()
                            && f.notEquals().stream().noneMatch(arn::startsWith)
                            && f.notStartsWith().stream().noneMatch(arn::startsWith));
                    case "readOnly" -> reads = !f.equalsValue().contains("false");
                    default -> {
                    }
                }
            }
            if (data && typed && arnOk && reads) {
                return true;
            }
        }
        for (EventSelector s : sel.eventSelectors()) {
            if ("WriteOnly".equals(s.readWriteTypeAsString())) {
                continue;
            }
            for (DataResource d : s.dataResources()) {
                if (type.equals(d.type()) && d.values().stream().anyMatch(v -> v.equals("arn:aws:s3") || v.equals("arn:aws:lambda")
                        || arn.startsWith(v))) {
                    return true;
                }
            }
        }
        return false;
    }
}
