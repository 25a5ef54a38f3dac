package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHOrganization;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHTeam;
import org.kohsuke.github.GHUser;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Organisation teams: the Java API that makes them, the teams API, and teams requested as pull request reviewers. */
class TeamsTest extends LocalGitHubTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private String bot;

    @BeforeEach
    void organisation() {
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createUser("bob");
        gh.createUser("carol");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "a\n"));
        gh.addCollaborator("acme", "infra", "alice", "write");
        gh.addCollaborator("acme", "infra", "bob", "write");
        gh.createTeam("acme", "security", List.of("alice"));
        bot = gh.installationToken(gh.installApp(APP_ID, "acme"));
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

    @Test
    void membershipIs200ForAMemberAnd404ForAnyoneElse() throws Exception {
        String m = "/orgs/acme/teams/security/memberships/";
        JsonNode alice = json(call("GET", m + "alice", bot, null), 200);
        assertThat(alice.get("role").asString()).isEqualTo("member");
        assertThat(alice.get("state").asString()).isEqualTo("active");
        JsonNode team = json(call("GET", "/orgs/acme/teams/security", bot, null), 200);
        assertThat(alice.get("url").asString()).isEqualTo(team.get("url").asString() + "/memberships/alice");
        assertThat(team.get("url").asString()).startsWith(gh.apiUrl() + "/organizations/");

        assertThat(json(call("GET", m + "carol", bot, null), 404).get("message").asString()).isEqualTo("Not Found");
        json(call("GET", m + "nobody", bot, null), 404);
        json(call("GET", "/orgs/acme/teams/nope/memberships/alice", bot, null), 404);

        gh.addTeamMember("acme", "security", "bob");
        json(call("GET", m + "bob", bot, null), 200);
        gh.removeTeamMember("acme", "security", "bob");
        json(call("GET", m + "bob", bot, null), 404);
    }

    @Test
    void teamsAndMembersAreListedInGitHubsShapes() throws Exception {
        gh.addTeamMember("acme", "security", "bob");
        gh.createTeam("acme", "platform", List.of());
        JsonNode teams = json(call("GET", "/orgs/acme/teams", bot, null), 200);
        assertThat(teams).extracting(t -> t.get("slug").asString()).containsExactly("security", "platform");
        assertThat(teams.get(0).get("name").asString()).isEqualTo("security");
        assertThat(teams.get(0).get("privacy").asString()).isEqualTo("closed");
        assertThat(teams.get(0).get("permission").asString()).isEqualTo("pull");

        JsonNode full = json(call("GET", "/orgs/acme/teams/security", bot, null), 200);
        assertThat(full.get("members_count").asInt()).isEqualTo(2);
        assertThat(full.get("organization").get("login").asString()).isEqualTo("acme");

        HttpResponse<String> page1 = call("GET", "/orgs/acme/teams/security/members?per_page=1", bot, null);
        assertThat(json(page1, 200)).extracting(u -> u.get("login").asString()).containsExactly("alice");
        assertThat(page1.headers().firstValue("Link")).hasValueSatisfying(l -> assertThat(l).contains("rel=\"next\""));
        assertThat(json(call("GET", "/orgs/acme/teams/security/members?per_page=1&page=2", bot, null), 200))
                .extracting(u -> u.get("login").asString()).containsExactly("bob");
        assertThat(json(call("GET", "/orgs/acme/teams/security/members?role=maintainer", bot, null), 200)).isEmpty();
    }

    @Test
    void readingTeamsNeedsAuthenticationAndAnInstallationOnTheOrgWithMembersPermission() throws Exception {
        json(call("GET", "/orgs/acme/teams", null, null), 401);
        json(call("GET", "/orgs/acme/teams", gh.tokenFor("carol"), null), 200);
        json(call("GET", "/orgs/nope/teams", bot, null), 404);
        json(call("GET", "/orgs/alice/teams", gh.tokenFor("alice"), null), 404);

        gh.registerApp(77, "no-members", LocalGitHub.generateAppKey().getPublic(), null, null,
                Map.of("contents", "write", "metadata", "read", "pull_requests", "write"));
        String withoutMembers = gh.installationToken(gh.installApp(77, "acme"));
        assertThat(json(call("GET", "/orgs/acme/teams/security/memberships/alice", withoutMembers, null), 403)
                .get("message").asString()).isEqualTo("Resource not accessible by integration");

        gh.createOrg("other");
        String onOther = gh.installationToken(gh.installApp(APP_ID, "other"));
        json(call("GET", "/orgs/acme/teams", onOther, null), 403);
    }

    @Test
    void teamsAreMadeOfExistingUsersOfAnOrganisation() {
        assertThatThrownBy(() -> gh.createTeam("acme", "ghosts", List.of("nobody")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gh.createTeam("alice", "friends", List.of("bob")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gh.createTeam("acme", "security", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gh.createTeam("acme", "Not A Slug", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gh.addTeamMember("acme", "nope", "bob")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gh.addTeamMember("acme", "security", "fixgate[bot]"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hub4jFindsTheTeamAndItsMembersThroughTheTeamsUrl() throws Exception {
        GitHub api = new GitHubBuilder().withEndpoint(gh.apiUrl()).withAppInstallationToken(bot).build();
        GHOrganization org = api.getOrganization("acme");
        GHTeam team = org.getTeamBySlug("security");
        assertThat(team.getName()).isEqualTo("security");
        assertThat(team.hasMember(api.getUser("alice"))).isTrue();
        assertThat(team.hasMember(api.getUser("bob"))).isFalse();
        assertThat(team.getMembers()).extracting(GHUser::getLogin).containsExactly("alice");
        assertThat(org.getTeam(team.getId()).getSlug()).isEqualTo("security");
        assertThat(org.listTeams().toList()).extracting(GHTeam::getSlug).containsExactly("security");
        assertThat(gh.unsupportedRequests()).isEmpty();
    }

    @Test
    void aTeamRequestedAsReviewerShowsInThePullRequestAndEmitsReviewRequested() throws Exception {
        gh.as("bob").push("acme", "infra", "fix", Map.of("main.tf", "b\n"), "Fix");
        int number = gh.as("bob").openPullRequest("acme", "infra", "fix", "main", "Fix", "");
        String p = "/repos/acme/infra/pulls/" + number;

        JsonNode created = json(call("POST", p + "/requested_reviewers", bot, "{\"team_reviewers\":[\"security\"]}"), 201);
        assertThat(created.get("requested_teams")).extracting(t -> t.get("slug").asString()).containsExactly("security");
        JsonNode requested = json(call("GET", p + "/requested_reviewers", bot, null), 200);
        assertThat(requested.get("teams")).extracting(t -> t.get("slug").asString()).containsExactly("security");
        assertThat(requested.get("users")).isEmpty();
        assertThat(json(call("GET", p, bot, null), 200).get("requested_teams"))
                .extracting(t -> t.get("slug").asString()).containsExactly("security");
        GHPullRequest viaHub4j = new GitHubBuilder().withEndpoint(gh.apiUrl()).withAppInstallationToken(bot).build()
                .getRepository("acme/infra").getPullRequest(number);
        assertThat(viaHub4j.getRequestedTeams()).extracting(GHTeam::getSlug).containsExactly("security");

        gh.awaitDeliveries();
        List<JsonNode> requests = received.stream().filter(r -> r.event().equals("pull_request"))
                .map(r -> MAPPER.readTree(r.body())).filter(b -> b.get("action").asString().equals("review_requested"))
                .toList();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).get("requested_team").get("slug").asString()).isEqualTo("security");
        assertThat(requests.get(0).has("requested_reviewer")).isFalse();

        // An unknown team is refused as GitHub refuses it, and nothing of the request is applied.
        JsonNode refused = json(call("POST", p + "/requested_reviewers", bot,
                "{\"reviewers\":[\"alice\"],\"team_reviewers\":[\"nope\"]}"), 422);
        assertThat(refused.get("message").asString()).isEqualTo("Reviews may only be requested from collaborators. "
                + "One or more of the teams you specified is not a collaborator of the acme/infra repository.");
        assertThat(json(call("GET", p + "/requested_reviewers", bot, null), 200).get("users")).isEmpty();

        // A member's review answers the team's request.
        gh.as("alice").approve("acme", "infra", number, "LGTM");
        assertThat(json(call("GET", p + "/requested_reviewers", bot, null), 200).get("teams")).isEmpty();
    }

    @Test
    void aTeamReviewRequestCanBeWithdrawn() throws Exception {
        gh.as("bob").push("acme", "infra", "fix", Map.of("main.tf", "b\n"), "Fix");
        int number = gh.as("bob").openPullRequest("acme", "infra", "fix", "main", "Fix", "");
        String p = "/repos/acme/infra/pulls/" + number;
        json(call("POST", p + "/requested_reviewers", bot, "{\"reviewers\":[\"alice\"],\"team_reviewers\":[\"security\"]}"),
                201);
        JsonNode after = json(call("DELETE", p + "/requested_reviewers", bot,
                "{\"reviewers\":[],\"team_reviewers\":[\"security\"]}"), 200);
        assertThat(after.get("requested_teams")).isEmpty();
        assertThat(after.get("requested_reviewers")).extracting(u -> u.get("login").asString()).containsExactly("alice");
        json(call("DELETE", p + "/requested_reviewers", bot, "{\"team_reviewers\":[\"security\"]}"), 422);

        gh.awaitDeliveries();
        assertThat(receivedEvents()).containsSubsequence("pull_request.review_requested",
                "pull_request.review_requested", "pull_request.review_request_removed");
        JsonNode removed = received.stream().map(r -> MAPPER.readTree(r.body()))
                .filter(b -> b.path("action").asString("").equals("review_request_removed")).findFirst().orElseThrow();
        assertThat(removed.get("requested_team").get("slug").asString()).isEqualTo("security");
    }

    @Test
    void onlyTeamsOfTheOwningOrganisationCanBeRequested() throws Exception {
        gh.createRepo("bob", "personal", "main", Map.of("a.txt", "a\n"));
        gh.as("bob").push("bob", "personal", "change", Map.of("a.txt", "b\n"), "Change");
        int number = gh.as("bob").openPullRequest("bob", "personal", "change", "main", "Change", "");
        json(call("POST", "/repos/bob/personal/pulls/" + number + "/requested_reviewers", gh.tokenFor("bob"),
                "{\"team_reviewers\":[\"security\"]}"), 422);
    }
}
