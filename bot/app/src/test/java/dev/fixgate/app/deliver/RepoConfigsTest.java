package dev.fixgate.app.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfig.Mode;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import dev.fixgate.spi.error.SourceLocation;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/** {@link RepoConfigs} against the local GitHub: the owner's {@code .github} repository as defaults. */
class RepoConfigsTest {

    private static final String ORG_FILE = "acme/.github:.github/fixgate.yml";
    private static final String REPO_FILE = "acme/infra:.github/fixgate.yml";

    @TempDir
    Path tmp;

    private LocalGitHub gh;
    private GitHub github;

    @BeforeEach
    void start() throws Exception {
        gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")));
        gh.createOrg("acme");
        gh.createUser("alice");
        github = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor("alice")).build();
    }

    @AfterEach
    void stop() {
        if (gh != null) {
            gh.close();
        }
    }

    private GHRepository repo(String fullName) throws Exception {
        return github.getRepository(fullName);
    }

    @Test
    void theOrganisationsDotGithubFileIsTheDefaultUnderTheRepositorysOwnFile() throws Exception {
        gh.createRepo("acme", ".github", "trunk", Map.of(".github/fixgate.yml", """
                mode: detect
                caps:
                  max_open_pull_requests: 2
                """));
        gh.createRepo("acme", "infra", "main", Map.of(".github/fixgate.yml", """
                caps:
                  max_pull_requests_per_day: 3
                """));

        for (RepoConfig config : new RepoConfig[] {RepoConfigs.read(github, repo("acme/infra")),
                RepoConfigs.read(repo("acme/infra"))}) {
            assertThat(config.mode()).isEqualTo(Mode.DETECT);
            assertThat(config.caps().maxOpenPullRequests()).isEqualTo(2);
            assertThat(config.caps().maxPullRequestsPerDay()).isEqualTo(3);
            assertThat(config.origin().files()).containsExactly(ORG_FILE, REPO_FILE);
            assertThat(config.origin().describe("/mode")).isEqualTo(ORG_FILE + ":1:1");
        }
        assertThat(gh.unsupportedRequests()).isEmpty();
    }

    @Test
    void withoutTheOrganisationsRepositoryOrItsFileThereAreNoDefaults() throws Exception {
        gh.createRepo("acme", "infra", "main", Map.of(".github/fixgate.yml", "caps: {max_open_pull_requests: 1}\n"));

        RepoConfig none = RepoConfigs.read(github, repo("acme/infra"));
        assertThat(none.mode()).isEqualTo(Mode.ASSIST);
        assertThat(none.origin().files()).containsExactly(REPO_FILE);

        gh.createRepo("acme", ".github", "main", Map.of()); // empty: no commit at all
        assertThat(RepoConfigs.read(github, repo("acme/infra")).origin().files()).containsExactly(REPO_FILE);
        assertThat(RepoConfigs.read(repo("acme/infra")).origin().files()).containsExactly(REPO_FILE);
    }

    @Test
    void aFixgateYmlAtTheRootOfTheDotGithubRepositoryIsNotRead() throws Exception {
        gh.createRepo("acme", ".github", "main", Map.of("fixgate.yml", "mode: detect\n", "profile/README.md", "hi\n"));
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "\n"));

        RepoConfig config = RepoConfigs.read(github, repo("acme/infra"));

        assertThat(config).isEqualTo(RepoConfig.defaults());
    }

    @Test
    void anInvalidOrganisationFileFailsClosedForEveryRepositoryNamingItsFileAndLine() throws Exception {
        gh.createRepo("acme", ".github", "main", Map.of(".github/fixgate.yml", """
                mode: assist
                reviewers:
                  required_approvals: many
                """));
        gh.createRepo("acme", "infra", "main", Map.of(".github/fixgate.yml", "mode: autonomous\n"));
        gh.createRepo("acme", "web", "main", Map.of("index.html", "<p>\n"));

        for (String name : new String[] {"acme/infra", "acme/web"}) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RepoConfigs.read(github, repo(name)));
            assertThat(e).as(name).isNotNull();
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.location()).isEqualTo(SourceLocation.at(ORG_FILE, 3, 23));
                assertThat(p.key()).isEqualTo("reviewers.required_approvals");
            });
            assertThat(e.getMessage()).startsWith("invalid configuration: " + ORG_FILE + ":3:23: ");
        }
    }

    @Test
    void aUsersDotGithubRepositoryHoldsTheDefaultsForTheirRepositories() throws Exception {
        gh.createRepo("alice", ".github", "main", Map.of(".github/fixgate.yml", "grouping: control_directory\n"));
        gh.createRepo("alice", "tools", "main", Map.of("main.tf", "\n"));

        RepoConfig config = RepoConfigs.read(github, repo("alice/tools"));

        assertThat(config.grouping()).isEqualTo(RepoConfig.Grouping.CONTROL_DIRECTORY);
        assertThat(config.origin().files()).containsExactly("alice/.github:.github/fixgate.yml");
        assertThat(RepoConfigs.read(repo("alice/tools"))).isEqualTo(config);
    }

    @Test
    void theDotGithubRepositoryReadsItsOwnFileOnceAsItsConfiguration() throws Exception {
        gh.createRepo("acme", ".github", "main", Map.of(".github/fixgate.yml", "mode: supervised\n"));

        RepoConfig config = RepoConfigs.read(github, repo("acme/.github"));

        assertThat(config.mode()).isEqualTo(Mode.SUPERVISED);
        assertThat(config.origin().files()).containsExactly(ORG_FILE);
    }
}
