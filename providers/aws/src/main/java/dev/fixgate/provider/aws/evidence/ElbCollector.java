package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Load balancers: whether one has an HTTPS listener ({@code DescribeListeners}, every page), how many requests came
 * in over plain HTTP in 90 days, and how many over TLS 1.0/1.1 in 30 days. No metric counts requests per listener or
 * per TLS version, so they are counted where the load balancer writes them: its access logs in S3 (the
 * {@code access_logs.s3.*} attributes), one gzipped file per node and five minutes under {@code <prefix>/AWSLogs/
 * <account>/elasticloadbalancing/<region>/yyyy/MM/dd/}. An application load balancer's line starts with the request
 * type ({@code http}, {@code https}, {@code h2}…), its request field names the method and its 16th field is
 * {@code ssl_protocol} ({@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2}…); a network load balancer logs its TLS
 * listeners' connections ({@code tls 2.0 …}) with {@code tls_protocol_version} ({@code tlsv1}, {@code tlsv11}…) in the
 * 16th field too. Access logs off, or more than {@code elb.max_log_objects} files (default 5,000) to read within the
 * budget, make the counts unavailable. Only the days a requested kind needs are read (30 or 90).
 */
final class ElbCollector extends AwsCollector {

    static final String HTTPS_LISTENER = "elb.https_listener_present";
    static final String HTTP = "elb.http_requests_90d";
    static final String HTTP_NON_GET = "elb.http_non_get_requests_90d";
    static final String LEGACY_TLS = "elb.legacy_tls_connections_30d";
    static final Set<String> LEGACY_VERSIONS = Set.of("tlsv1", "tlsv10", "tlsv11", "sslv3");

    ElbCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.elbv2";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(HTTPS_LISTENER, HTTP, HTTP_NON_GET, LEGACY_TLS);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.LOAD_BALANCER);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("elasticloadbalancing:DescribeLoadBalancers", "DescribeLoadBalancers", "find the load balancer by name"),
                read("elasticloadbalancing:DescribeListeners", "DescribeListeners", "its listeners and their protocols"),
                read("elasticloadbalancing:DescribeLoadBalancerAttributes", "DescribeLoadBalancerAttributes",
                        "where its access logs go"),
                read("s3:ListBucket", "ListObjectsV2", "the access-log files of each day"),
                read("s3:GetObject", "GetObject", "read the access-log files"));
    }

    /** The load balancer's ARN: the id when it is one, else looked up by name. */
    static String arn(Ctx ctx) {
        String id = ctx.target.id();
        if (id.startsWith("arn:")) {
            return id;
        }
        ElasticLoadBalancingV2Client elb = ctx.clients().elb(ctx.account(), ctx.region());
        return ctx.memo("lbArn", () -> ctx.optional("elasticloadbalancing:DescribeLoadBalancers", () -> elb.describeLoadBalancers(b -> b
                        .names(id).overrideConfiguration(ctx.budget::apply)), "LoadBalancerNotFound")
                .flatMap(r -> r.loadBalancers().stream().findFirst()).map(lb -> lb.loadBalancerArn())
                .orElseThrow(() -> new Unavailable("the load balancer " + id + " does not exist in " + ctx.region(),
                        "elasticloadbalancing:DescribeLoadBalancers")));
    }

    static Map<String, String> attributes(Ctx ctx) {
        String arn = arn(ctx);
        ElasticLoadBalancingV2Client elb = ctx.clients().elb(ctx.account(), ctx.region());
        return ctx.memo("lbAttributes", () -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (LoadBalancerAttribute a : ctx.call("elasticloadbalancing:DescribeLoadBalancerAttributes",
                    () -> elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(arn)
                            .overrideConfiguration(ctx.budget::apply))).attributes()) {
                out.put(a.key(), a.value());
            }
            return out;
        });
    }

    @Override
    boolean presentIn(Ctx ctx) {
        try {
            arn(ctx);
            return true;
        } catch (Unavailable u) {
            if (u.getMessage().contains("does not exist")) {
                return false;
            }
            throw u;
        }
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        if (kind.equals(HTTPS_LISTENER)) {
            String arn = arn(ctx);
            ElasticLoadBalancingV2Client elb = clients.elb(ctx.account(), ctx.region());
            String marker = null;
            boolean https = false;
            do {
                String m = marker;
                DescribeListenersResponse r = ctx.call("elasticloadbalancing:DescribeListeners", () -> elb.describeListeners(b -> b
                        .loadBalancerArn(arn).marker(m).overrideConfiguration(ctx.budget::apply)));
                for (Listener l : r.listeners()) {
                    https |= "HTTPS".equals(l.protocolAsString()) || "TLS".equals(l.protocolAsString());
                }
                marker = r.nextMarker();
            } while (marker != null && !marker.isEmpty());
            return ctx.value(kind, https, "elasticloadbalancing:DescribeListeners");
        }
        long[] counts = ctx.memo("accessLogCounts", () -> scan(ctx));
        return ctx.value(kind, kind.equals(HTTP) ? counts[0] : kind.equals(HTTP_NON_GET) ? counts[1] : counts[2],
                "elasticloadbalancing:DescribeLoadBalancerAttributes, s3:ListBucket, s3:GetObject");
    }

    private long[] scan(Ctx ctx) {
        Map<String, String> attrs = attributes(ctx);
        if (!"true".equals(attrs.get("access_logs.s3.enabled"))) {
            throw new Unavailable("access logs are off: no record of requests per listener",
                    "elasticloadbalancing:DescribeLoadBalancerAttributes");
        }
        String bucket = attrs.getOrDefault("access_logs.s3.bucket", "");
        String prefix = attrs.getOrDefault("access_logs.s3.prefix", "");
        String region = S3Collector.bucketRegion(ctx, bucket);
        S3Client s3 = clients.s3(ctx.account(), region);
        long max = clients.option("elb.max_log_objects", 5_000);
        long files = 0;
        long http = 0;
        long nonGet = 0;
        long legacy = 0;
        int days = ctx.request.kinds().contains(HTTP) || ctx.request.kinds().contains(HTTP_NON_GET) ? 90 : 30;
        LocalDate today = LocalDate.ofInstant(ctx.now(), ZoneOffset.UTC);
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy/MM/dd");
        for (int d = 0; d < days; d++) {
            boolean inTlsWindow = d < 30;
            String dayPrefix = (prefix.isEmpty() ? "" : prefix + "/") + "AWSLogs/" + ctx.account() + "/elasticloadbalancing/"
                    + ctx.region() + "/" + today.minusDays(d).format(day) + "/";
            String token = null;
            do {
                String t = token;
                ListObjectsV2Response page = ctx.call("s3:ListBucket", () -> s3.listObjectsV2(b -> b.bucket(bucket)
                        .prefix(dayPrefix).continuationToken(t).overrideConfiguration(ctx.budget::apply)));
                for (S3Object o : page.contents()) {
                    if (++files > max) {
                        throw new Unavailable("more than " + max + " access-log files in " + days + " days (elb.max_log_objects);"
                                + " count them with Athena instead", "s3:GetObject");
                    }
                    long[] c = count(ctx, s3, bucket, o.key());
                    http += c[0];
                    nonGet += c[1];
                    legacy += inTlsWindow ? c[2] : 0;
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        }
        return new long[] {http, nonGet, legacy};
    }

    private static long[] count(Ctx ctx, S3Client s3, String bucket, String key) {
        long http = 0;
        long nonGet = 0;
        long legacy = 0;
        try (InputStream raw = ctx.call("s3:GetObject", () -> s3.getObject(b -> b.bucket(bucket).key(key)
                .overrideConfiguration(ctx.budget::apply)));
             InputStream in = key.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                List<String> fields = fields(line);
                if (fields.size() > 15 && LEGACY_VERSIONS.contains(fields.get(15).toLowerCase(Locale.ROOT).replace(".", ""))) {
                    legacy++;
                }
                if (!line.startsWith("http ")) {
                    continue;
                }
                http++;
                int q = line.indexOf('"');
                String method = q < 0 ? "" : line.substring(q + 1, Math.max(q + 1, line.indexOf(' ', q + 1)));
                if (!method.equals("GET")) {
                    nonGet++;
                }
            }
        } catch (IOException e) {
            throw new Unavailable("could not read the access-log file " + key + ": " + e.getMessage(), "s3:GetObject");
        }
        return new long[] {http, nonGet, legacy};
    }

    /** An access-log line's fields: space-separated, double-quoted fields kept whole (without their quotes). */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            if (line.charAt(i) == ' ') {
                i++;
                continue;
            }
            if (line.charAt(i) == '"') {
                int end = line.indexOf('"', i + 1);
                end = end < 0 ? n : end;
                out.add(line.substring(i + 1, end));
                i = end + 1;
            } else {
                int end = line.indexOf(' ', i);
                end = end < 0 ? n : end;
                out.add(line.substring(i, end));
                i = end;
            }
        }
        return out;
    }
}
