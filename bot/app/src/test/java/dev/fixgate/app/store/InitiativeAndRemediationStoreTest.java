package dev.fixgate.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.fixgate.app.store.InitiativeStore.StoredInitiative;
import dev.fixgate.app.store.RemediationStore.Status;
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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InitiativeAndRemediationStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private static Fingerprint stored(FindingStore findings, ControlId control, String bucket, Severity severity) {
        Finding f = new Finding("securityhub", bucket, control, "S3.x", severity, severity.name(),
                new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::" + bucket), "", true, NOW, NOW,
                SourceLocation.of("f.json"));
        findings.record(f);
        return f.fingerprint();
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void initiativesGrowAndAreListedMostSevereFirst(TestDb kind) {
        try (Database db = kind.fresh()) {
            FindingStore findings = new FindingStore(db);
            InitiativeStore initiatives = new InitiativeStore(db);
            ControlId pab = ControlId.canonical("aws.s3.bucket.public_access_block");
            ControlId versioning = ControlId.canonical("aws.s3.bucket.versioning");
            Fingerprint a = stored(findings, pab, "a", Severity.MEDIUM);
            Fingerprint b = stored(findings, pab, "b", Severity.CRITICAL);
            Fingerprint c = stored(findings, versioning, "a", Severity.LOW);

            InitiativeId pabId = InitiativeId.of(pab, "account:1");
            assertThat(initiatives.save(new Initiative(pabId, pab, "account:1", Severity.MEDIUM, List.of(a)), NOW)).isEqualTo(1);
            assertThat(initiatives.save(new Initiative(pabId, pab, "account:1", Severity.CRITICAL, List.of(a, b)), NOW)).isEqualTo(1);
            assertThat(initiatives.save(new Initiative(pabId, pab, "account:1", Severity.CRITICAL, List.of(a, b)), NOW)).isZero();
            InitiativeId verId = InitiativeId.of(versioning, "account:1");
            initiatives.save(new Initiative(verId, versioning, "account:1", Severity.LOW, List.of(c)), NOW);

            assertThat(initiatives.list()).extracting(StoredInitiative::id, StoredInitiative::severity, StoredInitiative::findings)
                    .containsExactly(
                            tuple(pabId, Severity.CRITICAL, 2),
                            tuple(verId, Severity.LOW, 1));
            assertThat(initiatives.members(pabId)).containsExactlyInAnyOrder(a, b);
            assertThat(initiatives.memberCounts(List.of(pabId, verId, InitiativeId.of(versioning, "account:2"))))
                    .containsOnly(java.util.Map.entry(pabId, 2), java.util.Map.entry(verId, 1));
            // A member resolved by its source still belongs to the initiative but is no longer open.
            Finding resolvedB = new Finding("securityhub", "b", pab, "S3.x", Severity.CRITICAL, "CRITICAL",
                    new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::b"), "", false, NOW.plusSeconds(60),
                    NOW.plusSeconds(60), SourceLocation.of("f.json"));
            findings.record(resolvedB);
            assertThat(initiatives.find(pabId)).hasValueSatisfying(i -> {
                assertThat(i.findings()).isEqualTo(2);
                assertThat(i.openFindings()).isEqualTo(1);
            });
            initiatives.setStatus(pabId, InitiativeStore.Status.IN_PROGRESS, NOW);
            assertThat(initiatives.find(pabId)).hasValueSatisfying(i -> assertThat(i.status()).isEqualTo(InitiativeStore.Status.IN_PROGRESS));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void remediationsAreTrackedFromPlanToMerge(TestDb kind) {
        try (Database db = kind.fresh()) {
            FindingStore findings = new FindingStore(db);
            ControlId pab = ControlId.canonical("aws.s3.bucket.public_access_block");
            Fingerprint a = stored(findings, pab, "a", Severity.HIGH);
            InitiativeId id = InitiativeId.of(pab, "account:1");
            new InitiativeStore(db).save(new Initiative(id, pab, "account:1", Severity.HIGH, List.of(a)), NOW);
            RemediationStore remediations = new RemediationStore(db);

            long rid = remediations.create(id, "aws.s3.block_public_access", RciLevel.SAFE, 0.92, "acme/infra",
                    "fixgate/aws.s3.block_public_access/" + id, "{\"edits\":[]}", NOW);
            assertThat(remediations.find(rid)).hasValueSatisfying(r -> {
                assertThat(r.status()).isEqualTo(Status.PLANNED);
                assertThat(r.pullNumber()).isEmpty();
                assertThat(r.mergedSha()).isEmpty();
                assertThat(r.rciConfidence()).isEqualTo(0.92);
            });
            remediations.delivered(rid, 17, NOW.plusSeconds(5));
            remediations.merged(rid, "0123456789abcdef0123456789abcdef01234567", NOW.plusSeconds(60));

            assertThat(remediations.findByPull("acme/infra", 17)).hasValueSatisfying(r -> {
                assertThat(r.status()).isEqualTo(Status.MERGED);
                assertThat(r.pullNumber()).hasValue(17);
                assertThat(r.mergedSha()).contains("0123456789abcdef0123456789abcdef01234567");
                assertThat(r.updatedAt()).isEqualTo(NOW.plusSeconds(60));
            });
            assertThat(remediations.forInitiative(id)).hasSize(1);
            assertThatThrownBy(() -> remediations.setStatus(999, Status.FAILED, NOW)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
