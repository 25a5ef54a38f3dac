package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import dev.fixgate.app.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's first command, in-process: the demo on the bundled samples with the real parsers and catalog. */
class DemoTest {

    @TempDir
    Path home;

    private String run() {
        return run("demo", "--ingest-only");
    }

    private String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", home.toString()), home,
                Clock.systemUTC());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The whole loop: PRs, green CI, merges, the RISKY one after an approval, the UNSAFE one an issue; twice. */
    @Test
    void theLoopOpensMergesApprovesAndRoutesAndRunsAgainInTheSameHome() throws Exception {
        for (int run = 1; run <= 2; run++) {
            long started = System.nanoTime();
            JsonNode out = Json.mapper().readTree(run("demo", "--json"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("run " + run).isLessThan(Duration.ofSeconds(90));
            assertThat(out.fieldNames()).toIterable().containsExactly("pullRequests", "issues", "dashboard", "mainLog");
            assertThat(out.get("dashboard").asText()).as("the demo prints the dashboard's URL").matches("https?://.+/issues/\\d+");
            assertThat(out.get("pullRequests").fieldNames()).toIterable()
                    .containsExactly("opened", "merged", "awaitingApproval", "approvedThenMerged");
            assertThat(out.at("/pullRequests/opened").asInt()).isEqualTo(3);
            assertThat(out.at("/pullRequests/merged").asInt()).isEqualTo(3);
            assertThat(out.at("/pullRequests/awaitingApproval").asInt()).isZero();
            assertThat(out.at("/pullRequests/approvedThenMerged").asInt()).isEqualTo(1);
            assertThat(out.at("/issues/opened").asInt()).isEqualTo(1);
            List<String> messages = new ArrayList<>();
            out.get("mainLog").forEach(c -> {
                assertThat(c.get("sha").asText()).matches("[0-9a-f]{40}");
                messages.add(c.get("message").asText());
            });
            assertThat(messages).hasSize(4);
            assertThat(messages.getLast()).startsWith("Initial commit");
            List<String> squashes = messages.subList(0, 3);
            assertThat(squashes).allSatisfy(m -> assertThat(m).containsPattern("\\(#\\d+\\)")
                    .contains("Fixgate-Initiative: ", "Fixgate-Control: ", "Fixgate-RCI: ", "Fixgate-Findings: ",
                            "Fixgate-Approved-By: "));
            assertThat(String.join("\n", squashes)).contains("Fixgate-Control: aws.s3.bucket.ssl_requests_only",
                    "Fixgate-Control: aws.s3.bucket.versioning", "Fixgate-Control: aws.ec2.instance.imdsv2",
                    "Fixgate-RCI: RISKY", "Fixgate-Approved-By: reviewer");
        }
    }

    @Test
    void theReadableSummary() {
        String out = run("demo");
        assertThat(out).contains("Read 5 records from 2 inputs: 5 findings, 0 duplicates, 0 rejected.")
                .contains("route_to_owner UNSAFE arn:aws:s3:::acme-downloads")
                .contains("await_approval RISKY  aws_instance.web_host")
                .contains("pull requests: 3 opened, 3 merged (1 after an approval), 0 awaiting approval")
                .contains("issues: 1 opened")
                .contains("reviewer comments \"/fixgate approve\"")
                .containsPattern("dashboard: https?://\\S+/issues/\\d+");
    }

    /** --config means to the demo what it means to serve: here a user policy that denies every fix. */
    @Test
    void withAPolicyThatDeniesEverythingTheDemoMergesNothingAndSaysWhichPolicyStoppedEachFix() throws Exception {
        Files.createDirectories(home.resolve("policies"));
        Files.writeString(home.resolve("policies/freeze.yaml"), """
                policies:
                  - id: acme.change-freeze
                    description: Nothing changes during the freeze.
                    condition: 'true'
                    effect: deny
                    message: the change freeze is on
                """);
        Files.writeString(home.resolve("gate.yml"), "policies:\n  directories: [policies]\n");

        String out = run("demo", "--config", "gate.yml");

        assertThat(out).contains("pull requests: 0 opened, 0 merged (0 after an approval), 0 awaiting approval");
        List<String> decided = out.lines().filter(l -> l.matches("\\s+(automerge|await_approval|route_to_owner|record_only)"
                + "\\s.*\\(decision #\\d+\\)")).toList();
        assertThat(decided).hasSize(5).allSatisfy(l -> assertThat(l).contains("route_to_owner"));
        long stopped = out.lines().filter(l -> l.contains("gate: cel acme.change-freeze: the change freeze is on")).count();
        assertThat(stopped).isEqualTo(decided.size());
        assertThat(out).contains("issues: 3 opened"); // the three buckets of one initiative share one
    }

    @Test
    void ingestsTwoDaysOfThreeToolsDeduplicatesAndLeavesTheOpenWork() {
        String out = run();

        assertThat(out).contains("Read 8 records from 3 inputs: 6 findings, 2 duplicates, 0 rejected.")
                .contains("demo/01-securityhub-2026-11-20.json      asff")
                .contains("demo/02-prowler-2026-11-20.ocsf.json     ocsf")
                .contains("demo/03-kics-infra.json                  kics")
                .contains("Stored: 1 seen again; 1 resolved;")
                .contains("1 resolved since day 1, 1 still failing.")
                .contains("audit log intact: 4 entries");
        String open = out.substring(out.indexOf("== open initiatives"), out.indexOf("== what the full loop"));
        assertThat(open.lines().filter(l -> l.contains("open finding"))).hasSize(4);
        assertThat(open).contains("aws.s3.bucket.public_access_block             account:aws:111111111111")
                .contains("aws.s3.bucket.public_access_block             repo:unknown:infra/storage")
                .doesNotContain("default_restrict_all");
    }

    @Test
    void runningItAgainStartsFromAFreshDatabaseAndPrintsTheSame() {
        String first = run();
        String second = run();
        assertThat(second.replaceAll("head [0-9a-f]{64}", "head H").replaceAll("in .*demo", ""))
                .isEqualTo(first.replaceAll("head [0-9a-f]{64}", "head H").replaceAll("in .*demo", ""));
    }
}
