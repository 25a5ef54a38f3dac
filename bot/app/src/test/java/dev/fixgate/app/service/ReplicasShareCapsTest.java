package dev.fixgate.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * Two {@code fixgate serve} processes on one PostgreSQL database, one local GitHub, six repositories that allow one
 * open pull request each ({@code caps.max_open_pull_requests: 1}) and three fixable initiatives per repository (a
 * control on each of three buckets).
 * Both replicas run the shared queue; a sampler watches every repository's open pull requests throughout. No
 * repository ever has two open (the delivery lock is a row on the database, not a lock in one JVM), each ends with
 * exactly one, and the others wait for the cap with the reason in their job — none is lost or run twice.
 */
class ReplicasShareCapsTest {

    private static final long APP_ID = 2020;
    private static final String API_TOKEN = "replicas-api-token-0123456789abcdef";
    private static final int REPOS = 6;
    private static final List<String> CONTROLS = List.of("aws.s3.bucket.versioning", "aws.s3.bucket.default_encryption",
            "aws.s3.bucket.ssl_requests_only");

    @TempDir
    Path tmp;

    @Test
    void twoReplicasOnOneDatabaseNeverOpenMoreThanTheCap() throws Exception {
        String url = TestDb.freshPostgresUrl();
        try (LocalGitHub gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")))) {
            gh.createOrg("acme");
            gh.createUser("alice");
            for (int r = 0; r < REPOS; r++) {
                StringBuilder tf = new StringBuilder();
                for (int b = 0; b < CONTROLS.size(); b++) {
                    tf.append("resource \"aws_s3_bucket\" \"b").append(b).append("\" {\n  bucket = \"acme-r").append(r)
                            .append("-").append(b).append("\"\n}\n\n");
                }
                gh.createRepo("acme", "r" + r, "main", Map.of("main.tf", tf.toString(),
                        ".github/fixgate.yml", "mode: autonomous\ncaps: {max_open_pull_requests: 1}\n"));
            }
            KeyPair key = LocalGitHub.generateAppKey();
            Map<String, String> env = new HashMap<>(Map.of(
                    "FIXGATE_DATABASE_URL", url, "FIXGATE_DATABASE_USERNAME", "postgres",
                    "FIXGATE_GITHUB_API_URL", gh.apiUrl(), "FIXGATE_GITHUB_APP_ID", Long.toString(APP_ID),
                    "FIXGATE_GITHUB_PRIVATE_KEY", LocalGitHub.pem(key.getPrivate()), "FIXGATE_API_TOKEN", API_TOKEN));
            try (ServeProcess a = ServeProcess.start(tmp.resolve("a"), env, "-Xmx384m");
                 ServeProcess b = ServeProcess.start(tmp.resolve("b"), env, "-Xmx384m")) {
                gh.registerApp(APP_ID, "fixgate", key.getPublic(), "http://127.0.0.1:" + a.port() + "/webhooks/github",
                        ServeProcess.WEBHOOK_SECRET);
                gh.installApp(APP_ID, "acme");
                GitHub alice = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor("alice")).build();
                Map<String, Integer> most = new ConcurrentHashMap<>();
                AtomicBoolean sampling = new AtomicBoolean(true);
                Thread sampler = Thread.ofVirtual().start(() -> {
                    while (sampling.get()) {
                        for (int r = 0; r < REPOS; r++) {
                            try {
                                int open = alice.getRepository("acme/r" + r).queryPullRequests().state(GHIssueState.OPEN)
                                        .list().toList().size();
                                most.merge("acme/r" + r, open, Math::max);
                            } catch (Exception e) {
                                // a sample lost is only a sample
                            }
                        }
                    }
                });

                // The findings go to one replica; the work is spread over both by the shared queue.
                HttpResponse<String> pushed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + b.port() + "/api/v1/findings"))
                        .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(findings())).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);

                try (Database db = Database.open(url, "postgres", Secret.none(), 2)) {
                    // Settled: nothing runs or is due; every delivery is done or waits for the cap.
                    try {
                        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> settled(db));
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        throw new AssertionError("not settled: " + db.withConnection(c -> dev.fixgate.app.store.SqlAccess
                                .strings(c, "SELECT kind || ' ' || status || ' ' || attempts || ' ' || last_error FROM jobs"))
                                + "\nreplica a:\n" + tail(a.output()) + "\nreplica b:\n" + tail(b.output()), e);
                    }
                    sampling.set(false);
                    sampler.join();
                    List<String> waiting = db.withConnection(c -> dev.fixgate.app.store.SqlAccess.strings(c,
                            "SELECT last_error FROM jobs WHERE kind = 'fixgate.deliver' AND status = 'QUEUED'"));
                    assertThat(waiting).hasSize(REPOS * (CONTROLS.size() - 1))
                            .allSatisfy(e -> assertThat(e).contains("caps.max_open_pull_requests = 1"));
                    List<String> workers = db.withConnection(c -> dev.fixgate.app.store.SqlAccess.strings(c,
                            "SELECT DISTINCT locked_by FROM jobs WHERE locked_by IS NOT NULL"));
                    assertThat(workers).isEmpty();
                }
                for (int r = 0; r < REPOS; r++) {
                    assertThat(alice.getRepository("acme/r" + r).queryPullRequests().state(GHIssueState.OPEN).list()
                            .toList()).as("open pull requests in acme/r%d", r).hasSize(1);
                }
                assertThat(most).hasSize(REPOS).allSatisfy((repo, open) ->
                        assertThat(open).as("most open pull requests ever seen in %s", repo).isLessThanOrEqualTo(1));
                assertThat(a.output() + b.output()).contains("delivered");
            }
        }
    }

    private static String tail(String output) {
        return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
    }

    private static boolean settled(Database db) {
        return db.withConnection(c -> {
            long remediate = dev.fixgate.app.store.SqlAccess.count(c,
                    "jobs WHERE kind = 'fixgate.remediate' AND status <> 'DONE'");
            long running = dev.fixgate.app.store.SqlAccess.count(c, "jobs WHERE status = 'RUNNING'");
            long delivered = dev.fixgate.app.store.SqlAccess.count(c,
                    "jobs WHERE kind = 'fixgate.deliver' AND status = 'DONE'");
            long waiting = dev.fixgate.app.store.SqlAccess.count(c,
                    "jobs WHERE kind = 'fixgate.deliver' AND status = 'QUEUED' AND last_error LIKE '%max_open_pull_requests%'");
            return remediate == 0 && running == 0 && delivered == REPOS && waiting == REPOS * (CONTROLS.size() - 1);
        });
    }

    private static String findings() {
        StringBuilder sb = new StringBuilder("{\"schema\":\"fixgate/findings/v1\",\"tool\":\"checkov\",\"findings\":[");
        List<String> items = new ArrayList<>();
        for (int r = 0; r < REPOS; r++) {
            for (int b = 0; b < CONTROLS.size(); b++) {
                // a control per bucket: three initiatives in the repository, on three resources
                items.add("{\"control\":\"" + CONTROLS.get(b) + "\",\"severity\":\"medium\",\"code\":{\"repo\":\"acme/r"
                        + r + "\",\"path\":\"main.tf\",\"address\":\"aws_s3_bucket.b" + b
                        + "\",\"type\":\"aws_s3_bucket\",\"line\":1}}");
            }
        }
        return sb.append(String.join(",", items)).append("]}").toString();
    }
}
