package dev.fixgate.provider.aws.evidence;

import dev.fixgate.localaws.LocalAws;
import dev.fixgate.localaws.Model;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** A local AWS and the AWS provider's collectors pointed at it, for the end-to-end tests. */
final class LocalAwsFixture implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
    static final String ACCOUNT = "111111111111";

    final LocalAws aws;
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Map<String, String> options = new HashMap<>(Map.of(
            "retry.base_delay_ms", "5", "retry.throttle_base_delay_ms", "5", "retry.max_delay_ms", "50",
            "logs.poll_interval_ms", "10"));
    private List<ProviderSettings.AccountAccess> accounts = List.of();
    private List<String> regions = List.of("us-east-1");
    private Duration budget = Duration.ofSeconds(20);

    LocalAwsFixture(Model.Scenario scenario) {
        this.aws = LocalAws.start(scenario, 0, clock);
    }

    static LocalAwsFixture demo() {
        return new LocalAwsFixture(LocalAws.demoScenario());
    }

    LocalAwsFixture option(String k, String v) {
        options.put(k, v);
        return this;
    }

    LocalAwsFixture accounts(ProviderSettings.AccountAccess... a) {
        accounts = List.of(a);
        return this;
    }

    LocalAwsFixture regions(String... r) {
        regions = List.of(r);
        return this;
    }

    LocalAwsFixture budget(Duration d) {
        budget = d;
        return this;
    }

    ProviderSettings settings() {
        return new ProviderSettings(Map.of("*", aws.endpoint().toString()), accounts, regions, budget, clock, options);
    }

    List<EvidenceCollector> collectors() {
        return new AwsEvidenceProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalAws.accessKeyOf(ACCOUNT), LocalAws.SECRET))).collectors(settings());
    }

    /** Every collector that supports the resource, asked for {@code kinds}; kind → observation. */
    Map<String, Observed> collect(CloudResource r, Map<String, String> hints, String... kinds) {
        Map<String, Observed> out = new HashMap<>();
        EvidenceRequest req = new EvidenceRequest(r, Set.of(kinds), NOW, hints);
        for (EvidenceCollector c : collectors()) {
            if (c.supports(r)) {
                for (Observed o : c.collect(req)) {
                    out.put(o.kind(), o);
                }
            }
        }
        return out;
    }

    Map<String, Observed> collect(CloudResource r, String... kinds) {
        return collect(r, Map.of(), kinds);
    }

    static CloudResource bucket(String name) {
        return new CloudResource(Cloud.AWS, ACCOUNT, "us-east-1", "AwsS3Bucket", "arn:aws:s3:::" + name);
    }

    static CloudResource resource(String type, String arn) {
        return new CloudResource(Cloud.AWS, "", "", type, arn);
    }

    @Override
    public void close() {
        aws.close();
    }
}
