package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fixgate assess} end to end with the real catalog (s3_bucket_public_access_block), the real locate and
 * plan stages, and the seed's shape: three buckets, one finding each — empty, unused, and in use.
 */
class AssessCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void copyFixtures() throws IOException {
        Files.createDirectories(dir.resolve("repo"));
        for (String f : List.of("repo/main.tf", "findings.json", "evidence.json", "fixgate.yml")) {
            try (InputStream in = getClass().getResourceAsStream("/assess/seed/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        for (String f : List.of("findings.json", "evidence.json")) {
            try (InputStream in = getClass().getResourceAsStream("/assess/https/" + f)) {
                Files.copy(in, dir.resolve("https-" + f));
            }
        }
    }

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", dir.resolve("home").toString()),
                dir, Clock.systemUTC());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode resource(JsonNode out, String id) {
        for (JsonNode i : out.get("initiatives")) {
            for (JsonNode r : i.get("resources")) {
                if (r.get("resource").asText().equals(id)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no " + id + " in " + out);
    }

    private JsonNode assess(String at, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("assess", "--repo", "repo", "--findings", "findings.json",
                "--evidence", "evidence.json", "--config", "fixgate.yml", "--at", at, "--json"));
        args.addAll(List.of(more));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        return Json.mapper().readTree(r.out());
    }

    @Test
    void threeBucketsOneInitiativeThreeOutcomes() throws IOException {
        JsonNode out = assess("2026-11-20T10:00:00Z"); // a Friday, 11:00 in Berlin: inside the window
        assertThat(out.get("initiatives")).hasSize(1);
        JsonNode scratch = resource(out, "arn:aws:s3:::acme-scratch");
        JsonNode assets = resource(out, "arn:aws:s3:::acme-assets");
        JsonNode downloads = resource(out, "arn:aws:s3:::acme-downloads");

        assertThat(scratch.get("playbook").asText()).isEqualTo("s3_bucket_public_access_block");
        assertThat(scratch.at("/rci/level").asText()).isEqualTo("SAFE");
        assertThat(scratch.at("/patch/status").asText()).isEqualTo("changed");
        assertThat(scratch.at("/blastRadius/resources").asInt()).isEqualTo(1);
        assertThat(scratch.at("/gate/decision").asText()).isEqualTo("allow");
        assertThat(scratch.get("action").asText()).isEqualTo("automerge");

        assertThat(assets.at("/rci/level").asText()).isEqualTo("SAFE");
        assertThat(assets.at("/rci/reasons/0").asText()).contains("no anonymous or cross-account public requests")
                .contains("(CloudTrail data events) → SAFE");
        assertThat(assets.get("action").asText()).isEqualTo("automerge");

        assertThat(downloads.at("/rci/level").asText()).isEqualTo("UNSAFE");
        assertThat(downloads.at("/rci/reasons/0").asText()).startsWith("45 public (anonymous) requests in 30 days");
        assertThat(downloads.at("/gate/decision").asText()).isEqualTo("deny");
        assertThat(downloads.get("action").asText()).isEqualTo("route_to_owner");
        assertThat(downloads.at("/gate/layers/0/engine").asText()).isEqualTo("cel");

        JsonNode split = out.at("/initiatives/0/split");
        assertThat(split.get("automerge")).hasSize(2);
        assertThat(split.get("route_to_owner")).hasSize(1);
        assertThat(out.get("evidenceProblems").toString()).contains("unknown kind 's3.request_heatmap'")
                .contains("s3.object_count: expected a whole number");
    }

    @Test
    void theSeedExampleWithTheCatalogsHttpsOnlyPlaybook() throws IOException {
        Run r = run("assess", "--repo", "repo", "--findings", "https-findings.json", "--evidence", "https-evidence.json",
                "--config", "fixgate.yml", "--at", "2026-11-20T10:00:00Z", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode out = Json.mapper().readTree(r.out());
        JsonNode empty = resource(out, "arn:aws:s3:::acme-scratch");
        JsonNode https = resource(out, "arn:aws:s3:::acme-assets");
        JsonNode plain = resource(out, "arn:aws:s3:::acme-downloads");
        assertThat(empty.get("playbook").asText()).isEqualTo("s3_bucket_https_only");
        assertThat(empty.at("/rci/level").asText()).isEqualTo("SAFE");
        assertThat(https.at("/rci/level").asText()).isEqualTo("SAFE");
        assertThat(https.at("/rci/reasons/0").asText()).startsWith("0 plain-HTTP requests in 90 days (CloudTrail data events)")
                .endsWith("→ SAFE");
        assertThat(plain.at("/rci/level").asText()).isEqualTo("UNSAFE");
        assertThat(plain.at("/rci/reasons/0").asText())
                .isEqualTo("45 plain-HTTP requests in 90 days would start failing with 403 Access Denied (CloudTrail data events) → UNSAFE");
        assertThat(List.of(empty.get("action").asText(), https.get("action").asText(), plain.get("action").asText()))
                .containsExactly("automerge", "automerge", "route_to_owner");
    }

    @Test
    void replayingOutsideTheChangeWindowOnlyRecords() throws IOException {
        JsonNode out = assess("2026-11-21T10:00:00Z"); // Saturday
        JsonNode scratch = resource(out, "arn:aws:s3:::acme-scratch");
        assertThat(scratch.at("/gate/decision").asText()).isEqualTo("deny");
        assertThat(scratch.get("action").asText()).isEqualTo("record_only");
        assertThat(scratch.at("/gate/reasons").toString()).contains("change-window");
    }

    @Test
    void recordStoresTheDecisionsAndAuditsThem() throws IOException {
        assess("2026-11-20T10:00:00Z", "--record");
        Run log = run("audit", "log");
        assertThat(log.out()).contains("remediation.assessed").contains("gate.decided");
        assertThat(run("audit", "verify").exit()).isZero();
    }

    @Test
    void textOutputAndBadOptions() {
        Run r = run("assess", "--repo", "repo", "--findings", "findings.json", "--evidence", "evidence.json",
                "--repo-config", "fixgate.yml", "--at", "2026-11-20T10:00:00Z");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("automerge").contains("route_to_owner").contains("split: 2 automerge, 1 route_to_owner");
        Run bad = run("assess", "--repo", "repo", "--findings", "findings.json", "--at", "yesterday");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--at");
    }
}
