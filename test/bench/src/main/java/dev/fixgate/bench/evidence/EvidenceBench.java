package dev.fixgate.bench.evidence;

import dev.fixgate.localaws.LocalAws;
import dev.fixgate.provider.aws.evidence.AwsEvidenceProvider;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Evidence collection per resource for the demo account: every AWS collector that supports the resource, asked for
 * the kinds the catalog's playbooks ask of it, through the real SDK against test/local-aws on loopback. Prints, per
 * resource, the API calls made and the median and p90 wall time of one collection (collectors built once, as the
 * service keeps them).
 *
 * <pre>./bench run dev.fixgate.bench.evidence.EvidenceBench [rounds]</pre>
 */
public final class EvidenceBench {

    private record Case(String name, CloudResource resource, Set<String> kinds) {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Instant now = Instant.parse("2026-11-20T08:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        String a = "111111111111";
        List<Case> cases = List.of(
                new Case("acme-scratch (S3.5)", bucket("acme-scratch"), Set.of("s3.object_count", "s3.http_requests_90d")),
                new Case("acme-data (S3.5)", bucket("acme-data"), Set.of("s3.object_count", "s3.http_requests_90d", "s3.https_requests_90d")),
                new Case("acme-downloads (S3.5)", bucket("acme-downloads"), Set.of("s3.object_count", "s3.http_requests_90d", "s3.https_requests_90d")),
                new Case("acme-logs (S3.8, S3.14)", bucket("acme-logs"), Set.of("s3.object_count", "s3.public_requests_30d",
                        "tags", "s3.cross_account_readers_30d")),
                new Case("i-0123456789abcdef0 (EC2.8)", new CloudResource(Cloud.AWS, a, "us-east-1", "AwsEc2Instance",
                        "arn:aws:ec2:us-east-1:" + a + ":instance/i-0123456789abcdef0"), Set.of("ec2.imds_v1_calls_14d")),
                new Case("sg-0a1b2c3d4e5f60718 (EC2.2)", new CloudResource(Cloud.AWS, a, "us-east-1", "AwsEc2SecurityGroup",
                        "arn:aws:ec2:us-east-1:" + a + ":security-group/sg-0a1b2c3d4e5f60718"), Set.of("sg.attached_interfaces")));
        try (LocalAws aws = LocalAws.start(LocalAws.demoScenario(), 0, clock)) {
            ProviderSettings settings = new ProviderSettings(Map.of("*", aws.endpoint().toString()), List.of(),
                    List.of("us-east-1"), Duration.ofSeconds(30), clock, Map.of("logs.poll_interval_ms", "20"));
            List<EvidenceCollector> collectors = new AwsEvidenceProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LocalAws.accessKeyOf(a), LocalAws.SECRET))).collectors(settings);
            aws.queryPolls(1);
            for (int warm = 0; warm < 5; warm++) {
                for (Case c : cases) {
                    collect(collectors, c, now);
                }
            }
            System.out.printf("%-32s %6s %10s %10s  %s%n", "resource", "calls", "median ms", "p90 ms", "values");
            for (Case c : cases) {
                long[] nanos = new long[rounds];
                long calls = 0;
                List<Observed> last = List.of();
                for (int i = 0; i < rounds; i++) {
                    aws.clearCalls();
                    long t0 = System.nanoTime();
                    last = collect(collectors, c, now);
                    nanos[i] = System.nanoTime() - t0;
                    calls = aws.calls().size();
                }
                Arrays.sort(nanos);
                List<String> values = new ArrayList<>();
                last.stream().sorted((x, y) -> x.kind().compareTo(y.kind()))
                        .forEach(o -> values.add(o.kind() + "=" + (o.available() ? o.value() : "unavailable")));
                System.out.printf("%-32s %6d %10.1f %10.1f  %s%n", c.name, calls, nanos[rounds / 2] / 1e6,
                        nanos[(int) (rounds * 0.9)] / 1e6, String.join(", ", values));
            }
        }
    }

    private static List<Observed> collect(List<EvidenceCollector> collectors, Case c, Instant now) {
        List<Observed> out = new ArrayList<>();
        EvidenceRequest req = new EvidenceRequest(c.resource, c.kinds, now, Map.of());
        for (EvidenceCollector col : collectors) {
            if (col.supports(c.resource) && col.kinds().stream().anyMatch(c.kinds::contains)) {
                out.addAll(col.collect(req));
            }
        }
        return out;
    }

    private static CloudResource bucket(String name) {
        return new CloudResource(Cloud.AWS, "111111111111", "us-east-1", "AwsS3Bucket", "arn:aws:s3:::" + name);
    }
}
