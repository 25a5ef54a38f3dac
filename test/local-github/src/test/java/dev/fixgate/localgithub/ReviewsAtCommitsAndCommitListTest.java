package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHubBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reviews of a given (older) commit, their time from the configured clock, and {@code GET …/commits}. */
class ReviewsAtCommitsAndCommitListTest extends LocalGitHubTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gh.apiUrl() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> res, int expected) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(expected);
        return MAPPER.readTree(res.body());
    }

    private void organisation() {
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createUser("bob");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "a\n"));
        gh.addCollaborator("acme", "infra", "alice", "write");
        gh.addCollaborator("acme", "infra", "bob", "write");
    }

    @Test
    void approveAtAnOlderCommitIsAReviewOfThatCommitSubmittedAtTheClocksTime() throws Exception {
        Instant t0 = Instant.parse("2026-01-05T09:00:00Z");
        TestClock clock = new TestClock(t0);
        restartWithClock(clock);
        organisation();
        long installation = gh.installApp(APP_ID, "acme");
        String first = gh.as("bob").push("acme", "infra", "fix", Map.of("main.tf", "b\n"), "First");
        int number = gh.as("bob").openPullRequest("acme", "infra", "fix", "main", "Fix", "");
        clock.set(t0.plus(Duration.ofHours(2)));
        String second = gh.as("bob").push("acme", "infra", "fix", Map.of("main.tf", "c\n"), "Second");

        // The approval is of the first commit and dated before the second push: "approved, then changed".
        clock.set(t0.plus(Duration.ofHours(1)));
        long old = gh.as("alice").approveAt("acme", "infra", number, first, "LGTM at the time");
        clock.set(t0.plus(Duration.ofHours(3)));
        long current = gh.as("alice").approve("acme", "infra", number, "still fine");
        String bot = gh.installationToken(installation); // tokens live an hour of the same clock

        String reviews = "/repos/acme/infra/pulls/" + number + "/reviews/";
        JsonNode oldJson = json(call("GET", reviews + old, bot, null), 200);
        assertThat(oldJson.get("commit_id").asString()).isEqualTo(first);
        assertThat(oldJson.get("state").asString()).isEqualTo("APPROVED");
        assertThat(oldJson.get("submitted_at").asString()).isEqualTo("2026-01-05T10:00:00Z");
        JsonNode currentJson = json(call("GET", reviews + current, bot, null), 200);
        assertThat(currentJson.get("commit_id").asString()).isEqualTo(second);
        assertThat(currentJson.get("submitted_at").asString()).isEqualTo("2026-01-05T12:00:00Z");

        gh.awaitDeliveries();
        JsonNode submitted = received.stream().filter(r -> r.event().equals("pull_request_review"))
                .map(r -> MAPPER.readTree(r.body())).findFirst().orElseThrow();
        assertThat(submitted.get("review").get("commit_id").asString()).isEqualTo(first);
        assertThat(submitted.get("review").get("submitted_at").asString()).isEqualTo("2026-01-05T10:00:00Z");
    }

    @Test
    void aReviewMayNameOnlyACommitOfThePullRequest() throws Exception {
        organisation();
        String bot = gh.installationToken(gh.installApp(APP_ID, "acme"));
        String main = gh.branchSha("acme", "infra", "main").orElseThrow();
        String first = gh.as("bob").push("acme", "infra", "fix", Map.of("main.tf", "b\n"), "First");
        gh.as("bob").push("acme", "infra", "fix", Map.of("main.tf", "c\n"), "Second");
        int number = gh.as("bob").openPullRequest("acme", "infra", "fix", "main", "Fix", "");

        JsonNode refused = json(call("POST", "/repos/acme/infra/pulls/" + number + "/reviews", gh.tokenFor("alice"),
                "{\"event\":\"APPROVE\",\"commit_id\":\"" + main + "\"}"), 422);
        assertThat(refused.get("message").asString()).isEqualTo("Unprocessable Entity");
        assertThat(refused.get("errors")).extracting(JsonNode::asString)
                .containsExactly("The commitOID is not part of the pull request");
        assertThatThrownBy(() -> gh.as("alice").approveAt("acme", "infra", number, "0".repeat(40), "no"))
                .hasMessageContaining("The commitOID is not part of the pull request");
        // A commit inside the pull request that never was its head is part of it too.
        json(call("POST", "/repos/acme/infra/pulls/" + number + "/reviews", gh.tokenFor("alice"),
                "{\"event\":\"APPROVE\",\"commit_id\":\"" + first + "\"}"), 200);

        // After a force push the old head is no longer on the branch, but was the pull request's: still reviewable.
        String oldHead = gh.branchSha("acme", "infra", "fix").orElseThrow();
        GHRepository repo = new GitHubBuilder().withEndpoint(gh.apiUrl()).withAppInstallationToken(bot).build()
                .getRepository("acme/infra");
        String tree = repo.createTree().baseTree(repo.getCommit(main).getTree().getSha()).add("main.tf", "d\n", false)
                .create().getSha();
        String rewritten = repo.createCommit().message("Rewritten").tree(tree).parent(main).create().getSHA1();
        repo.getRef("heads/fix").updateTo(rewritten, true);
        long review = gh.as("alice").approveAt("acme", "infra", number, oldHead, "as it was");
        assertThat(json(call("GET", "/repos/acme/infra/pulls/" + number + "/reviews/" + review, bot, null), 200)
                .get("commit_id").asString()).isEqualTo(oldHead);
    }

    @Test
    void commitsOfABranchAreListedNewestFirstAndPaginated() throws Exception {
        organisation();
        String bot = gh.installationToken(gh.installApp(APP_ID, "acme"));
        String root = gh.branchSha("acme", "infra", "main").orElseThrow();
        String c1 = gh.as("bob").push("acme", "infra", "fix", Map.of("main.tf", "b\n"), "One");
        String c2 = gh.as("alice").push("acme", "infra", "fix", Map.of("docs/notes.md", "n\n"), "Two");
        String c3 = gh.as("bob").push("acme", "infra", "fix", Map.of("main.tf", "c\n"), "Three");
        String c = "/repos/acme/infra/commits";

        assertThat(shas(json(call("GET", c + "?sha=fix", bot, null), 200))).containsExactly(c3, c2, c1, root);
        assertThat(shas(json(call("GET", c, bot, null), 200))).containsExactly(root);
        assertThat(shas(json(call("GET", c + "?sha=" + c2, bot, null), 200))).containsExactly(c2, c1, root);
        HttpResponse<String> page1 = call("GET", c + "?sha=fix&per_page=2", bot, null);
        assertThat(shas(json(page1, 200))).containsExactly(c3, c2);
        assertThat(page1.headers().firstValue("Link")).hasValueSatisfying(l -> assertThat(l).contains("rel=\"last\""));
        assertThat(shas(json(call("GET", c + "?sha=fix&per_page=2&page=2", bot, null), 200))).containsExactly(c1, root);
        assertThat(shas(json(call("GET", c + "?sha=fix&path=docs", bot, null), 200))).containsExactly(c2);
        assertThat(shas(json(call("GET", c + "?sha=fix&author=alice", bot, null), 200))).containsExactly(c2);
        JsonNode first = json(call("GET", c + "?sha=fix&per_page=1", bot, null), 200).get(0);
        assertThat(first.get("commit").get("message").asString()).isEqualTo("Three\n");
        assertThat(first.get("parents").get(0).get("sha").asString()).isEqualTo(c2);
        assertThat(first.get("author").get("login").asString()).isEqualTo("bob");

        assertThat(json(call("GET", c + "?sha=nope", bot, null), 404).get("message").asString())
                .isEqualTo("No commit found for SHA: nope");
        gh.createRepo("acme", "empty", "main", Map.of());
        assertThat(json(call("GET", "/repos/acme/empty/commits", bot, null), 409).get("message").asString())
                .isEqualTo("Git Repository is empty.");

        GHRepository repo = new GitHubBuilder().withEndpoint(gh.apiUrl()).withAppInstallationToken(bot).build()
                .getRepository("acme/infra");
        assertThat(repo.queryCommits().from("fix").list().withPageSize(2).toList()).extracting(GHCommit::getSHA1)
                .containsExactly(c3, c2, c1, root);
        assertThat(repo.listCommits().toList()).extracting(GHCommit::getSHA1).containsExactly(root);
    }

    private static List<String> shas(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.spliterator(), false).map(n -> n.get("sha").asString())
                .toList();
    }
}
