package dev.fixgate.app.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.EvidenceStore;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.EvidenceUnavailableException;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.Provenance;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live evidence source's contract, with collectors written against the SPI: each question asked once while its
 * answer is fresh (in memory and in the database, on H2 and PostgreSQL), failures and slowness turned into
 * unavailable evidence within the budget, and one slow cloud never holding up another.
 */
class CollectedEvidenceTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final CloudResource BUCKET = new CloudResource(Cloud.AWS, "111111111111", "eu-west-1", "AwsS3Bucket",
            "arn:aws:s3:::data");
    static final CloudResource OTHER = new CloudResource(Cloud.AWS, "111111111111", "eu-west-1", "AwsS3Bucket",
            "arn:aws:s3:::other");
    static final CloudResource GCS = new CloudResource(Cloud.GCP, "proj", "", "storage.googleapis.com/Bucket",
            "//storage.googleapis.com/projects/_/buckets/site");

    final MutableClock clock = new MutableClock(T0);
    CollectedEvidence source;

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    static EvidenceQuery query(CloudResource r, String... named) {
        return new EvidenceQuery(Optional.of(r), "", Set.of(r.id()), Set.of(named), Enricher.CONTEXT_KINDS, Map.of(),
                T0);
    }

    CollectedEvidence source(Optional<EvidenceStore> store, Duration budget, EvidenceCollector... collectors) {
        source = new CollectedEvidence(List.of(collectors), store, new CollectedEvidence.Settings(Duration.ofHours(1),
                Duration.ofMinutes(5), budget, 2), clock);
        return source;
    }

    @Test
    void answersAreReusedWhileFreshAndReadAgainAfterTheirTtl() {
        Fake s3 = new Fake("aws.s3", Cloud.AWS, Set.of("s3.object_count"), r -> List.of(
                Observed.of("s3.object_count", 0L, prov(r))));
        CollectedEvidence live = source(Optional.empty(), Duration.ofSeconds(5), s3);

        Enrichment first = live.observe(query(BUCKET, "s3.object_count"));
        assertThat(first.resource().get("s3.object_count").value()).isEqualTo(0L);
        assertThat(first.resource().get("s3.object_count").source()).isEqualTo("s3:ListBucket in 111111111111/eu-west-1");
        live.observe(query(BUCKET, "s3.object_count"));
        assertThat(s3.calls).hasValue(1);

        clock.advance(Duration.ofMinutes(61));
        live.observe(query(BUCKET, "s3.object_count"));
        assertThat(s3.calls).as("read again once the answer expired").hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void theDatabaseRemembersAnswersForEveryReplica(TestDb kind) {
        try (Database db = kind.fresh()) {
            Fake s3 = new Fake("aws.s3", Cloud.AWS, Set.of("s3.object_count", EvidenceKinds.TAGS), r -> List.of(
                    Observed.of("s3.object_count", 12L, prov(r)),
                    Observed.of(EvidenceKinds.TAGS, Map.of("Environment", "production"), prov(r))));
            source(Optional.of(new EvidenceStore(db)), Duration.ofSeconds(5), s3).observe(query(BUCKET, "s3.object_count"));
            source.close();

            // another replica, same database: nothing is asked again
            Fake other = new Fake("aws.s3", Cloud.AWS, Set.of("s3.object_count", EvidenceKinds.TAGS), r -> List.of());
            Enrichment second = source(Optional.of(new EvidenceStore(db)), Duration.ofSeconds(5), other)
                    .observe(query(BUCKET, "s3.object_count"));
            assertThat(other.calls).hasValue(0);
            assertThat(second.resource().get("s3.object_count").value()).isEqualTo(12L);
            assertThat(second.resource().get(EvidenceKinds.TAGS).value()).isEqualTo(Map.of("Environment", "production"));
            assertThat(second.resource().get("s3.object_count").observedAt()).isEqualTo(T0);
            assertThat(new EvidenceStore(db).purge(T0.plus(Duration.ofHours(2)))).isEqualTo(2);
        }
    }

    @Test
    void failuresAreUnavailableWithTheirReasonAndAreTriedAgainSooner() {
        AtomicInteger attempt = new AtomicInteger();
        Fake trail = new Fake("aws.cloudtrail", Cloud.AWS, Set.of("s3.http_requests_90d"), r -> {
            if (attempt.incrementAndGet() == 1) {
                return List.of(Observed.unavailable("s3.http_requests_90d",
                        "AccessDenied on cloudtrail:StartQuery", prov(r)));
            }
            return List.of(Observed.of("s3.http_requests_90d", 0L, prov(r)));
        });
        CollectedEvidence live = source(Optional.empty(), Duration.ofSeconds(5), trail);

        Enrichment denied = live.observe(query(BUCKET, "s3.http_requests_90d"));
        assertThat(denied.resource()).doesNotContainKey("s3.http_requests_90d");
        assertThat(denied.unavailable()).singleElement().asString()
                .startsWith("s3.http_requests_90d: unavailable: AccessDenied on cloudtrail:StartQuery");
        live.observe(query(BUCKET, "s3.http_requests_90d"));
        assertThat(trail.calls).as("remembered for the unavailable TTL").hasValue(1);

        clock.advance(Duration.ofMinutes(6));
        assertThat(live.observe(query(BUCKET, "s3.http_requests_90d")).resource()).containsKey("s3.http_requests_90d");
    }

    @Test
    void aCollectorThatThrowsOrAnswersNonsenseLeavesItsKindsUnavailable() {
        Fake throwing = new Fake("aws.ec2", Cloud.AWS, Set.of(EvidenceKinds.SG_ATTACHED_INTERFACES), r -> {
            throw new IllegalStateException("boom");
        });
        Fake unavailableEx = new Fake("aws.cloudwatch", Cloud.AWS, Set.of("ec2.imds_v1_calls_14d"), r -> {
            throw new Sneaky(new EvidenceUnavailableException("evidence.throttled", "Throttling: rate exceeded", null));
        });
        Fake nonsense = new Fake("aws.s3", Cloud.AWS, Set.of("s3.object_count"), r -> List.of(
                Observed.of("s3.object_count", "lots", prov(r))));
        Enrichment e = source(Optional.empty(), Duration.ofSeconds(5), throwing, unavailableEx, nonsense)
                .observe(query(BUCKET, EvidenceKinds.SG_ATTACHED_INTERFACES, "ec2.imds_v1_calls_14d", "s3.object_count"));

        assertThat(e.resource()).doesNotContainKeys(EvidenceKinds.SG_ATTACHED_INTERFACES, "ec2.imds_v1_calls_14d",
                "s3.object_count");
        assertThat(e.unavailable()).anyMatch(l -> l.startsWith("sg.attached_interfaces: unavailable: the collector failed"))
                .anyMatch(l -> l.startsWith("ec2.imds_v1_calls_14d: unavailable: Throttling: rate exceeded"))
                .anyMatch(l -> l.startsWith("s3.object_count: unavailable: aws.s3 answered lots, which is not valid"));
    }

    @Test
    void aKindNoCollectorReadsIsReportedOnlyWhenThePlaybookNamesIt() {
        Enrichment e = source(Optional.empty(), Duration.ofSeconds(5)).observe(query(BUCKET, "s3.public_requests_30d"));
        assertThat(e.unavailable()).containsExactly(
                "s3.public_requests_30d: no collector reads it for AwsS3Bucket arn:aws:s3:::data");
    }

    @Test
    void withoutATargetEveryNamedKindSaysWhy() {
        Enrichment e = source(Optional.empty(), Duration.ofSeconds(5)).observe(new EvidenceQuery(Optional.empty(),
                "the code does not name the deployed resource", Set.of("aws_s3_bucket.x"), Set.of("s3.object_count"),
                Set.of(), Map.of(), T0));
        assertThat(e.unavailable()).containsExactly(
                "s3.object_count: no live evidence: the code does not name the deployed resource");
    }

    @Test
    void aSlowCollectorRunsOutOfBudgetWithoutHoldingUpTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Fake slow = new Fake("aws.cloudwatch", Cloud.AWS, Set.of("ec2.imds_v1_calls_14d"), r -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return List.of(Observed.of("ec2.imds_v1_calls_14d", 0L, prov(r)));
        });
        Fake fast = new Fake("aws.s3", Cloud.AWS, Set.of("s3.object_count"), r -> List.of(
                Observed.of("s3.object_count", 0L, prov(r))));
        Fake gcs = new Fake("gcp.storage", Cloud.GCP, Set.of("gcs.public_grants"), r -> List.of(
                Observed.of("gcs.public_grants", 0L, prov(r))));
        CollectedEvidence live = source(Optional.empty(), Duration.ofMillis(800), slow, fast, gcs);
        try {
            // two AWS reads are stuck on the slow API: every AWS slot (2 per cloud) is taken ...
            CompletableFuture<Enrichment> a = CompletableFuture.supplyAsync(() -> live.observe(query(BUCKET,
                    "ec2.imds_v1_calls_14d", "s3.object_count")));
            CompletableFuture<Enrichment> b = CompletableFuture.supplyAsync(() -> live.observe(query(OTHER,
                    "ec2.imds_v1_calls_14d")));
            Thread.sleep(100);
            // ... while GCP answers at once
            long started = System.nanoTime();
            Enrichment g = live.observe(query(GCS, "gcs.public_grants"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(700));
            assertThat(g.resource().get("gcs.public_grants").value()).isEqualTo(0L);

            Enrichment aws = a.get(10, TimeUnit.SECONDS);
            assertThat(aws.unavailable()).contains("ec2.imds_v1_calls_14d: unavailable: no answer within 0.8s "
                    + "(aws.cloudwatch in 111111111111/eu-west-1)");
            assertThat(b.get(10, TimeUnit.SECONDS).unavailable()).singleElement().asString()
                    .startsWith("ec2.imds_v1_calls_14d: unavailable: ");
            assertThat(slow.calls.get()).isEqualTo(2);
        } finally {
            release.countDown();
        }
    }

    static Provenance prov(EvidenceRequest r) {
        String api = switch (r.kinds().iterator().next()) {
            case "s3.object_count", "tags" -> "s3:ListBucket";
            default -> "test:Read";
        };
        return new Provenance(api, r.resource().account(), "", r.resource().region(), T0);
    }

    /** An unchecked wrapper so a lambda can throw the checked SPI exception. */
    static final class Sneaky extends RuntimeException {
        Sneaky(EvidenceUnavailableException e) {
            super(e);
        }
    }

    static final class Fake implements EvidenceCollector {
        final String id;
        final Cloud cloud;
        final Set<String> kinds;
        final Function<EvidenceRequest, List<Observed>> answer;
        final AtomicInteger calls = new AtomicInteger();

        Fake(String id, Cloud cloud, Set<String> kinds, Function<EvidenceRequest, List<Observed>> answer) {
            this.id = id;
            this.cloud = cloud;
            this.kinds = kinds;
            this.answer = answer;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Cloud cloud() {
            return cloud;
        }

        @Override
        public Set<String> kinds() {
            return kinds;
        }

        @Override
        public List<ReadAction> reads() {
            return List.of(new ReadAction("test:Read", "Read", "tests"));
        }

        @Override
        public boolean supports(CloudResource resource) {
            return resource.cloud() == cloud;
        }

        @Override
        public List<Observed> collect(EvidenceRequest request) throws EvidenceUnavailableException {
            calls.incrementAndGet();
            try {
                return answer.apply(request);
            } catch (Sneaky s) {
                throw (EvidenceUnavailableException) s.getCause();
            }
        }
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
