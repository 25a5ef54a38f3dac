package dev.fixgate.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.config.ServiceConfigLoader;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.group.IngestSummary;
import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.redact.SecretSamples;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.localgithub.Exchange;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A secret of every kind the rule set knows — generated from each rule's own pattern — in the titles, ids and
 * resource names of findings (and in a description, which the format does not keep), ingested by the service as
 * serve assembles it and taken through remediation to a pull request and an issue on a local GitHub. Then every
 * request fixgate sent to GitHub, every log line (rendered as in production, at DEBUG), and every cell of every table
 * is searched: none holds any of the secrets.
 */
class SecretsNeverPublishedTest {

    private static final long APP_ID = 1818;
    private static final String MAIN_TF = "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-data\"\n}\n";

    @TempDir
    Path tmp;

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger fixgate = context.getLogger("dev.fixgate");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level before;
    private LocalGitHub gh;
    private Database db;

    @BeforeEach
    void capture() {
        before = fixgate.getLevel();
        fixgate.setLevel(Level.DEBUG);
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        fixgate.setLevel(before);
        if (gh != null) {
            gh.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void noSecretOfAnyRuleReachesAPullRequestAnIssueALogLineOrATable() throws Exception {
        Map<String, Map.Entry<String, String>> samples = SecretSamples.everyRule(18);
        assertThat(SecretSamples.ruleIds()).allSatisfy(id -> assertThat(samples).as("a sample for " + id).containsKey(id));
        List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")).withExchangeListener(exchanges::add));
        gh.createOrg("acme");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", MAIN_TF, ".github/fixgate.yml", "mode: autonomous\n"));
        gh.createRepo("acme", "infra-owners", "main", Map.of("main.tf", MAIN_TF.replace("\"data\"", "\"denied\""),
                ".github/fixgate.yml", "mode: autonomous\n"));
        KeyPair key = LocalGitHub.generateAppKey();
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), null, null);
        gh.installApp(APP_ID, "acme");
        Clock clock = Clock.systemUTC();
        GitHubClients clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
        db = TestDb.H2.fresh();
        List<PullRequestDelivery.Outcome> delivered = new CopyOnWriteArrayList<>();

        // A user policy denies the fix in acme/infra-owners, so that one becomes an issue for the owners.
        java.nio.file.Files.createDirectories(tmp.resolve("policies"));
        java.nio.file.Files.writeString(tmp.resolve("policies/deny.yaml"), """
                policies:
                  - id: test.deny-owners-bucket
                    description: The owners fix this one themselves.
                    condition: 'input.resource.address == "aws_s3_bucket.denied"'
                    effect: deny
                    message: the owners fix this bucket themselves
                """);
        // no scheduled re-assessment: the test waits for an empty queue, and that job is always waiting for its time
        java.nio.file.Files.writeString(tmp.resolve("fixgate.yml"),
                "policies: {directories: [policies]}\nevidence: {reassess_every_minutes: 0}\n");
        IngestSummary summary;
        try (FixgateService service = FixgateService.from(ServiceConfigLoader.load(Optional.of(tmp.resolve("fixgate.yml")),
                        tmp, Map.of()), db, clock)
                .github(clients, APP_ID, "fixgate[bot]", Secret.of("unused-webhook-secret-0123456789"))
                .workDir(tmp.resolve("work"))
                .workers(WorkerSettings.defaults(2).withPollInterval(Duration.ofMillis(50)))
                .onDelivered(delivered::add)
                .build().start()) {
            byte[] findings = findings(samples);
            summary = service.intake().run(List.of(() -> Input.of("leaky.json", new ByteArrayInputStream(findings))),
                    Optional.empty(), "test", b -> { });
            JobQueue queue = new JobQueue(db);
            // queued and due: serve's schedules (the re-assessment of open fixes) wait for their next slot
            await().atMost(Duration.ofSeconds(120)).until(() -> delivered.size() >= 2
                    && queue.list(Optional.of(JobQueue.Status.QUEUED), 1000).stream()
                            .noneMatch(j -> !j.runAfter().isAfter(java.time.Instant.now()))
                    && queue.counts().get(JobQueue.Status.RUNNING) == 0);
        }

        assertThat(summary.records()).isGreaterThan(samples.size());
        assertThat(delivered).hasAtLeastOneElementOfType(PullRequestDelivery.Outcome.PullRequestOpened.class)
                .hasAtLeastOneElementOfType(PullRequestDelivery.Outcome.IssueOpened.class);
        String toGitHub = exchanges.stream().map(e -> e.requestBody() + "\n" + unescaped(e.requestBody()))
                .collect(Collectors.joining("\n"));
        String logs = rendered();
        String tables = tables();
        String summaryJson = Json.write(summary);
        assertThat(toGitHub).contains("Versioning", "[REDACTED:"); // the pull request and issue are there, redacted
        assertThat(tables).contains("[REDACTED:");
        samples.forEach((rule, sample) -> {
            String secret = sample.getValue();
            assertThat(toGitHub).as("%s secret sent to GitHub", rule).doesNotContain(secret);
            assertThat(logs).as("%s secret in a log line", rule).doesNotContain(secret);
            assertThat(tables).as("%s secret in a table", rule).doesNotContain(secret);
            assertThat(summaryJson).as("%s secret in the ingest summary", rule).doesNotContain(secret)
                    .doesNotContain(Json.write(secret).substring(1, Json.write(secret).length() - 1));
        });
    }

    /**
     * Per sample: a code finding in each repository (title and id carry it; the same resource, so one finding with
     * many sightings, fixed by a pull request in one and, denied by a user policy, reported as an issue in the other) and a cloud finding
     * whose resource name carries it (nowhere to be found: its remediation reports it as a problem, in the log).
     */
    private static byte[] findings(Map<String, Map.Entry<String, String>> samples) {
        ObjectNode doc = Json.mapper().createObjectNode().put("schema", "fixgate/findings/v1").put("tool", "leaky-scanner");
        ArrayNode list = doc.putArray("findings");
        int n = 0;
        for (Map.Entry<String, String> s : samples.values()) {
            String text = s.getKey();
            for (String repo : List.of("acme/infra", "acme/infra-owners")) {
                ObjectNode f = list.addObject().put("id", "id: " + text + " " + n++).put("control", "aws.s3.bucket.versioning")
                        .put("severity", "medium").put("title", "Versioning disabled: " + text + " (see notes)");
                f.putObject("code").put("repo", repo).put("path", "main.tf")
                        .put("address", repo.endsWith("owners") ? "aws_s3_bucket.denied" : "aws_s3_bucket.data")
                        .put("type", "aws_s3_bucket").put("line", 1);
            }
            ObjectNode cloud = list.addObject().put("id", "cloud " + n++).put("control", "aws.s3.bucket.versioning")
                    .put("severity", "low").put("title", "Bucket " + text + " has no versioning");
            cloud.putObject("resource").put("cloud", "aws").put("account", "111111111111").put("region", "us-east-1")
                    .put("type", "AwsS3Bucket").put("id", "acme " + text + " logs");
        }
        // A member the format does not know (a tool's description) is rejected, with its place, but never echoed.
        list.addObject().put("control", "aws.s3.bucket.versioning").put("severity", "low")
                .put("description", "holds " + samples.values().iterator().next().getKey() + " too")
                .putObject("code").put("repo", "acme/infra").put("path", "main.tf").put("address", "aws_s3_bucket.data");
        return Json.write(doc).getBytes(StandardCharsets.UTF_8);
    }

    private static String unescaped(String json) {
        try {
            return Json.mapper().readTree(json).toString().replace("\\\"", "\"").replace("\\\\", "\\");
        } catch (Exception e) {
            return json;
        }
    }

    private String rendered() {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%logger %msg %kvp%n%rex");
        layout.start();
        return captured.list.stream().map(layout::doLayout).collect(Collectors.joining());
    }

    /** Every cell of every table, one per line. */
    private String tables() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if ("public".equalsIgnoreCase(schema)) {
                        names.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            assertThat(names).contains("findings", "finding_sightings", "jobs", "remediations", "audit_log");
            for (String table : names) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            String v = rs.getString(i);
                            if (v != null) {
                                out.append(v).append('\n').append(unescaped(v)).append('\n');
                            }
                        }
                    }
                }
            }
        }
        return out.toString();
    }
}
