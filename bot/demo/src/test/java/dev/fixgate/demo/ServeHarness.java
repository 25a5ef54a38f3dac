package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fixgate.app.cli.Main;
import dev.fixgate.app.store.Database;
import dev.fixgate.localgithub.BranchProtection;
import dev.fixgate.localgithub.Exchange;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * {@code fixgate serve} in its own JVM against the local GitHub holding the demo's repository, set up the way
 * {@link ServeEndToEndTest} does it, with files (a {@code fixgate.yml}, policies) written to its FIXGATE_HOME first.
 * Package-private test support for the serve end-to-end tests.
 */
final class ServeHarness implements AutoCloseable {

    static final long APP_ID = 9001;
    static final String SECRET = "serve-e2e-webhook-secret-0123456789";
    static final String API_TOKEN = "serve-e2e-api-token-0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path home;
    final LocalGitHub gh;
    /** Every REST request the local GitHub answered (serve's, and the test's own as {@code user:…}). */
    final List<Exchange> exchanges = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StringBuffer output = new StringBuffer();
    private Process serve;
    private final Map<String, String> env = new java.util.LinkedHashMap<>();
    private int port;
    private GHRepository repo;

    private ServeHarness(Path tmp) {
        this.home = tmp.resolve("home");
        this.gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")).withExchangeListener(exchanges::add));
    }

    /**
     * Writes {@code homeFiles} (path relative to FIXGATE_HOME → text) into FIXGATE_HOME, creates the local GitHub with
     * {@code acme/infra} (the demo's repository; alice admin, reviewer write, {@code ci} required on main), starts
     * serve and installs the App.
     */
    static ServeHarness start(Path tmp, Map<String, String> homeFiles) throws Exception {
        return start(tmp, homeFiles, Map.of());
    }

    /** As {@link #start(Path, Map)}, with more environment for serve (e.g. the AWS SDK's default credentials). */
    static ServeHarness start(Path tmp, Map<String, String> homeFiles, Map<String, String> env) throws Exception {
        return start(tmp, homeFiles, env, Map.of());
    }

    /**
     * As {@link #start(Path, Map, Map)}, with {@code repoFiles} (path → text) replacing or adding files of the demo's
     * repository in its initial commit (e.g. its {@code .github/fixgate.yml}).
     */
    static ServeHarness start(Path tmp, Map<String, String> homeFiles, Map<String, String> env,
                              Map<String, String> repoFiles) throws Exception {
        ServeHarness h = new ServeHarness(tmp);
        h.env.putAll(env);
        try {
            Files.createDirectories(h.home);
            for (Map.Entry<String, String> f : homeFiles.entrySet()) {
                Path p = h.home.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
            LocalGitHub gh = h.gh;
            gh.createOrg("acme");
            gh.createUser("alice");
            gh.createUser("reviewer");
            Map<String, String> files = new LinkedHashMap<>(DemoLoop.repoFiles());
            files.putAll(repoFiles);
            gh.createRepo("acme", "infra", "main", files);
            gh.addCollaborator("acme", "infra", "alice", "admin");
            gh.addCollaborator("acme", "infra", "reviewer", "write");
            gh.protectBranch("acme", "infra", "main", new BranchProtection(List.of("ci"), false, 0, false));
            KeyPair key = LocalGitHub.generateAppKey();
            h.port = h.startServe(LocalGitHub.pem(key.getPrivate()));
            gh.registerApp(APP_ID, "fixgate", key.getPublic(), "http://127.0.0.1:" + h.port + "/webhooks/github", SECRET);
            gh.installApp(APP_ID, "acme");
            GitHub alice = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor("alice")).build();
            h.repo = alice.getRepository("acme/infra");
            return h;
        } catch (Exception | Error e) {
            h.close();
            throw e;
        }
    }

    /** Pushes the demo's Security Hub findings to {@code POST /api/v1/findings}. */
    void pushSecurityHubFindings() throws Exception {
        byte[] findings;
        try (InputStream in = DemoLoop.resource("findings/01-securityhub.asff.json")) {
            findings = in.readAllBytes();
        }
        pushFindings(findings);
    }

    /** The demo's Security Hub findings as JSON, to change and push again ({@link #pushFindings}). */
    static com.fasterxml.jackson.databind.node.ObjectNode securityHubFindings() throws Exception {
        try (InputStream in = DemoLoop.resource("findings/01-securityhub.asff.json")) {
            return (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(in);
        }
    }

    /** Pushes {@code findings} (any format ingest detects) to {@code POST /api/v1/findings}. */
    void pushFindings(byte[] findings) throws Exception {
        HttpResponse<String> pushed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/findings"))
                .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(findings)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
    }

    /**
     * Pushes the demo's Security Hub findings as an EventBridge API destination does: one {@code Security Hub Findings
     * - Imported} event (the envelope as EventBridge sends it, the findings under {@code detail.findings}) with the
     * connection's API key header.
     */
    void pushSecurityHubFindingsAsEventBridge() throws Exception {
        com.fasterxml.jackson.databind.JsonNode batch;
        try (InputStream in = DemoLoop.resource("findings/01-securityhub.asff.json")) {
            batch = JSON.readTree(in);
        }
        com.fasterxml.jackson.databind.node.ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", java.util.UUID.randomUUID().toString());
        event.put("detail-type", "Security Hub Findings - Imported");
        event.put("source", "aws.securityhub");
        event.put("account", "111111111111");
        event.put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", "us-east-1");
        com.fasterxml.jackson.databind.node.ArrayNode resources = event.putArray("resources");
        batch.path("Findings").forEach(f -> resources.add(f.path("Id").asText()));
        event.putObject("detail").set("findings", batch.path("Findings"));
        HttpResponse<String> pushed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/findings"))
                .header("Authorization", "Bearer " + API_TOKEN)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Amazon/EventBridge/ApiDestinations")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(event))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        assertThat(pushed.body()).contains("\"findings\":" + batch.path("Findings").size());
    }

    GHRepository repo() {
        return repo;
    }

    /** Everything serve printed so far (logs included). */
    String output() {
        return output.toString();
    }

    /** fixgate's pull requests in any state. */
    List<GHPullRequest> fixgatePullRequests() throws Exception {
        return repo.queryPullRequests().state(GHIssueState.ALL).list().toList().stream()
                .filter(pr -> pr.getHead().getRef().startsWith("fixgate/")).toList();
    }

    /** The open pull request whose head branch starts with {@code branchPrefix}, if any. */
    Optional<GHPullRequest> openPullRequest(String branchPrefix) throws Exception {
        return repo.queryPullRequests().state(GHIssueState.OPEN).list().toList().stream()
                .filter(pr -> pr.getHead().getRef().startsWith(branchPrefix)).findFirst();
    }

    /** Waits for the open pull request on {@code branchPrefix} carrying fixgate's {@code fixgate/safety} check run. */
    GHPullRequest awaitPullRequest(String branchPrefix) {
        AtomicReference<GHPullRequest> found = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Optional<GHPullRequest> pr = openPullRequest(branchPrefix);
            assertThat(pr).as("an open pull request on %s; fixgate's: %s; issues: %s%n%s", branchPrefix, branches(),
                    issueTitles(), output()).isPresent();
            assertThat(safety(pr.get())).as("fixgate/safety on #" + pr.get().getNumber()).isPresent();
            found.set(pr.get());
        });
        return found.get();
    }

    /** Open issues (not pull requests) whose title starts with {@code titlePrefix}. */
    List<GHIssue> issues(String titlePrefix) throws Exception {
        return repo.getIssues(GHIssueState.OPEN).stream().filter(i -> !i.isPullRequest())
                .filter(i -> i.getTitle().startsWith(titlePrefix)).toList();
    }

    GHIssue awaitIssue(String titlePrefix) {
        AtomicReference<GHIssue> found = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<GHIssue> issues = issues(titlePrefix);
            assertThat(issues).as("an issue '%s...'; issues: %s; fixgate's pull requests: %s%n%s", titlePrefix,
                    issueTitles(), branches(), output()).isNotEmpty();
            found.set(issues.getFirst());
        });
        return found.get();
    }

    private List<String> branches() throws Exception {
        return fixgatePullRequests().stream().map(pr -> "#" + pr.getNumber() + " " + pr.getHead().getRef()).toList();
    }

    private List<String> issueTitles() throws Exception {
        return repo.getIssues(GHIssueState.OPEN).stream().filter(i -> !i.isPullRequest()).map(GHIssue::getTitle).toList();
    }

    /** fixgate's {@code fixgate/safety} check run on the pull request's head. */
    Optional<GHCheckRun> safety(GHPullRequest pr) throws Exception {
        return repo.getCheckRuns(pr.getHead().getSha()).toList().stream()
                .filter(r -> r.getName().equals("fixgate/safety")).findFirst();
    }

    /**
     * Reports a green {@code ci} on the pull request's head and waits until serve has handled every webhook that
     * caused: the deliveries answered, every job queued since done (serve's {@code jobs} table, read through H2's
     * AUTO_SERVER while serve runs), and a merge evaluated for {@code pr} (its "merge decision" log line).
     */
    void greenCiAndAwaitMergeDecision(GHPullRequest pr) throws Exception {
        int from = output.length();
        long watermark = query("SELECT COALESCE(MAX(id), 0) AS id FROM jobs").getFirst().get("id") instanceof String id
                ? Long.parseLong(id) : 0;
        gh.ci("acme", "infra").checkRun(pr.getHead().getSha(), "ci", true);
        gh.awaitDeliveries();
        Pattern decided = Pattern.compile("merge decision .*pull_request=\"?" + pr.getNumber() + "\"?(\\s|$)",
                Pattern.MULTILINE);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            // a job scheduled for later (verification's next look, an hour on) is not work the green CI caused now
            List<Map<String, Object>> jobs = query("SELECT id, kind, status FROM jobs WHERE id > " + watermark
                    + " AND NOT (status = 'QUEUED' AND run_after > DATEADD('SECOND', 60, CURRENT_TIMESTAMP))");
            assertThat(jobs).as("jobs since the green CI").isNotEmpty()
                    .allSatisfy(j -> assertThat(j.get("status")).isIn("DONE", "DEAD"));
            assertThat(decided.matcher(output.substring(from)).find()).as("merge of #" + pr.getNumber() + " evaluated")
                    .isTrue();
        });
    }

    boolean merged(GHPullRequest pr) throws Exception {
        return repo.getPullRequest(pr.getNumber()).isMerged();
    }

    void awaitMerged(GHPullRequest pr) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(merged(pr)).as(output()).isTrue());
    }

    /** SIGTERM, then waits for serve to end; its output must not carry a secret. */
    void stopServe() throws Exception {
        serve.destroy(); // SIGTERM: the shutdown hook closes the server and the workers
        assertThat(serve.waitFor(45, TimeUnit.SECONDS)).as("serve ends on SIGTERM").isTrue();
        assertThat(output()).doesNotContain(SECRET).doesNotContain(API_TOKEN).doesNotContain("BEGIN");
    }

    /** {@code fixgate audit log --json} run in this JVM on the same FIXGATE_HOME: the entries, newest first. */
    List<JsonNode> auditLog() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"audit", "log", "--json", "--limit", "10000"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("FIXGATE_HOME", home.toString()), home, Clock.systemUTC());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<JsonNode> entries = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList()) {
            entries.add(JSON.readTree(line));
        }
        return entries;
    }

    /** Every row of {@code gate_decisions} in the embedded database under FIXGATE_HOME, oldest first. */
    List<Map<String, Object>> gateDecisions() throws Exception {
        return query("SELECT * FROM gate_decisions ORDER BY id");
    }

    /** Rows of {@code sql} on the embedded database under FIXGATE_HOME, every column as text. */
    List<Map<String, Object>> query(String sql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(Database.embeddedUrl(home), "", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    public void close() throws Exception {
        try {
            if (serve != null && serve.isAlive()) {
                serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            gh.close();
        }
    }

    /** Starts {@code fixgate serve} in its own JVM on a free port and returns the port it printed. */
    private int startServe(String pem) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--bind", "127.0.0.1", "--port", "0");
        Map<String, String> env = pb.environment();
        env.put("FIXGATE_HOME", home.toString());
        env.put("FIXGATE_GITHUB_API_URL", gh.apiUrl());
        env.put("FIXGATE_GITHUB_APP_ID", Long.toString(APP_ID));
        env.put("FIXGATE_GITHUB_PRIVATE_KEY", pem);
        env.put("FIXGATE_GITHUB_WEBHOOK_SECRET", SECRET);
        env.put("FIXGATE_API_TOKEN", API_TOKEN);
        env.putAll(this.env);
        pb.redirectErrorStream(true);
        serve = pb.start();
        Process started = serve;
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Pattern serving = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher m = serving.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException("serve exited before serving:\n" + output));
        });
        // Generous: on a CI machine shared with other builds a JVM start and a migration can take a minute.
        return listening.get(180, TimeUnit.SECONDS);
    }
}
