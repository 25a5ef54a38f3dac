package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerificationStore;
import dev.fixgate.app.store.VerifyStore;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.Severity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fixgate verify status}: the store's verification tracks, steps and recurrences, as text and JSON. */
class VerifyCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    private String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", dir.resolve("home").toString()),
                dir, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsEachFixsStepsDriftAndRecurrences() throws Exception {
        assertThat(run("verify", "status")).contains("No merged fix is under verification.");
        try (Database db = Database.open(Database.embeddedUrl(dir.resolve("home")), "", Secret.none(), 2)) {
            ControlId c = ControlId.canonical("aws.s3.bucket.versioning");
            Finding f = new Finding("securityhub", "a", c, "S3.14", Severity.HIGH, "HIGH",
                    new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::a"), "", true, NOW, NOW,
                    SourceLocation.of("f.json"));
            new FindingStore(db).record(f);
            InitiativeId id = InitiativeId.of(c, "account:1");
            new InitiativeStore(db).save(new Initiative(id, c, "account:1", Severity.HIGH, List.of(f.fingerprint())), NOW);
            RemediationStore r = new RemediationStore(db);
            long rid = r.create(id, "s3_bucket_versioning", RciLevel.SAFE, 0.9, "acme/infra", "fixgate/x", "{}", NOW);
            r.delivered(rid, 3, NOW);
            VerifyStore store = new VerifyStore(db);
            store.start(rid, "acme/infra", 7, 3, "0".repeat(40), NOW, NOW.plus(Duration.ofDays(7)), NOW);
            store.deployed(rid, NOW.plusSeconds(60), "deployment 9 to production (success) of 0000000", NOW);
            store.drift(rid, "arn:aws:s3:::a: s3.versioning_enabled = false", NOW);
            new VerificationStore(db).record(rid, NOW, VerificationStore.Outcome.STILL_FAILING,
                    "cloud:s3.versioning_enabled", "failed: arn:aws:s3:::a: s3.versioning_enabled = false");
            store.recur(rid, f.fingerprint(), VerifyStore.RecurrenceKind.NEW_RESOURCE, "acme/infra", c.value(),
                    "s3_bucket_versioning", "arn:aws:s3:::b", "arn:aws:s3:::b fails it too", NOW);
        }
        String text = run("verify", "status", "--repo", "acme/infra");
        assertThat(text).contains("acme/infra#3  s3_bucket_versioning  verifying")
                .contains("deployed: deployment 9 to production (success)")
                .contains("cloud:s3.versioning_enabled: failed: arn:aws:s3:::a")
                .contains("drift: the fix is in code but not applied")
                .contains("recurrence (new_resource)");
        JsonNode json = Json.mapper().readTree(run("verify", "status", "--json"));
        assertThat(json.at("/fixes/0/state").asText()).isEqualTo("verifying");
        assertThat(json.at("/fixes/0/steps").fieldNames().next()).isEqualTo("cloud:s3.versioning_enabled");
        assertThat(json.at("/recurrences/0/kind").asText()).isEqualTo("new_resource");
        assertThat(run("verify", "status", "--repo", "other/repo")).contains("No merged fix is under verification in"
                + " other/repo.");
    }
}
