package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fixgate.localgithub.BranchProtection;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.fixgate.app.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * {@code fixgate serve} as an operator runs it: a separate JVM configured only through its environment, against
 * the local GitHub. Findings pushed to the API become pull requests without anything else driving the loop,
 * and a scripted approval plus green CI merge one through signed webhooks. SIGTERM ends it cleanly.
 */
class ServeEndToEndTest {

    private static final long APP_ID = 9001;
    private static final String SECRET = "serve-e2e-webhook-secret-0123456789";
    private static final String API_TOKEN = "serve-e2e-api-token-0123456789abcdef";

    @TempDir
    Path tmp;

    private LocalGitHub gh;
    private Process serve;
    private final StringBuffer output = new StringBuffer();

    @AfterEach
    void stop() throws Exception {
        if (serve != null && serve.isAlive()) {
            serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (gh != null) {
            gh.close();
        }
    }

    @Test
    void findingsPushedToServeBecomePullRequestsAndAnApprovedOneMerges() throws Exception {
        gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")));
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createUser("reviewer");
        gh.createRepo("acme", "infra", "main", DemoLoop.repoFiles());
        gh.addCollaborator("acme", "infra", "alice", "admin");
        gh.addCollaborator("acme", "infra", "reviewer", "write");
        gh.protectBranch("acme", "infra", "main", new BranchProtection(List.of("ci"), false, 0, false));
        KeyPair key = LocalGitHub.generateAppKey();

        int port = startServe(LocalGitHub.pem(key.getPrivate()));
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), "http://127.0.0.1:" + port + "/webhooks/github", SECRET);
        gh.installApp(APP_ID, "acme");

        byte[] findings;
        try (InputStream in = DemoLoop.resource("findings/01-securityhub.asff.json")) {
            findings = in.readAllBytes();
        }
        HttpResponse<String> pushed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/findings"))
                .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(findings)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);

        GitHub alice = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor("alice")).build();
        GHRepository repo = alice.getRepository("acme/infra");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<GHPullRequest> open = repo.queryPullRequests().state(GHIssueState.OPEN).list().toList();
            assertThat(open).as(output.toString()).hasSize(2)
                    .allSatisfy(pr -> assertThat(pr.getHead().getRef()).startsWith("fixgate/"));
            for (GHPullRequest pr : open) {
                assertThat(repo.getCheckRuns(pr.getHead().getSha()).toList())
                        .anySatisfy(r -> assertThat(r.getName()).isEqualTo("fixgate/safety"));
            }
        });
        // Versioning is SAFE by its playbook: green CI is enough. HTTPS-only needs traffic evidence that serve
        // does not collect yet, so it is RISKY: it waits for an approval.
        GHPullRequest versioning = pullRequest(repo, "fixgate/aws.s3.bucket.versioning/");
        GHPullRequest httpsOnly = pullRequest(repo, "fixgate/aws.s3.bucket.ssl_requests_only/");
        assertThat(safety(repo, httpsOnly)).isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED);
        assertThat(safety(repo, versioning)).isEqualTo(GHCheckRun.Conclusion.SUCCESS);

        gh.ci("acme", "infra").checkRun(versioning.getHead().getSha(), "ci", true);
        gh.ci("acme", "infra").checkRun(httpsOnly.getHead().getSha(), "ci", true);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(repo.getPullRequest(versioning.getNumber()).isMerged())
                        .as(output.toString()).isTrue());
        assertThat(repo.getPullRequest(httpsOnly.getNumber()).isMerged()).as("RISKY waits for a person").isFalse();

        gh.as("reviewer").approve("acme", "infra", httpsOnly.getNumber(), "No plain-HTTP clients left.");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(repo.getPullRequest(httpsOnly.getNumber()).isMerged())
                        .as(output.toString()).isTrue());
        assertThat(repo.getCommit(repo.getBranch("main").getSHA1()).getCommitShortInfo().getMessage())
                .contains("Fixgate-Control: aws.s3.bucket.ssl_requests_only").contains("Fixgate-Approved-By: reviewer");

        serve.destroy(); // SIGTERM: the shutdown hook closes the server and the workers
        assertThat(serve.waitFor(45, TimeUnit.SECONDS)).isTrue();
        assertThat(output.toString()).doesNotContain(SECRET).doesNotContain(API_TOKEN).doesNotContain("BEGIN");
    }

    private static GHPullRequest pullRequest(GHRepository repo, String branchPrefix) throws Exception {
        return repo.queryPullRequests().state(GHIssueState.OPEN).list().toList().stream()
                .filter(pr -> pr.getHead().getRef().startsWith(branchPrefix)).findFirst().orElseThrow();
    }

    private static GHCheckRun.Conclusion safety(GHRepository repo, GHPullRequest pr) throws Exception {
        return repo.getCheckRuns(pr.getHead().getSha()).toList().stream()
                .filter(r -> r.getName().equals("fixgate/safety")).findFirst().orElseThrow().getConclusion();
    }

    /** Starts {@code fixgate serve} in its own JVM on a free port and returns the port it printed. */
    private int startServe(String pem) throws Exception {
        Path home = tmp.resolve("home");
        Files.createDirectories(home);
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
        pb.redirectErrorStream(true);
        serve = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Pattern serving = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher m = serving.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("serve exited before serving:\n" + output));
        });
        return port.get(60, TimeUnit.SECONDS);
    }
}
