package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Status;
import dev.fixgate.app.store.WebhookDeliveries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fixgate jobs} and {@code fixgate webhooks} against a state directory with jobs in every state. */
class JobsCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path home;
    private long dead;
    private long queued;
    private long running;

    record Run(int exit, String out, String err) {
    }

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", home.toString()), home,
                Clock.systemUTC());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void jobsInEveryState() {
        try (Database db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2)) {
            JobQueue q = new JobQueue(db);
            dead = q.enqueue("github.webhook", "{}", Optional.empty(), 1, NOW);
            q.claim("w", NOW);
            q.fail(dead, "w", "GitHub returned 502\nsecond line", java.time.Duration.ZERO, NOW);
            running = q.enqueue("deliver.pr", "{}", Optional.empty(), 3, NOW);
            q.claim("w", NOW);
            queued = q.enqueue("verify", "{}", Optional.empty(), 3, NOW.plusSeconds(3600));
            new WebhookDeliveries(db).recordWithJob(new WebhookDeliveries.Delivery("d-42", "pull_request", "opened", 9,
                    "acme/infra", "0".repeat(64), WebhookDeliveries.Status.RECEIVED, "", NOW), "github.webhook", "{}", 3);
        }
    }

    @Test
    void listShowsCountsAndFiltersByStatus() {
        Run all = run("jobs", "list");
        assertThat(all.exit()).isZero();
        assertThat(all.out()).startsWith("queued 2, running 1, dead 1, done 0").contains("GitHub returned 502")
                .doesNotContain("second line");

        Run deadOnly = run("jobs", "list", "--status", "DEAD");
        assertThat(deadOnly.out().lines().skip(1)).singleElement().asString()
                .contains(String.valueOf(dead), "DEAD", "github.webhook", "1/1 ");
    }

    @Test
    void listAsJson() throws Exception {
        Run r = run("jobs", "list", "--json", "--status", "QUEUED");
        assertThat(r.exit()).isZero();
        JsonNode json = Json.mapper().readTree(r.out());
        assertThat(json.path("counts").path("DEAD").asLong()).isEqualTo(1);
        assertThat(json.path("jobs")).hasSize(2);
        assertThat(json.path("jobs").get(1).path("id").asLong()).isEqualTo(queued);
        assertThat(json.path("jobs").get(1).path("kind").asText()).isEqualTo("verify");
    }

    @Test
    void aBadStatusIsAUsageError() {
        Run r = run("jobs", "list", "--status", "SLEEPING");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("SLEEPING");
    }

    @Test
    void retryRequeuesADeadJobAndRefusesOthers() {
        Run ok = run("jobs", "retry", String.valueOf(dead));
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("job " + dead + " queued");

        Run busy = run("jobs", "retry", String.valueOf(running));
        assertThat(busy.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(busy.err()).contains("is RUNNING");

        Run missing = run("jobs", "retry", "424242");
        assertThat(missing.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(missing.err()).contains("no job 424242");

        assertThat(run("jobs", "list", "--status", "DEAD").out()).contains("(no DEAD jobs)");
    }

    @Test
    void retryAllDeadAndItsUsage() {
        assertThat(run("jobs", "retry", "--all-dead").out()).contains("queued 1 dead job again");
        assertThat(run("jobs", "retry").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("jobs", "retry", "1", "--all-dead").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void webhookDeliveriesAreListed() throws Exception {
        Run text = run("webhooks", "deliveries");
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("d-42", "pull_request.opened", "RECEIVED", "acme/infra");
        Run json = run("webhooks", "deliveries", "--json");
        assertThat(Json.mapper().readTree(json.out().lines().findFirst().orElseThrow()).path("deliveryId").asText())
                .isEqualTo("d-42");
    }

    @Test
    void theDatabaseCommandsPrintTheirUsageWithoutASubcommandAndCheckTheirLimits() {
        for (String group : new String[] {"jobs", "webhooks", "audit", "verify"}) {
            Run usage = run(group);
            assertThat(usage.exit()).isZero();
            assertThat(usage.out()).startsWith("Usage: fixgate " + group);
        }
        assertThat(run("jobs", "list", "--limit", "0").err()).contains("--limit must be between 1 and 10000");
        assertThat(run("webhooks", "deliveries", "--limit", "10001").err()).contains("--limit must be between 1 and 10000");
        Run audit = run("audit", "log", "--limit", "100001");
        assertThat(audit.exit()).isNotZero();
        assertThat(audit.err()).contains("--limit must be between 1 and 100000");
        assertThat(run("audit", "log", "--limit", "100000").exit()).isZero();
    }

    @Test
    void withoutAnyStateNothingIsListed() throws Exception {
        Path empty = Files.createDirectory(home.resolve("empty"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"jobs", "list", "--home", empty.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                Map.of(), home, Clock.systemUTC());
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("queued 0, running 0, dead 0, done 0", "(no jobs)");
        assertThat(Status.values()).hasSize(4);
    }
}
