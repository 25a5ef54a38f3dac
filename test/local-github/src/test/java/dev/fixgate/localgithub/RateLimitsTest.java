package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The primary rate limit is counted per installation (all its tokens share one budget), scaled by the installation's
 * repositories and organisation users as GitHub documents, and {@code GET /rate_limit} agrees with the headers.
 */
class RateLimitsTest extends LocalGitHubTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gh.apiUrl() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int header(HttpResponse<String> res, String name) {
        return Integer.parseInt(res.headers().firstValue(name).orElseThrow());
    }

    private void repos(String owner, int n) {
        for (int k = 0; k < n; k++) {
            gh.createRepo(owner, "r" + k, "main", Map.of("main.tf", "x\n"));
        }
    }

    @Test
    void anInstallationsTokensShareOneBudgetAndANewTokenDoesNotResetIt() throws Exception {
        gh.createOrg("acme");
        repos("acme", 2);
        long installation = gh.installApp(APP_ID, "acme");
        String first = gh.installationToken(installation);
        for (int k = 0; k < 3; k++) {
            assertThat(get("/repos/acme/r0", first).statusCode()).isEqualTo(200);
        }
        String second = gh.installationToken(installation);
        HttpResponse<String> res = get("/repos/acme/r1", second);
        assertThat(header(res, "X-RateLimit-Limit")).isEqualTo(5000);
        assertThat(header(res, "X-RateLimit-Used")).isEqualTo(4);
        assertThat(header(res, "X-RateLimit-Remaining")).isEqualTo(4996);

        JsonNode core = MAPPER.readTree(get("/rate_limit", first).body()).get("resources").get("core");
        assertThat(core.get("limit").asInt()).isEqualTo(5000);
        assertThat(core.get("used").asInt()).as("reading /rate_limit spends nothing").isEqualTo(4);
        assertThat(core.get("remaining").asInt()).isEqualTo(4996);
        assertThat(core.get("reset").asLong()).isEqualTo(Long.parseLong(res.headers().firstValue("X-RateLimit-Reset")
                .orElseThrow()));
        HttpResponse<String> again = get("/rate_limit", second);
        assertThat(header(again, "X-RateLimit-Used")).isEqualTo(4);

        gh.createOrg("other");
        repos("other", 1);
        String otherToken = gh.installationToken(gh.installApp(APP_ID, "other"));
        assertThat(header(get("/repos/other/r0", otherToken), "X-RateLimit-Used"))
                .as("another installation has its own budget").isEqualTo(1);
    }

    @Test
    void aConditionalRequestAnsweredNotModifiedIsNotCountedWhenMadeWithCredentials() throws Exception {
        gh.createOrg("acme");
        repos("acme", 1);
        String token = gh.installationToken(gh.installApp(APP_ID, "acme"));
        HttpResponse<String> first = get("/repos/acme/r0/contents/main.tf", token);
        assertThat(header(first, "X-RateLimit-Used")).isEqualTo(1);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> same = http.send(HttpRequest.newBuilder(URI.create(gh.apiUrl()
                + "/repos/acme/r0/contents/main.tf")).header("Authorization", "Bearer " + token)
                .header("If-None-Match", etag).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(header(same, "X-RateLimit-Used")).isEqualTo(1);
        assertThat(header(get("/repos/acme/r0", token), "X-RateLimit-Used")).as("a 200 counts").isEqualTo(2);

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(gh.apiUrl() + "/rate_limit"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(header(anonymous, "X-RateLimit-Used")).as("anonymous: its own budget, untouched").isZero();
    }

    @Test
    void theLimitGrowsByFiftyPerRepositoryAndUserAboveTwenty() throws Exception {
        gh.createOrg("acme");
        repos("acme", 30);
        String token = gh.installationToken(gh.installApp(APP_ID, "acme"));
        assertThat(header(get("/repos/acme/r0", token), "X-RateLimit-Limit")).isEqualTo(5000 + 50 * 10);

        List<String> users = new ArrayList<>();
        for (int k = 0; k < 25; k++) {
            gh.createUser("u" + k);
            users.add("u" + k);
        }
        gh.createTeam("acme", "everyone", users);
        assertThat(header(get("/repos/acme/r0", token), "X-RateLimit-Limit")).isEqualTo(5000 + 50 * 10 + 50 * 5);
        assertThat(MAPPER.readTree(get("/rate_limit", token).body()).get("rate").get("limit").asInt())
                .isEqualTo(5750);
    }

    @Test
    void theLimitIsCappedAt12500AndUsersAndAnonymousKeepTheirOwn() throws Exception {
        gh.createOrg("big");
        repos("big", 1);
        List<String> users = new ArrayList<>();
        for (int k = 0; k < 300; k++) {
            gh.createUser("m" + k);
            users.add("m" + k);
        }
        gh.createTeam("big", "all", users);
        String token = gh.installationToken(gh.installApp(APP_ID, "big"));
        assertThat(header(get("/repos/big/r0", token), "X-RateLimit-Limit")).isEqualTo(12_500);

        HttpResponse<String> user = get("/user", gh.tokenFor("m1"));
        assertThat(header(user, "X-RateLimit-Limit")).isEqualTo(5000);
        assertThat(header(user, "X-RateLimit-Used")).isEqualTo(1);
        HttpResponse<String> anonymous = get("/repos/big/r0", null);
        assertThat(header(anonymous, "X-RateLimit-Limit")).isEqualTo(60);
    }
}
