package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What fixgate's slash commands and its Remediation Dashboard rely on: issue and comment edits with their
 * {@code changes}, reactions taken back, check run buttons and {@code requested_action}, {@code installation_repositories},
 * pushes, and the files of a (merge) commit and of a comparison.
 */
class SlashCommandsAndDashboardTest extends LocalGitHubTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private String bot;
    private long installation;

    @BeforeEach
    void repository() {
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createUser("reader");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "a = 1\n", "old.tf", "x = 1\ny = 2\nz = 3\n"));
        gh.addCollaborator("acme", "infra", "alice", "write");
        gh.addCollaborator("acme", "infra", "reader", "read");
        installation = gh.installApp(APP_ID, "acme");
        bot = gh.installationToken(installation);
    }

    private JsonNode call(String method, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gh.apiUrl() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as("%s %s: %s", method, path, res.body()).isEqualTo(expected);
        return res.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(res.body());
    }

    /** The payloads delivered for {@code event.action}, in order. */
    private List<JsonNode> delivered(String event, String action) {
        gh.awaitDeliveries();
        return gh.deliveries().stream().filter(d -> d.event().equals(event) && d.action().orElse("").equals(action))
                .map(d -> MAPPER.readTree(d.payload())).toList();
    }

    @Test
    void editingAnIssueSendsIssuesEditedWithWhatItWasBefore() throws Exception {
        int number = call("POST", "/repos/acme/infra/issues", bot, "{\"title\":\"Remediation Dashboard\",\"body\":"
                + "\"- [ ] fix main.tf\"}", 201).get("number").asInt();

        // The user ticks the checkbox in the web UI.
        gh.as("alice").editIssueBody("acme", "infra", number, "- [x] fix main.tf");
        JsonNode edited = delivered("issues", "edited").getLast();
        assertThat(edited.at("/changes/body/from").asString()).isEqualTo("- [ ] fix main.tf");
        assertThat(edited.at("/changes/title").isMissingNode()).isTrue();
        assertThat(edited.at("/issue/body").asString()).isEqualTo("- [x] fix main.tf");
        assertThat(edited.at("/sender/login").asString()).isEqualTo("alice");

        // The app rewrites title and body through the REST API; an unchanged value is not a change.
        call("PATCH", "/repos/acme/infra/issues/" + number, bot, "{\"title\":\"Remediation Dashboard (2)\","
                + "\"body\":\"- [x] fix main.tf\\n- [ ] fix old.tf\"}", 200);
        edited = delivered("issues", "edited").getLast();
        assertThat(edited.at("/changes/title/from").asString()).isEqualTo("Remediation Dashboard");
        assertThat(edited.at("/changes/body/from").asString()).isEqualTo("- [x] fix main.tf");
        assertThat(edited.at("/sender/login").asString()).isEqualTo("fixgate[bot]");
        call("PATCH", "/repos/acme/infra/issues/" + number, bot, "{\"title\":\"Remediation Dashboard (2)\"}", 200);
        assertThat(delivered("issues", "edited")).hasSize(2);

        // State, labels and assignees through the same PATCH send their own events.
        call("PATCH", "/repos/acme/infra/issues/" + number, bot, "{\"state\":\"closed\",\"labels\":[\"bug\"],"
                + "\"assignees\":[\"alice\"]}", 200);
        call("PATCH", "/repos/acme/infra/issues/" + number, bot, "{\"state\":\"open\",\"labels\":[],\"assignees\":[]}", 200);
        assertThat(events()).containsSubsequence("issues.labeled", "issues.assigned",
                "issues.closed", "issues.unlabeled", "issues.unassigned", "issues.reopened");

        // Only the author and people with write access may edit.
        assertThatThrownBy(() -> gh.as("reader").editIssueBody("acme", "infra", number, "mine now"))
                .isInstanceOf(IllegalStateException.class);
        call("PATCH", "/repos/acme/infra/issues/" + number, gh.tokenFor("reader"), "{\"body\":\"mine now\"}", 403);
    }

    private List<String> events() {
        gh.awaitDeliveries();
        return gh.deliveries().stream().map(d -> d.event() + d.action().map(a -> "." + a).orElse("")).toList();
    }

    @Test
    void aPullRequestEditedThroughTheIssuesApiSendsPullRequestEdited() throws Exception {
        gh.as("alice").push("acme", "infra", "fix", Map.of("main.tf", "a = 2\n"), "Fix a");
        int pr = gh.as("alice").openPullRequest("acme", "infra", "fix", "main", "Fix a", "Body");
        call("PATCH", "/repos/acme/infra/issues/" + pr, bot, "{\"body\":\"Body\\n\\n<!-- fixgate -->\"}", 200);
        assertThat(delivered("issues", "edited")).isEmpty();
        JsonNode edited = delivered("pull_request", "edited").getLast();
        assertThat(edited.at("/changes/body/from").asString()).isEqualTo("Body");
        assertThat(edited.at("/pull_request/body").asString()).isEqualTo("Body\n\n<!-- fixgate -->");

        call("PATCH", "/repos/acme/infra/issues/" + pr, bot, "{\"state\":\"closed\"}", 200);
        assertThat(delivered("pull_request", "closed")).hasSize(1);
        assertThat(delivered("issues", "closed")).isEmpty();
    }

    @Test
    void slashCommandCommentsAreCreatedAndEditedWithTheirIssue() throws Exception {
        gh.as("alice").push("acme", "infra", "fix", Map.of("main.tf", "a = 2\n"), "Fix a");
        int pr = gh.as("alice").openPullRequest("acme", "infra", "fix", "main", "Fix a", null);
        long id = gh.as("alice").comment("acme", "infra", pr, "/fixgate explain");

        JsonNode created = delivered("issue_comment", "created").getLast();
        assertThat(created.at("/comment/id").asLong()).isEqualTo(id);
        assertThat(created.at("/comment/body").asString()).isEqualTo("/fixgate explain");
        assertThat(created.at("/issue/number").asInt()).isEqualTo(pr);
        assertThat(created.at("/issue/pull_request/url").asString()).endsWith("/repos/acme/infra/pulls/" + pr);
        assertThat(created.at("/sender/login").asString()).isEqualTo("alice");
        JsonNode listed = call("GET", "/repos/acme/infra/issues/" + pr + "/comments", bot, null, 200);
        assertThat(listed.get(0).get("id").asLong()).isEqualTo(id);

        gh.as("alice").editComment("acme", "infra", id, "/fixgate merge");
        JsonNode edited = delivered("issue_comment", "edited").getLast();
        assertThat(edited.at("/changes/body/from").asString()).isEqualTo("/fixgate explain");
        assertThat(edited.at("/comment/body").asString()).isEqualTo("/fixgate merge");
        assertThat(edited.at("/issue/pull_request").isObject()).isTrue();
        assertThatThrownBy(() -> gh.as("reader").editComment("acme", "infra", id, "/fixgate approve"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> gh.as("alice").editComment("acme", "infra", 1L, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAppTakesBackItsEyesAfterFinishing() throws Exception {
        int issue = call("POST", "/repos/acme/infra/issues", bot, "{\"title\":\"t\"}", 201).get("number").asInt();
        long comment = gh.as("alice").comment("acme", "infra", issue, "/fixgate plan");
        String reactions = "/repos/acme/infra/issues/comments/" + comment + "/reactions";
        long eyes = call("POST", reactions, bot, "{\"content\":\"eyes\"}", 201).get("id").asLong();
        call("POST", reactions, gh.tokenFor("alice"), "{\"content\":\"+1\"}", 201);
        JsonNode list = call("GET", reactions, bot, null, 200);
        assertThat(list).hasSize(2);
        assertThat(list.get(0).at("/user/login").asString()).isEqualTo("fixgate[bot]");

        // Someone else cannot take the app's reaction away; nor can anyone anonymous.
        call("DELETE", reactions + "/" + eyes, gh.tokenFor("alice"), null, 404);
        call("DELETE", reactions + "/" + eyes, null, null, 401);
        call("DELETE", reactions + "/" + eyes, bot, null, 204);
        call("DELETE", reactions + "/" + eyes, bot, null, 404);
        list = call("GET", reactions, bot, null, 200);
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("content").asString()).isEqualTo("+1");
        JsonNode rollup = call("GET", "/repos/acme/infra/issues/comments/" + comment, bot, null, 200).get("reactions");
        assertThat(rollup.get("eyes").asInt()).isZero();
        assertThat(rollup.get("total_count").asInt()).isEqualTo(1);
    }

    @Test
    void aCheckRunButtonReachesTheAppThatMadeItAsRequestedAction() throws Exception {
        // A second app on the same account, to see the click go to the run's app only.
        gh.registerApp(APP_ID + 1, "other", LocalGitHub.generateAppKey().getPublic(),
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks", SECRET);
        gh.installApp(APP_ID + 1, "acme");
        String sha = gh.branchSha("acme", "infra", "main").orElseThrow();
        String actions = "[{\"label\":\"Open fix PR\",\"description\":\"Open the remediation pull request\","
                + "\"identifier\":\"open-fix\"},{\"label\":\"Dismiss\",\"description\":\"Accept the risk\","
                + "\"identifier\":\"dismiss\"}]";
        JsonNode run = call("POST", "/repos/acme/infra/check-runs", bot, "{\"name\":\"fixgate\",\"head_sha\":\"" + sha
                + "\",\"status\":\"in_progress\",\"actions\":" + actions + "}", 201);
        long id = run.get("id").asLong();
        // GitHub keeps the buttons but does not return them.
        assertThat(run.has("actions")).isFalse();
        assertThat(gh.checkRunActions("acme", "infra", id)).containsExactly(
                new CheckRunAction("Open fix PR", "Open the remediation pull request", "open-fix"),
                new CheckRunAction("Dismiss", "Accept the risk", "dismiss"));

        // The buttons show once the run completes, to people with write access, and only the ones it has.
        assertThatThrownBy(() -> gh.as("alice").requestCheckRunAction("acme", "infra", id, "open-fix"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("completed");
        call("PATCH", "/repos/acme/infra/check-runs/" + id, bot, "{\"conclusion\":\"action_required\",\"output\":"
                + "{\"title\":\"1 finding\",\"summary\":\"s\"}}", 200);
        assertThat(gh.checkRunActions("acme", "infra", id)).hasSize(2); // a PATCH without actions keeps them
        assertThatThrownBy(() -> gh.as("reader").requestCheckRunAction("acme", "infra", id, "open-fix"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("write access");
        assertThatThrownBy(() -> gh.as("alice").requestCheckRunAction("acme", "infra", id, "merge"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no action merge");

        gh.as("alice").requestCheckRunAction("acme", "infra", id, "open-fix");
        gh.awaitDeliveries();
        List<Delivery> clicks = gh.deliveries().stream()
                .filter(d -> d.event().equals("check_run") && d.action().equals(java.util.Optional.of("requested_action")))
                .toList();
        assertThat(clicks).hasSize(1);
        assertThat(clicks.getFirst().installationId()).isEqualTo(installation);
        JsonNode payload = MAPPER.readTree(clicks.getFirst().payload());
        assertThat(payload.at("/requested_action/identifier").asString()).isEqualTo("open-fix");
        assertThat(payload.at("/check_run/id").asLong()).isEqualTo(id);
        assertThat(payload.at("/check_run/app/id").asLong()).isEqualTo(APP_ID);
        assertThat(payload.at("/check_run/conclusion").asString()).isEqualTo("action_required");
        assertThat(payload.at("/sender/login").asString()).isEqualTo("alice");
        assertThat(payload.at("/installation/id").asLong()).isEqualTo(installation);

        // A PATCH with actions replaces them; GitHub's limits are enforced.
        call("PATCH", "/repos/acme/infra/check-runs/" + id, bot, "{\"actions\":[]}", 200);
        assertThat(gh.checkRunActions("acme", "infra", id)).isEmpty();
        String four = "[" + String.join(",", java.util.Collections.nCopies(4,
                "{\"label\":\"a\",\"description\":\"b\",\"identifier\":\"c\"}")) + "]";
        call("PATCH", "/repos/acme/infra/check-runs/" + id, bot, "{\"actions\":" + four + "}", 422);
        call("PATCH", "/repos/acme/infra/check-runs/" + id, bot, "{\"actions\":[{\"label\":\"123456789012345678901\","
                + "\"description\":\"b\",\"identifier\":\"c\"}]}", 422);
        call("PATCH", "/repos/acme/infra/check-runs/" + id, bot, "{\"actions\":[{\"label\":\"a\",\"description\":"
                + "\"12345678901234567890123456789012345678901\",\"identifier\":\"c\"}]}", 422);
        call("PATCH", "/repos/acme/infra/check-runs/" + id, bot, "{\"actions\":[{\"label\":\"a\",\"description\":\"b\","
                + "\"identifier\":\"123456789012345678901\"}]}", 422);
        call("PATCH", "/repos/acme/infra/check-runs/" + id, bot, "{\"actions\":[{\"label\":\"a\",\"description\":\"b\"}]}",
                422);
        assertThat(gh.checkRunActions("acme", "infra", id)).isEmpty();
    }

    @Test
    void aRepositoryCreatedUnderAnInstallationIsAddedToIt() {
        gh.createRepo("acme", "new-service", "main", Map.of("main.tf", "b = 1\n"));
        gh.createUser("carol");
        gh.createRepo("carol", "solo", "main", Map.of("x", "y\n")); // no installation there: nothing
        List<JsonNode> added = delivered("installation_repositories", "added");
        assertThat(added).hasSize(1);
        JsonNode p = added.getFirst();
        assertThat(p.at("/installation/id").asLong()).isEqualTo(installation);
        assertThat(p.at("/installation/account/login").asString()).isEqualTo("acme");
        assertThat(p.at("/repository_selection").asString()).isEqualTo("all");
        assertThat(p.at("/repositories_added/0/full_name").asString()).isEqualTo("acme/new-service");
        assertThat(p.at("/repositories_removed")).isEmpty();
        assertThat(p.has("repository")).isFalse();
    }

    @Test
    void aHumanPushSendsPushWithItsCommits() {
        String before = gh.branchSha("acme", "infra", "main").orElseThrow();
        String after = gh.as("alice").push("acme", "infra", "main", Map.of("main.tf", "a = 3\n"), "Bump a");
        JsonNode push = delivered("push", "").getLast();
        assertThat(push.get("ref").asString()).isEqualTo("refs/heads/main");
        assertThat(push.get("before").asString()).isEqualTo(before);
        assertThat(push.get("after").asString()).isEqualTo(after);
        assertThat(push.at("/pusher/name").asString()).isEqualTo("alice");
        assertThat(push.at("/sender/login").asString()).isEqualTo("alice");
        assertThat(push.at("/head_commit/id").asString()).isEqualTo(after);
        assertThat(push.at("/head_commit/modified/0").asString()).isEqualTo("main.tf");
        assertThat(push.get("commits")).hasSize(1);
        assertThat(push.at("/commits/0/message").asString()).isEqualTo("Bump a\n");
    }

    @Test
    void aMergeCommitListsTheFilesItChangedAsGitHubShowsThem() throws Exception {
        Map<String, String> change = new HashMap<>();
        change.put("old.tf", null);
        change.put("renamed.tf", "x = 1\ny = 2\nz = 3\n");
        change.put("main.tf", "a = 1\nb = 2\n");
        change.put("added.tf", "c = 1\n");
        gh.as("alice").push("acme", "infra", "fix", change, "Rename old.tf, add b and c");
        int pr = gh.as("alice").openPullRequest("acme", "infra", "fix", "main", "Fix", null);
        String merge = call("PUT", "/repos/acme/infra/pulls/" + pr + "/merge", bot, "{\"merge_method\":\"merge\"}", 200)
                .get("sha").asString();

        JsonNode commit = call("GET", "/repos/acme/infra/commits/" + merge, bot, null, 200);
        assertThat(commit.get("parents")).hasSize(2);
        Map<String, JsonNode> files = new HashMap<>();
        commit.get("files").forEach(f -> files.put(f.get("filename").asString(), f));
        assertThat(files.keySet()).containsExactlyInAnyOrder("renamed.tf", "main.tf", "added.tf");
        assertThat(files.get("renamed.tf").get("status").asString()).isEqualTo("renamed");
        assertThat(files.get("renamed.tf").get("previous_filename").asString()).isEqualTo("old.tf");
        assertThat(files.get("main.tf").get("status").asString()).isEqualTo("modified");
        assertThat(files.get("main.tf").get("patch").asString()).startsWith("@@ ").contains("+b = 2");
        assertThat(files.get("added.tf").get("status").asString()).isEqualTo("added");
        assertThat(files.get("main.tf").has("previous_filename")).isFalse();
        assertThat(commit.at("/stats/additions").asInt()).isEqualTo(2);

        // A root commit lists every file it added.
        String root = call("GET", "/repos/acme/infra/commits/" + merge, bot, null, 200).at("/parents/0/sha").asString();
        JsonNode first = call("GET", "/repos/acme/infra/commits?sha=" + root, bot, null, 200);
        String initial = first.get(first.size() - 1).get("sha").asString();
        assertThat(call("GET", "/repos/acme/infra/commits/" + initial, bot, null, 200).get("files")).hasSize(2);

        // The comparison of the merge's parents: what the pull request brought.
        String head = commit.at("/parents/1/sha").asString();
        JsonNode cmp = call("GET", "/repos/acme/infra/compare/" + root + "..." + head, bot, null, 200);
        assertThat(cmp.get("status").asString()).isEqualTo("ahead");
        assertThat(cmp.get("ahead_by").asInt()).isEqualTo(1);
        assertThat(cmp.get("behind_by").asInt()).isZero();
        assertThat(cmp.at("/commits/0/sha").asString()).isEqualTo(head);
        assertThat(cmp.get("files")).hasSize(3);
        assertThat(call("GET", "/repos/acme/infra/compare/fix..." + root, bot, null, 200).get("status").asString())
                .isEqualTo("behind");
        assertThat(call("GET", "/repos/acme/infra/compare/main...main", bot, null, 200).get("status").asString())
                .isEqualTo("identical");
        call("GET", "/repos/acme/infra/compare/main...nope", bot, null, 404);
        call("GET", "/repos/acme/infra/compare/main...someone:fix", bot, null, 404);
    }
}
