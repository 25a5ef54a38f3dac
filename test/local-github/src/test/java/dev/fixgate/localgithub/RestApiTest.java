package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHBlob;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHCommitState;
import org.kohsuke.github.GHCommitStatus;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHPermissionType;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRef;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTree;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.ReactionContent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST surface beyond the life cycle: git data, statuses, issues, errors and the cross-cutting headers. */
class RestApiTest extends LocalGitHubTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private GitHub bot;
    private GHRepository repo;
    private String botToken;

    @BeforeEach
    void repository() throws Exception {
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createUser("mallory");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "a\nb\nc\n", "docs/README.md", "hello\n"));
        gh.addCollaborator("acme", "infra", "alice", "write");
        botToken = gh.installationToken(gh.installApp(APP_ID, "acme"));
        bot = new GitHubBuilder().withEndpoint(gh.apiUrl()).withAppInstallationToken(botToken).build();
        repo = bot.getRepository("acme/infra");
    }

    private HttpResponse<String> call(String method, String path, String token, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gh.apiUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int k = 0; k < headers.length; k += 2) {
            b.header(headers[k], headers[k + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void gitDataBuildersMakeRealCommitsAndRefs() throws Exception {
        String main = repo.getBranch("main").getSHA1();
        GHBlob blob = repo.getBlob(repo.createBlob().textContent("new file\n").create().getSha());
        assertThat(blob.read().readAllBytes()).asString().isEqualTo("new file\n");
        GHTree tree = repo.createTree().baseTree(repo.getCommit(main).getTree().getSha())
                .shaEntry("added.txt", blob.getSha(), false).add("main.tf", "a\nB\nc\n", false).create();
        GHCommit commit = repo.createCommit().message("Edit through the Git Data API").tree(tree.getSha()).parent(main)
                .author("fixgate", "fixgate@example.com", java.util.Date.from(Instant.parse("2026-01-02T03:04:05Z")))
                .create();
        GHRef ref = repo.createRef("refs/heads/edit", commit.getSHA1());
        assertThat(ref.getObject().getSha()).isEqualTo(commit.getSHA1());
        assertThat(gh.file("acme", "infra", "edit", "main.tf")).contains("a\nB\nc\n");
        assertThat(gh.file("acme", "infra", "edit", "added.txt")).contains("new file\n");
        assertThat(gh.file("acme", "infra", "edit", "docs/README.md")).contains("hello\n");
        assertThatThrownBy(() -> repo.createRef("refs/heads/edit", main))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(422));
        assertThatThrownBy(() -> ref.updateTo(main))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(422));
        ref.updateTo(main, true);
        assertThat(gh.branchSha("acme", "infra", "edit")).contains(main);
        ref.delete();
        assertThat(gh.branchSha("acme", "infra", "edit")).isEmpty();
        assertThat(repo.getBranches()).containsOnlyKeys("main");
    }

    @Test
    void contentsReadWriteWithShaAndEtags() throws Exception {
        var content = repo.getFileContent("main.tf");
        assertThat(content.getSha()).isNotBlank();
        var created = repo.createContent().path("infra/new.tf").content("x = 1\n").message("Add new.tf").branch("main")
                .commit();
        assertThat(created.getCommit().getSHA1()).isEqualTo(gh.branchSha("acme", "infra", "main").orElseThrow());
        assertThatThrownBy(() -> repo.createContent().path("main.tf").content("z\n").message("no sha").commit())
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(422));
        repo.createContent().path("main.tf").content("z\n").message("update").sha(content.getSha()).commit();
        assertThat(gh.file("acme", "infra", "main", "main.tf")).contains("z\n");

        HttpResponse<String> first = call("GET", "/repos/acme/infra/contents/main.tf", botToken, null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = call("GET", "/repos/acme/infra/contents/main.tf", botToken, null,
                "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        gh.awaitDeliveries();
        assertThat(receivedEvents()).contains("push");
    }

    @Test
    void statusesCombinedStatusAndPermissions() throws Exception {
        String sha = repo.getBranch("main").getSHA1();
        repo.createCommitStatus(sha, GHCommitState.PENDING, null, "running", "ci");
        repo.createCommitStatus(sha, GHCommitState.SUCCESS, "https://ci.example/1", "passed", "ci");
        repo.createCommitStatus(sha, GHCommitState.FAILURE, null, "lint failed", "lint");
        GHCommitStatus last = repo.getLastCommitStatus(sha);
        assertThat(last.getContext()).isEqualTo("lint");
        HttpResponse<String> combined = call("GET", "/repos/acme/infra/commits/" + sha + "/status", botToken, null);
        JsonNode c = MAPPER.readTree(combined.body());
        assertThat(c.get("state").asString()).isEqualTo("failure");
        assertThat(c.get("total_count").asInt()).isEqualTo(2);
        assertThat(repo.getPermission("alice")).isEqualTo(GHPermissionType.WRITE);
        assertThat(repo.getPermission("mallory")).isEqualTo(GHPermissionType.READ);
        assertThatThrownBy(() -> repo.createCommitStatus("0".repeat(40), GHCommitState.SUCCESS, null, null, "x"))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(422));
    }

    @Test
    void issuesLabelsAssigneesCommentsAndReactions() throws Exception {
        GHIssue issue = repo.createIssue("Unsafe fix needs an owner").body("fixgate could not fix this safely")
                .assignee("alice").label("security").create();
        assertThat(issue.getAssignees()).extracting(u -> u.getLogin()).containsExactly("alice");
        assertThat(issue.getLabels()).extracting(l -> l.getName()).containsExactly("security");
        issue.addLabels("fixgate");
        GHIssueComment comment = issue.comment("Owners: @alice");
        comment.createReaction(ReactionContent.EYES);
        assertThat(comment.listReactions().toList()).extracting(r -> r.getContent()).containsExactly(ReactionContent.EYES);
        gh.as("alice").comment("acme", "infra", issue.getNumber(), "/fixgate retry");
        assertThat(repo.getIssue(issue.getNumber()).getCommentsCount()).isEqualTo(2);
        issue.close();
        assertThat(repo.getIssue(issue.getNumber()).getState().name()).isEqualTo("CLOSED");
        gh.awaitDeliveries();
        assertThat(receivedEvents()).contains("issues.opened", "issues.labeled", "issue_comment.created", "issues.closed");
    }

    @Test
    void paginationLinksAndRateLimitHeaders() throws Exception {
        for (int k = 0; k < 5; k++) {
            repo.createIssue("issue " + k).create();
        }
        HttpResponse<String> page1 = call("GET", "/repos/acme/infra/issues?per_page=2", botToken, null);
        assertThat(MAPPER.readTree(page1.body()).size()).isEqualTo(2);
        assertThat(page1.headers().firstValue("Link").orElseThrow())
                .isEqualTo("<" + gh.apiUrl() + "/repos/acme/infra/issues?per_page=2&page=2>; rel=\"next\", <"
                        + gh.apiUrl() + "/repos/acme/infra/issues?per_page=2&page=3>; rel=\"last\"");
        HttpResponse<String> page3 = call("GET", "/repos/acme/infra/issues?per_page=2&page=3", botToken, null);
        assertThat(MAPPER.readTree(page3.body()).size()).isEqualTo(1);
        assertThat(page3.headers().firstValue("Link").orElseThrow()).contains("rel=\"first\"").contains("rel=\"prev\"");
        assertThat(repo.listIssues(org.kohsuke.github.GHIssueState.ALL).withPageSize(2).toList()).hasSize(5);
        assertThat(page3.headers().firstValue("X-RateLimit-Limit")).contains("5000");
        assertThat(page3.headers().firstValue("X-RateLimit-Resource")).contains("core");
        int remaining1 = Integer.parseInt(page1.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        int remaining3 = Integer.parseInt(page3.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        assertThat(remaining3).isLessThan(remaining1);
        assertThat(page3.headers().firstValue("X-RateLimit-Used").orElseThrow()).isEqualTo(String.valueOf(5000 - remaining3));
        assertThat(page3.headers().firstValue("X-RateLimit-Reset")).isPresent();
    }

    @Test
    void errorsLookLikeGitHubs() throws Exception {
        HttpResponse<String> unsupported = call("GET", "/repos/acme/infra/releases", botToken, null);
        assertThat(unsupported.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(unsupported.body()).get("message").asString()).isEqualTo("Not Found");
        assertThat(MAPPER.readTree(unsupported.body()).get("documentation_url").asString())
                .isEqualTo("https://docs.github.com/rest");
        assertThat(gh.unsupportedRequests()).containsExactly("GET /repos/acme/infra/releases");

        HttpResponse<String> badJson = call("POST", "/repos/acme/infra/issues", botToken, "{not json");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(badJson.body()).get("message").asString()).isEqualTo("Problems parsing JSON");

        HttpResponse<String> invalid = call("POST", "/repos/acme/infra/pulls", botToken,
                "{\"title\":\"x\",\"head\":\"nope\",\"base\":\"main\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        JsonNode err = MAPPER.readTree(invalid.body());
        assertThat(err.get("message").asString()).isEqualTo("Validation Failed");
        assertThat(err.get("errors").get(0).get("resource").asString()).isEqualTo("PullRequest");
        assertThat(err.get("errors").get(0).get("field").asString()).isEqualTo("head");
        assertThat(err.get("errors").get(0).get("code").asString()).isEqualTo("invalid");

        assertThat(call("GET", "/repos/acme/infra", "ghs_forged", null).statusCode()).isEqualTo(401);
        String expired = LocalGitHub.appJwt(APP_ID, appKey.getPrivate(), Instant.now().minusSeconds(3600));
        HttpResponse<String> oldJwt = call("GET", "/app", expired, null);
        assertThat(oldJwt.statusCode()).isEqualTo(401);
        assertThat(oldJwt.body()).contains("'Expiration time' claim ('exp')");
        var otherKey = LocalGitHub.generateAppKey();
        HttpResponse<String> forged = call("GET", "/app", LocalGitHub.appJwt(APP_ID, otherKey.getPrivate(), Instant.now()), null);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(forged.body()).get("message").asString()).isEqualTo(Jwt.UNDECODABLE);
        assertThat(call("GET", "/app", jwt(), null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/app", botToken, null).statusCode()).isEqualTo(401);

        String mallory = gh.tokenFor("mallory");
        HttpResponse<String> noPush = call("POST", "/repos/acme/infra/git/refs", mallory,
                "{\"ref\":\"refs/heads/x\",\"sha\":\"" + gh.branchSha("acme", "infra", "main").orElseThrow() + "\"}");
        assertThat(noPush.statusCode()).isEqualTo(403);
        HttpResponse<String> userCheckRun = call("POST", "/repos/acme/infra/check-runs", gh.tokenFor("alice"),
                "{\"name\":\"ci\",\"head_sha\":\"" + gh.branchSha("acme", "infra", "main").orElseThrow() + "\"}");
        assertThat(userCheckRun.statusCode()).isEqualTo(403);
        assertThat(userCheckRun.body()).contains("You must authenticate via a GitHub App.");
    }

    @Test
    void mergeMethodsAndMergeableStates() throws Exception {
        gh.protectBranch("acme", "infra", "main", new BranchProtection(List.of(), true, 0, false));
        var alice = gh.as("alice");
        alice.push("acme", "infra", "one", Map.of("one.txt", "1\n"), "One");
        alice.push("acme", "infra", "two", Map.of("two.txt", "2\n"), "Two");
        alice.push("acme", "infra", "conflict", Map.of("main.tf", "x\ny\nz\n"), "Conflicting edit");
        GHPullRequest one = repo.createPullRequest("One", "one", "main", "");
        GHPullRequest two = repo.createPullRequest("Two", "two", "main", "");
        assertThat(repo.getPullRequest(two.getNumber()).getMergeableState()).isEqualTo("clean");

        one.merge("custom body", null, GHPullRequest.MergeMethod.MERGE);
        String mergeSha = repo.getPullRequest(one.getNumber()).getMergeCommitSha();
        GHCommit merge = repo.getCommit(mergeSha);
        assertThat(merge.getParentSHA1s()).hasSize(2);
        assertThat(merge.getCommitShortInfo().getMessage())
                .isEqualTo("Merge pull request #" + one.getNumber() + " from acme/one\n\ncustom body");
        assertThat(repo.getCommit(mergeSha).getCommitShortInfo().getAuthor().getName()).isEqualTo("fixgate[bot]");

        // main moved: "two" is behind under strict protection and can be neither merged nor called clean.
        assertThat(repo.getPullRequest(two.getNumber()).getMergeableState()).isEqualTo("behind");
        assertThatThrownBy(() -> two.merge("", null, GHPullRequest.MergeMethod.REBASE))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(405));
        gh.protectBranch("acme", "infra", "main", new BranchProtection(List.of(), false, 0, false));
        two.merge("", null, GHPullRequest.MergeMethod.REBASE);
        String rebased = gh.branchSha("acme", "infra", "main").orElseThrow();
        assertThat(repo.getCommit(rebased).getParentSHA1s()).containsExactly(mergeSha);
        assertThat(repo.getCommit(rebased).getCommitShortInfo().getMessage()).isEqualTo("Two\n"); // replayed as written

        alice.push("acme", "infra", "other", Map.of("main.tf", "q\nr\ns\n"), "Other edit");
        GHPullRequest conflict = repo.createPullRequest("Conflict", "conflict", "main", "");
        GHPullRequest other = repo.createPullRequest("Other", "other", "main", "");
        other.merge("", null, GHPullRequest.MergeMethod.SQUASH);
        GHPullRequest dirty = repo.getPullRequest(conflict.getNumber());
        assertThat(dirty.getMergeable()).isFalse();
        assertThat(dirty.getMergeableState()).isEqualTo("dirty");
        assertThatThrownBy(() -> conflict.merge("", null, GHPullRequest.MergeMethod.MERGE))
                .hasMessageContaining("Pull Request is not mergeable");
        assertThat(repo.queryPullRequests().state(org.kohsuke.github.GHIssueState.CLOSED).list().toList()).hasSize(3);
    }
}
