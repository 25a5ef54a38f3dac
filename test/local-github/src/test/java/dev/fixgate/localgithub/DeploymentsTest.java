package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHCommitState;
import org.kohsuke.github.GHDeployment;
import org.kohsuke.github.GHDeploymentState;
import org.kohsuke.github.GHDeploymentStatus;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.HttpException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deployments: through hub4j's unmodified client and the scripted CI, with the {@code deployment} and
 * {@code deployment_status} webhooks an app receives (their payloads validated against GitHub's webhook schemas by the
 * base class, the REST answers against the OpenAPI description).
 */
class DeploymentsTest extends LocalGitHubTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private GHRepository repo;
    private String main;

    @BeforeEach
    void repository() throws Exception {
        gh.createOrg("acme");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "a\n"));
        String token = gh.installationToken(gh.installApp(APP_ID, "acme"));
        repo = new GitHubBuilder().withEndpoint(gh.apiUrl()).withAppInstallationToken(token).build()
                .getRepository("acme/infra");
        main = gh.branchSha("acme", "infra", "main").orElseThrow();
    }

    private List<JsonNode> payloads(String event) {
        return received.stream().filter(r -> r.event().equals(event)).map(r -> MAPPER.readTree(r.body())).toList();
    }

    @Test
    void theCiDeploysACommitAndTheAppHearsEachStatus() throws Exception {
        long id = gh.ci("acme", "infra").deploy(main, "production", true);
        gh.awaitDeliveries();
        assertThat(receivedEvents()).containsSubsequence("deployment.created", "deployment_status.created",
                "deployment_status.created");
        List<JsonNode> statuses = payloads("deployment_status");
        assertThat(statuses).extracting(p -> p.path("deployment_status").path("state").asString())
                .containsExactly("in_progress", "success");
        JsonNode last = statuses.getLast();
        assertThat(last.path("deployment").path("id").asLong()).isEqualTo(id);
        assertThat(last.path("deployment").path("sha").asString()).isEqualTo(main);
        assertThat(last.path("deployment").path("environment").asString()).isEqualTo("production");
        assertThat(last.path("deployment_status").path("environment").asString()).isEqualTo("production");
        assertThat(last.path("deployment").path("performed_via_github_app").path("slug").asString()).isEqualTo("local-ci");
        assertThat(last.path("repository").path("default_branch").asString()).isEqualTo("main");

        GHDeployment d = repo.getDeployment(id);
        assertThat(d.getSha()).isEqualTo(main);
        assertThat(d.getEnvironment()).isEqualTo("production");
        List<GHDeploymentStatus> list = d.listStatuses().toList();
        assertThat(list).extracting(GHDeploymentStatus::getState).containsExactly(GHDeploymentState.SUCCESS,
                GHDeploymentState.IN_PROGRESS); // newest first
    }

    @Test
    void anAppCreatesADeploymentAndItsStatusThroughTheRestApi() throws Exception {
        GHDeployment d = repo.createDeployment("main").environment("staging").description("canary")
                .requiredContexts(List.of()).create();
        assertThat(d.getSha()).isEqualTo(main);
        assertThat(d.getRef()).isEqualTo("main");
        GHDeploymentStatus s = d.createStatus(GHDeploymentState.FAILURE).description("smoke test failed").create();
        assertThat(s.getState()).isEqualTo(GHDeploymentState.FAILURE);
        assertThat(repo.listDeployments(null, "main", null, "staging").toList()).extracting(GHDeployment::getId)
                .containsExactly(d.getId());
        assertThat(repo.listDeployments(null, null, null, "production").toList()).isEmpty();
        gh.awaitDeliveries();
        assertThat(payloads("deployment_status").getLast().path("deployment_status").path("state").asString())
                .isEqualTo("failure");
    }

    @Test
    void aCommitWhoseStatusesAreNotGreenIsNotDeployed() throws Exception {
        repo.createCommitStatus(main, GHCommitState.FAILURE, null, "red", "ci");
        HttpException refused = org.assertj.core.api.Assertions.catchThrowableOfType(HttpException.class,
                () -> repo.createDeployment("main").create());
        assertThat(refused.getResponseCode()).isEqualTo(409);
        assertThat(refused.getMessage()).contains("Commit status checks failed for main");
        // an empty list skips the check, as on GitHub
        assertThat(repo.createDeployment("main").requiredContexts(List.of()).create().getSha()).isEqualTo(main);
        HttpException unknown = org.assertj.core.api.Assertions.catchThrowableOfType(HttpException.class,
                () -> repo.createDeployment("no-such-ref").requiredContexts(List.of()).create());
        assertThat(unknown.getResponseCode()).isEqualTo(422);
    }
}
