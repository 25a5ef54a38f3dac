package dev.fixgate.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Verification tracks: what happens once happens once, whoever asks first, on both databases. */
class VerifyStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private static long merged(Database db) {
        ControlId c = ControlId.canonical("aws.s3.bucket.versioning");
        InitiativeId id = InitiativeId.of(c, "account:1");
        Finding f = new Finding("securityhub", "a", c, "S3.14", Severity.HIGH, "HIGH",
                new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::a"), "", true, NOW, NOW,
                SourceLocation.of("f.json"));
        new FindingStore(db).record(f);
        new InitiativeStore(db).save(new Initiative(id, c, "account:1", Severity.HIGH, List.of(f.fingerprint())), NOW);
        RemediationStore r = new RemediationStore(db);
        long rid = r.create(id, "s3_bucket_versioning", RciLevel.SAFE, 0.9, "acme/infra", "fixgate/x", "{}", NOW);
        r.delivered(rid, 3, NOW);
        r.merged(rid, SHA, NOW);
        return rid;
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aTrackStartsOnceAndItsOneTimeActionsAreClaimedOnce(TestDb kind) {
        try (Database db = kind.fresh()) {
            long rid = merged(db);
            VerifyStore store = new VerifyStore(db);
            VerifyStore.Track t = store.start(rid, "acme/infra", 7, 3, SHA, NOW, NOW.plus(Duration.ofDays(7)), NOW);
            // a redelivered merge keeps the first deadline
            VerifyStore.Track again = store.start(rid, "acme/infra", 7, 3, SHA, NOW.plusSeconds(5),
                    NOW.plus(Duration.ofDays(9)), NOW.plusSeconds(5));
            assertThat(again.deadline()).isEqualTo(t.deadline());
            assertThat(store.unverifiedIn("acme/infra")).hasSize(1);

            assertThat(store.deployed(rid, NOW.plusSeconds(60), "deployment 1", NOW)).isTrue();
            assertThat(store.deployed(rid, NOW.plusSeconds(90), "deployment 2", NOW)).isFalse();
            assertThat(store.find(rid).orElseThrow().deploySignal()).isEqualTo("deployment 1");

            assertThat(store.drift(rid, "acme-data still reads false", NOW)).isTrue();
            assertThat(store.drift(rid, "again", NOW)).isFalse();

            assertThat(store.escalated(rid, OptionalInt.of(12), NOW)).isTrue();
            assertThat(store.escalated(rid, OptionalInt.of(13), NOW)).isFalse();
            assertThat(store.find(rid).orElseThrow().escalationIssue()).hasValue(12);

            // escalated, then verified after all; never escalated after that
            assertThat(store.verified(rid, NOW)).isTrue();
            assertThat(store.verified(rid, NOW)).isFalse();
            assertThat(new RemediationStore(db).verified(rid, NOW)).isTrue();
            assertThat(new RemediationStore(db).find(rid).orElseThrow().status())
                    .isEqualTo(RemediationStore.Status.VERIFIED);
            assertThat(store.unverifiedIn("acme/infra")).isEmpty();

            Fingerprint fp = new Fingerprint("b".repeat(64));
            assertThat(store.recur(rid, fp, VerifyStore.RecurrenceKind.REOPENED, "acme/infra", "aws.s3.bucket.versioning",
                    "s3_bucket_versioning", "arn:aws:s3:::a", "reported again", NOW)).isTrue();
            assertThat(store.recur(rid, fp, VerifyStore.RecurrenceKind.REOPENED, "acme/infra", "aws.s3.bucket.versioning",
                    "s3_bucket_versioning", "arn:aws:s3:::a", "reported again", NOW)).isFalse();
            assertThat(store.recurrences("acme/infra")).singleElement()
                    .satisfies(r -> assertThat(r.kind()).isEqualTo(VerifyStore.RecurrenceKind.REOPENED));
        }
    }
}
