package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI in-process: exit codes, messages, and that every command honours the state directory. */
class CliTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, dir, Clock.systemUTC());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run run(String... args) {
        return run(Map.of("FIXGATE_HOME", dir.resolve("home").toString()), args);
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("serve", "demo", "ingest", "plan", "assess", "check", "playbooks", "report", "audit", "jobs", "webhooks",
                "Exit codes:", "2  usage or configuration error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "demo", "ingest", "plan", "assess", "check", "playbooks", "report", "audit", "jobs", "webhooks"})
    void everyCommandHasHelp(String command) {
        Run r = run(command, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: fixgate " + command);
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        Run r = run("--no-such-option");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void aStageCommandWithoutItsRequiredOptionsIsAUsageError() {
        // Every stage command is built now (assess was the last to say "not available"); missing input is usage.
        for (String command : new String[] {"plan", "assess"}) {
            Run r = run(command);
            assertThat(r.exit()).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(command).contains("Missing required option");
        }
    }

    @Test
    void serveWithoutSecretsNamesWhatIsMissingAndHowToSupplyIt() {
        Run r = run(Map.of("FIXGATE_HOME", dir.toString(), "FIXGATE_GITHUB_APP_ID", "12"), "serve");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("FIXGATE_GITHUB_PRIVATE_KEY", "FIXGATE_GITHUB_WEBHOOK_SECRET")
                .doesNotContain("FIXGATE_GITHUB_APP_ID)");
    }

    @Test
    void anInvalidConfigFileIsReportedWithFileAndLine() throws Exception {
        Path config = dir.resolve("fixgate.yml");
        Files.writeString(config, "server:\n  prot: 80\n");
        Run r = run("--config", config.toString(), "audit", "verify");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(config + ":2:3: server.prot: unknown key 'prot'; did you mean 'port'?");
    }

    @Test
    void theHomeOptionWinsOverTheEnvironmentAndHoldsTheDatabase() {
        Path fromOption = dir.resolve("from-option");
        Run r = run(Map.of("FIXGATE_HOME", dir.resolve("from-env").toString()), "audit", "verify", "--home", fromOption.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("audit log intact: 0 entries");
        assertThat(fromOption.resolve("db/fixgate.mv.db")).exists();
        assertThat(dir.resolve("from-env")).doesNotExist();
    }

    @Test
    void ingestOfAMissingFileIsAUsageError() {
        Run r = run("ingest", "missing.json");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("missing.json: no such file");
    }

    @Test
    void anUnavailableDatabaseIsExitCodeThree() throws Exception {
        Path config = dir.resolve("pg.yml");
        Files.writeString(config, "database:\n  url: jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1\n  password: hunter2-secret\n");
        Run r = run("--config", config.toString(), "audit", "verify");
        assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("[store.unavailable]").doesNotContain("hunter2-secret");
    }

    @Test
    void serveWithAnUnreadablePrivateKeyIsAConfigurationErrorThatDoesNotQuoteIt() {
        String notAKey = "-----BEGIN RSA PRIVATE KEY-----\nTUlJRXBBSUJBQUtDQVFFQXZlcnlzZWNyZXQ=\n-----END RSA PRIVATE KEY-----";
        Run r = run(Map.of("FIXGATE_HOME", dir.toString(), "FIXGATE_GITHUB_APP_ID", "12",
                "FIXGATE_GITHUB_PRIVATE_KEY", notAKey, "FIXGATE_GITHUB_WEBHOOK_SECRET", "w".repeat(32)), "serve");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("GitHub App private key").doesNotContain("TUlJRXBB");
    }

    @Test
    void aStateDirectoryThatIsAFileIsAUsageErrorNotAnInternalOne() throws Exception {
        Path file = Files.writeString(dir.resolve("passwd"), "root:x:0:0\n");
        Run r = run(Map.of(), "audit", "verify", "--home", file.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(file + ": the state directory is not a directory").doesNotContain("internal error");
    }

    @Test
    void serveOnAPortInUseIsAUsageErrorFoundBeforeAnyWorkerRuns() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String pem = dev.fixgate.localgithub.LocalGitHub.pem(dev.fixgate.localgithub.LocalGitHub.generateAppKey().getPrivate());
            Run r = run(Map.of("FIXGATE_HOME", dir.resolve("home").toString(), "FIXGATE_GITHUB_APP_ID", "12",
                    "FIXGATE_GITHUB_API_URL", "http://127.0.0.1:9", "FIXGATE_GITHUB_PRIVATE_KEY", pem,
                    "FIXGATE_GITHUB_WEBHOOK_SECRET", "w".repeat(32)),
                    "serve", "--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the address is in use or not available").doesNotContain("internal error");
            assertThat(r.out()).doesNotContain("serving on");
        }
    }

    @Test
    void setupPrintsAManifestWithTheLeastPermissionsAndAOneClickPage() throws Exception {
        Run json = run("setup", "--url", "https://fixgate.example.com/", "--json");
        assertThat(json.exit()).isZero();
        var manifest = dev.fixgate.app.json.Json.mapper().readTree(json.out());
        assertThat(manifest.at("/hook_attributes/url").asText()).isEqualTo("https://fixgate.example.com/webhooks/github");
        assertThat(manifest.at("/default_permissions/contents").asText()).isEqualTo("write");
        assertThat(manifest.at("/default_permissions/statuses").asText()).isEqualTo("read");
        assertThat(manifest.at("/default_permissions").size()).isEqualTo(7);
        assertThat(manifest.get("default_events").toString()).contains("pull_request_review", "check_suite");

        Run page = run("setup", "--url", "https://fixgate.example.com", "--org", "acme");
        assertThat(page.out()).contains("action=\"https://github.com/organizations/acme/settings/apps/new\"",
                "name=\"manifest\"", "&quot;default_permissions&quot;");
        assertThat(run("setup", "--url", "not a url").exit()).isEqualTo(ExitCodes.USAGE);
    }
}
