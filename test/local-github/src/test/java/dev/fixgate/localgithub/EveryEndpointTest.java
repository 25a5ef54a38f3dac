package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls every implemented route at least once with a successful request, so that each one's response is validated
 * against GitHub's OpenAPI description by the base class — and fails if a route is added without being exercised.
 */
class EveryEndpointTest extends LocalGitHubTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

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

    @Test
    void everyRouteAnswersWithGitHubsShape() throws Exception {
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createUser("bob");
        gh.createRepo("acme", "r", "main", Map.of("a.txt", "a\n", "dir/b.txt", "b\n"));
        gh.addCollaborator("acme", "r", "alice", "write");
        gh.addCollaborator("acme", "r", "bob", "write");
        gh.createTeam("acme", "security", List.of("alice"));
        long inst = gh.installApp(APP_ID, "acme");
        String jwt = jwt();
        String bot = call("POST", "/app/installations/" + inst + "/access_tokens", jwt, null, 201).get("token").asString();
        String alice = gh.tokenFor("alice");
        String bob = gh.tokenFor("bob");
        String r = "/repos/acme/r";

        call("GET", "/app", jwt, null, 200);
        call("GET", "/app/installations", jwt, null, 200);
        call("GET", "/app/installations/" + inst, jwt, null, 200);
        call("GET", r + "/installation", jwt, null, 200);
        call("GET", "/orgs/acme/installation", jwt, null, 200);
        gh.installApp(APP_ID, "alice");
        call("GET", "/users/alice/installation", jwt, null, 200);
        call("GET", "/installation/repositories", bot, null, 200);
        call("GET", "/user", alice, null, 200);
        call("GET", "/users/bob", alice, null, 200);
        call("GET", "/rate_limit", alice, null, 200);

        call("GET", "/orgs/acme", alice, null, 200);
        call("GET", "/orgs/acme/teams", bot, null, 200);
        call("GET", "/orgs/acme/teams/security", bot, null, 200);
        call("GET", "/orgs/acme/teams/security/members?per_page=1", bot, null, 200);
        call("GET", "/orgs/acme/teams/security/memberships/alice", bot, null, 200);
        call("GET", "/orgs/acme/teams/security/memberships/bob", bot, null, 404);

        call("GET", r, bot, null, 200);
        call("GET", r + "/branches", bot, null, 200);
        call("GET", r + "/branches/main", bot, null, 200);
        String main = gh.branchSha("acme", "r", "main").orElseThrow();
        call("GET", r + "/commits/main", bot, null, 200);
        call("GET", r + "/compare/main...feature", bot, null, 404); // no such branch yet
        call("GET", r + "/commits?per_page=1", bot, null, 200);
        call("GET", r + "/contents/a.txt?ref=main", bot, null, 200);
        call("GET", r + "/contents/dir", bot, null, 200);
        call("GET", r + "/collaborators/alice/permission", bot, null, 200);
        String blob = call("POST", r + "/git/blobs", bot, "{\"content\":\"YQo=\",\"encoding\":\"base64\"}", 201)
                .get("sha").asString();
        call("GET", r + "/git/blobs/" + blob, bot, null, 200);
        String tree = call("POST", r + "/git/trees", bot, "{\"tree\":[{\"path\":\"c.txt\",\"mode\":\"100644\",\"type\":"
                + "\"blob\",\"sha\":\"" + blob + "\"}],\"base_tree\":\"" + main + "\"}", 201).get("sha").asString();
        call("GET", r + "/git/trees/" + tree + "?recursive=1", bot, null, 200);
        String commit = call("POST", r + "/git/commits", bot, "{\"message\":\"c\",\"tree\":\"" + tree + "\",\"parents\":[\""
                + main + "\"]}", 201).get("sha").asString();
        call("GET", r + "/git/commits/" + commit, bot, null, 200);
        call("POST", r + "/git/refs", bot, "{\"ref\":\"refs/heads/feature\",\"sha\":\"" + commit + "\"}", 201);
        call("GET", r + "/git/ref/heads/feature", bot, null, 200);
        call("GET", r + "/git/refs/heads/feature", bot, null, 200);
        call("GET", r + "/git/matching-refs/heads/", bot, null, 200);
        call("PATCH", r + "/git/refs/heads/feature", bot, "{\"sha\":\"" + commit + "\"}", 200);
        call("PUT", r + "/contents/d.txt", bot, "{\"message\":\"d\",\"content\":\"ZAo=\",\"branch\":\"feature\"}", 201);
        call("POST", r + "/git/refs", bot, "{\"ref\":\"refs/heads/gone\",\"sha\":\"" + main + "\"}", 201);
        call("DELETE", r + "/git/refs/heads/gone", bot, null, 204);
        call("GET", r + "/compare/main...acme:feature", bot, null, 200);

        int pr = call("POST", r + "/pulls", bot, "{\"title\":\"T\",\"head\":\"feature\",\"base\":\"main\",\"body\":\"B\"}", 201)
                .get("number").asInt();
        String p = r + "/pulls/" + pr;
        call("GET", r + "/pulls?state=all", bot, null, 200);
        call("GET", p, bot, null, 200);
        call("PATCH", p, bot, "{\"title\":\"T2\"}", 200);
        call("GET", p + "/files", bot, null, 200);
        call("POST", p + "/requested_reviewers", bot, "{\"reviewers\":[\"alice\"],\"team_reviewers\":[\"security\"]}",
                201);
        call("GET", p + "/requested_reviewers", bot, null, 200);
        call("GET", p, bot, null, 200);
        call("DELETE", p + "/requested_reviewers", bot, "{\"reviewers\":[],\"team_reviewers\":[\"security\"]}", 200);
        call("POST", p + "/requested_reviewers", bot, "{\"reviewers\":[],\"team_reviewers\":[\"security\"]}", 201);
        long pending = call("POST", p + "/reviews", alice, "{\"body\":\"looking\"}", 200).get("id").asLong();
        call("POST", p + "/reviews/" + pending + "/events", alice, "{\"event\":\"APPROVE\"}", 200);
        call("GET", p + "/reviews/" + pending, bot, null, 200);
        long changes = call("POST", p + "/reviews", bob, "{\"event\":\"REQUEST_CHANGES\",\"body\":\"no\"}", 200)
                .get("id").asLong();
        call("PUT", p + "/reviews/" + changes + "/dismissals", bot, "{\"message\":\"resolved\"}", 200);
        call("GET", p + "/reviews", bot, null, 200);

        String head = gh.branchSha("acme", "r", "feature").orElseThrow();
        call("POST", r + "/statuses/" + head, bot, "{\"state\":\"success\",\"context\":\"ci\"}", 201);
        call("GET", r + "/commits/" + head + "/statuses", bot, null, 200);
        call("GET", r + "/statuses/" + head, bot, null, 200);
        call("GET", r + "/commits/" + head + "/status", bot, null, 200);
        long run = call("POST", r + "/check-runs", bot, "{\"name\":\"fixgate\",\"head_sha\":\"" + head
                + "\",\"status\":\"in_progress\",\"actions\":[{\"label\":\"Retry\",\"description\":\"Run again\","
                + "\"identifier\":\"retry\"}]}", 201).get("id").asLong();
        call("PATCH", r + "/check-runs/" + run, bot, "{\"conclusion\":\"neutral\",\"output\":{\"title\":\"t\",\"summary\":\"s\"},"
                + "\"actions\":[{\"label\":\"Open fix PR\",\"description\":\"Open the remediation PR\",\"identifier\":\"fix\"}]}",
                200);
        gh.as("alice").requestCheckRunAction("acme", "r", run, "fix");
        call("GET", r + "/check-runs/" + run, bot, null, 200);
        call("GET", r + "/commits/" + head + "/check-runs", bot, null, 200);
        long suite = call("GET", r + "/commits/" + head + "/check-suites", bot, null, 200).get("check_suites").get(0)
                .get("id").asLong();
        call("GET", r + "/check-suites/" + suite, bot, null, 200);

        long deployment = call("POST", r + "/deployments", bot, "{\"ref\":\"" + head + "\",\"environment\":\"staging\","
                + "\"payload\":{\"by\":\"test\"}}", 201).get("id").asLong();
        String dep = r + "/deployments/" + deployment;
        call("GET", r + "/deployments?environment=staging", bot, null, 200);
        call("GET", dep, bot, null, 200);
        long depStatus = call("POST", dep + "/statuses", bot, "{\"state\":\"success\",\"log_url\":"
                + "\"https://ci.example/logs/1\",\"environment_url\":\"https://staging.example\"}", 201).get("id").asLong();
        call("GET", dep + "/statuses", bot, null, 200);
        call("GET", dep + "/statuses/" + depStatus, bot, null, 200);

        String i = r + "/issues/" + pr;
        call("GET", i, bot, null, 200);
        call("PATCH", i, bot, "{\"body\":\"B2\"}", 200);
        call("POST", i + "/assignees", bot, "{\"assignees\":[\"alice\"]}", 201);
        call("POST", i + "/labels", bot, "{\"labels\":[\"fixgate\",\"security\"]}", 200);
        call("GET", i + "/labels", bot, null, 200);
        call("DELETE", i + "/labels/security", bot, null, 200);
        long comment = call("POST", i + "/comments", alice, "{\"body\":\"/fixgate explain\"}", 201).get("id").asLong();
        call("GET", i + "/comments", bot, null, 200);
        call("GET", r + "/issues/comments/" + comment, bot, null, 200);
        call("PATCH", r + "/issues/comments/" + comment, alice, "{\"body\":\"/fixgate explain please\"}", 200);
        call("POST", r + "/issues/comments/" + comment + "/reactions", bot, "{\"content\":\"+1\"}", 201);
        call("POST", r + "/issues/comments/" + comment + "/reactions", bot, "{\"content\":\"+1\"}", 200);
        call("GET", r + "/issues/comments/" + comment + "/reactions", bot, null, 200);
        long eyes = call("POST", r + "/issues/comments/" + comment + "/reactions", bot, "{\"content\":\"eyes\"}", 201)
                .get("id").asLong();
        call("DELETE", r + "/issues/comments/" + comment + "/reactions/" + eyes, bot, null, 204);
        call("POST", i + "/reactions", bot, "{\"content\":\"rocket\"}", 201);
        long heart = call("POST", i + "/reactions", bot, "{\"content\":\"heart\"}", 201).get("id").asLong();
        call("DELETE", i + "/reactions/" + heart, bot, null, 204);
        call("GET", i + "/reactions", bot, null, 200);
        call("POST", r + "/labels", bot, "{\"name\":\"risky\",\"color\":\"ff0000\"}", 201);
        call("GET", r + "/labels", bot, null, 200);
        call("GET", r + "/labels/risky", bot, null, 200);
        int issue = call("POST", r + "/issues", bot, "{\"title\":\"Owners needed\",\"labels\":[\"risky\"]}", 201)
                .get("number").asInt();
        call("GET", r + "/issues?labels=risky", bot, null, 200);
        call("PATCH", r + "/issues/" + issue, bot, "{\"title\":\"Owners wanted\",\"body\":\"- [ ] a\",\"labels\":[\"bug\"],"
                + "\"assignees\":[\"alice\"]}", 200);
        gh.as("alice").editIssueBody("acme", "r", issue, "- [x] a");
        gh.as("alice").editComment("acme", "r", comment, "/fixgate explain, please");
        call("PATCH", r + "/issues/" + issue, bot, "{\"state\":\"closed\",\"state_reason\":\"not_planned\",\"assignees\":[]}",
                200);
        gh.createRepo("acme", "added-later", "main", Map.of("x", "y\n")); // installation_repositories.added

        call("GET", p + "/merge", bot, null, 404);
        call("PUT", p + "/merge", bot, "{\"merge_method\":\"squash\",\"sha\":\"" + head + "\"}", 200);
        call("GET", p + "/merge", bot, null, 204);

        gh.awaitDeliveries();
        long delivery = call("GET", "/app/hook/deliveries", jwt, null, 200).get(0).get("id").asLong();
        call("GET", "/app/hook/deliveries/" + delivery, jwt, null, 200);
        call("POST", "/app/hook/deliveries/" + delivery + "/attempts", jwt, null, 202);

        Set<String> hit = new TreeSet<>();
        for (Exchange e : exchanges) {
            e.template().ifPresent(t -> hit.add(e.method() + " " + t));
        }
        Set<String> routes = new TreeSet<>(gh.routeKeys());
        // Aliases record the documented path they answer like (TeamsTest calls the team ones through hub4j).
        routes.removeAll(Set.of("GET /repos/{owner}/{repo}/git/refs/{ref}", "GET /repos/{owner}/{repo}/statuses/{ref}",
                "GET /organizations/{org_id}/team/{team_id}", "GET /organizations/{org_id}/team/{team_id}/members",
                "GET /organizations/{org_id}/team/{team_id}/memberships/{username}"));
        assertThat(hit).containsAll(routes);
        assertThat(gh.unsupportedRequests()).isEmpty();
    }
}
