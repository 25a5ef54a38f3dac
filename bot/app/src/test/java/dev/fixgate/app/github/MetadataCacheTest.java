package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.app.config.Secret;
import dev.fixgate.localgithub.Exchange;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/** The installation clients' cache, counted at the local GitHub: what it keeps, for how long, and what drops it. */
class MetadataCacheTest {

    private static final long APP_ID = 77;

    @TempDir
    Path tmp;

    private final List<Exchange> seen = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.now());
    private LocalGitHub gh;
    private GitHubClients clients;
    private long installation;

    @BeforeEach
    void start() {
        gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")).withExchangeListener(seen::add));
        gh.createOrg("acme");
        gh.createRepo("acme", "infra", "main", Map.of(".github/fixgate.yml", "mode: autonomous\n", "main.tf", "\n"));
        gh.createRepo("acme", "web", "main", Map.of("main.tf", "\n"));
        KeyPair key = LocalGitHub.generateAppKey();
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), "http://127.0.0.1:9/none", "secret-0123456789abcdef");
        installation = gh.installApp(APP_ID, "acme");
        clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
    }

    @AfterEach
    void stop() {
        if (gh != null) {
            gh.close();
        }
    }

    private long requests(String method, String path) {
        return seen.stream().filter(e -> e.method().equals(method) && e.path().equals(path)).count();
    }

    @Test
    void aRepositoryIsReadOnceAMinute() throws Exception {
        GitHub github = clients.installation(installation);
        GHRepository first = github.getRepository("acme/infra");
        GHRepository again = github.getRepository("acme/infra");
        assertThat(again.getFullName()).isEqualTo(first.getFullName());
        assertThat(again.getDefaultBranch()).isEqualTo("main");
        assertThat(requests("GET", "/repos/acme/infra")).isEqualTo(1);

        clock.advance(MetadataCache.MAX_AGE);
        github.getRepository("acme/infra");
        assertThat(requests("GET", "/repos/acme/infra")).as("expired after a minute").isEqualTo(2);
        github.getRepository("acme/web");
        assertThat(requests("GET", "/repos/acme/web")).as("each repository its own entry").isEqualTo(1);
    }

    @Test
    void aMissingRepositoryIsAskedForAgain() throws Exception {
        GitHub github = clients.installation(installation);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> github.getRepository("acme/.github")).isInstanceOf(FileNotFoundException.class);
        }
        assertThat(requests("GET", "/repos/acme/.github")).as("created a moment later, it is seen").isEqualTo(2);
    }

    @Test
    void configurationPullRequestsAndFilesAreAlwaysReadFresh() throws Exception {
        GHRepository repo = clients.installation(installation).getRepository("acme/infra");
        for (int i = 0; i < 2; i++) {
            repo.queryPullRequests().state(GHIssueState.OPEN).list().toList();
            read(repo, "main.tf");
            read(repo, ".github/fixgate.yml");
        }
        assertThat(clients.installation(installation).getInstallation().listRepositories().toList())
                .extracting(GHRepository::getFullName).containsExactlyInAnyOrder("acme/infra", "acme/web");
        assertThat(clients.installation(installation).getInstallation().listRepositories().toList())
                .extracting(GHRepository::getFullName).containsExactlyInAnyOrder("acme/infra", "acme/web");
        assertThat(seen.stream().filter(e -> e.path().equals("/installation/repositories")))
                .as("the listing is asked for again, conditionally").extracting(Exchange::status).containsExactly(200, 304);
        assertThat(requests("GET", "/repos/acme/infra/pulls")).isEqualTo(2);
        assertThat(requests("GET", "/repos/acme/infra/contents/main.tf")).isEqualTo(2);
        assertThat(requests("GET", "/repos/acme/infra/contents/.github/fixgate.yml")).isEqualTo(2);
        assertThat(requests("GET", "/installation/repositories")).isEqualTo(2);
    }

    @Test
    void aFileIsAskedForEveryTimeAndAnUnchangedOneIsANotModifiedFromTheCopy() throws Exception {
        GHRepository repo = clients.installation(installation).getRepository("acme/infra");
        assertThat(read(repo, ".github/fixgate.yml")).isEqualTo("mode: autonomous\n");
        assertThat(read(repo, ".github/fixgate.yml")).isEqualTo("mode: autonomous\n");
        List<Exchange> reads = seen.stream().filter(e -> e.path().equals("/repos/acme/infra/contents/.github/fixgate.yml")
                && e.actor().startsWith("installation:")).toList();
        assertThat(reads).extracting(Exchange::status).containsExactly(200, 304);

        // a person changes the file: the next read has it
        GitHub alice = new org.kohsuke.github.GitHubBuilder().withEndpoint(gh.apiUrl())
                .withOAuthToken(tokenOf("alice")).build();
        gh.addCollaborator("acme", "infra", "alice", "write");
        GHRepository asAlice = alice.getRepository("acme/infra");
        asAlice.createContent().path(".github/fixgate.yml").content("mode: detect\n").message("report only")
                .branch("main").sha(asAlice.getFileContent(".github/fixgate.yml", "main").getSha()).commit();
        assertThat(read(repo, ".github/fixgate.yml")).isEqualTo("mode: detect\n");
        assertThat(read(repo, ".github/fixgate.yml")).isEqualTo("mode: detect\n");
        reads = seen.stream().filter(e -> e.path().equals("/repos/acme/infra/contents/.github/fixgate.yml")
                && e.actor().startsWith("installation:")).toList();
        assertThat(reads).extracting(Exchange::status).containsExactly(200, 304, 200, 304);
    }

    @Test
    void aFileGoneIsPassedOnAndItsCopyDropped() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        int[] status = {200};
        GitHubConnector github = request -> {
            asked.add(String.valueOf(request.header("If-None-Match")));
            boolean same = "\"v1\"".equals(request.header("If-None-Match"));
            int answer = status[0] == 200 && same ? 304 : status[0];
            return new Bytes(request, answer, answer == 200 ? Map.of("ETag", List.of("\"v1\"")) : Map.of(),
                    answer == 200 ? "{\"content\":\"x\"}".getBytes(StandardCharsets.UTF_8) : new byte[0]);
        };
        MetadataCache cache = new MetadataCache(github, clock, "");
        GitHubConnectorRequest file = get("https://api.example/repos/acme/infra/contents/CODEOWNERS?ref=main");
        for (int i = 0; i < 2; i++) {
            try (GitHubConnectorResponse r = cache.send(file)) {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(new String(r.bodyStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"content\":\"x\"}");
            }
        }
        status[0] = 404;
        try (GitHubConnectorResponse r = cache.send(file)) {
            assertThat(r.statusCode()).isEqualTo(404);
        }
        status[0] = 200;
        cache.send(file).close();
        assertThat(asked).containsExactly("null", "\"v1\"", "\"v1\"", "null");
    }

    @Test
    void installationsDoNotShareAnswers() throws Exception {
        gh.createOrg("globex");
        gh.createRepo("globex", "infra", "main", Map.of("main.tf", "\n"));
        long other = gh.installApp(APP_ID, "globex");
        clients.installation(installation).getRepository("acme/infra");
        assertThatThrownBy(() -> clients.installation(other).getRepository("acme/infra"))
                .as("not visible to the other installation, cached or not").isInstanceOf(FileNotFoundException.class);
        assertThat(requests("GET", "/repos/acme/infra")).isEqualTo(2);
    }

    private String tokenOf(String login) {
        gh.createUser(login);
        return gh.tokenFor(login);
    }

    private static String read(GHRepository repo, String path) throws Exception {
        return new String(repo.getFileContent(path, "main").read().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void cachedAnswersAreDecodedAndCarryNoRateLimitHeaders() throws Exception {
        int[] sent = {0};
        GitHubConnector gzipping = request -> {
            sent[0]++;
            java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(zipped)) {
                z.write("{\"full_name\":\"acme/infra\"}".getBytes(StandardCharsets.UTF_8));
            }
            return new Bytes(request, 200, Map.of("Content-Encoding", List.of("gzip"), "X-RateLimit-Remaining",
                    List.of("4999"), "ETag", List.of("\"abc\"")), zipped.toByteArray());
        };
        MetadataCache cache = new MetadataCache(gzipping, clock, "/api/v3");
        GitHubConnectorRequest get = get("https://ghe.example/api/v3/repos/acme/infra");

        for (int i = 0; i < 2; i++) {
            try (GitHubConnectorResponse r = cache.send(get)) {
                assertThat(new String(r.bodyStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"full_name\":\"acme/infra\"}");
                assertThat(r.header("X-RateLimit-Remaining")).isNull();
                assertThat(r.header("Content-Encoding")).isNull();
                assertThat(r.header("etag")).isEqualTo("\"abc\"");
            }
        }
        assertThat(sent[0]).isEqualTo(1);
        cache.send(get("https://ghe.example/api/v3/repos/acme/infra/pulls")).close();
        cache.send(get("https://ghe.example/api/v3/repos/acme/infra/pulls")).close();
        assertThat(sent[0]).as("pull requests are not cached").isEqualTo(3);
        assertThat(cache.size()).isEqualTo(1);

        cache.send(request("PATCH", "https://ghe.example/api/v3/repos/acme/infra")).close();
        assertThat(cache.size()).as("fixgate changed the repository's settings").isZero();
        cache.send(get).close();
        assertThat(sent[0]).isEqualTo(5);
        cache.send(get("https://ghe.example/elsewhere/repos/acme/infra")).close();
        cache.send(get("https://ghe.example/elsewhere/repos/acme/infra")).close();
        assertThat(sent[0]).as("outside the API's base path").isEqualTo(7);
    }

    private static GitHubConnectorRequest get(String url) {
        return request("GET", url);
    }

    private static GitHubConnectorRequest request(String method, String url) {
        return ConnectorRequests.of(method, url);
    }

    private static final class Bytes extends GitHubConnectorResponse.ByteArrayResponse {
        private final byte[] body;

        Bytes(GitHubConnectorRequest request, int status, Map<String, List<String>> headers, byte[] body) {
            super(request, status, headers);
            this.body = body;
        }

        @Override
        protected java.io.InputStream rawBodyStream() {
            return new java.io.ByteArrayInputStream(body);
        }
    }
}
