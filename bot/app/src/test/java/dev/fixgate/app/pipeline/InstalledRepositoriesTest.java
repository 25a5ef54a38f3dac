package dev.fixgate.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.ScanCache;
import dev.fixgate.localgithub.GitTraffic;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the remediation job obtains a repository's IaC: only what locate reads, and once per tree. */
class InstalledRepositoriesTest {

    private static final long APP_ID = 77;
    private static final String BUCKET_TF = "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-data\"\n}\n";
    private static final String STATE = """
            {"version": 4, "terraform_version": "1.9.0", "serial": 1, "lineage": "x", "outputs": {}, "resources": []}
            """;

    @TempDir
    Path tmp;

    private LocalGitHub gh;
    private final Clock clock = Clock.systemUTC();

    @AfterEach
    void stop() {
        if (gh != null) {
            gh.close();
        }
    }

    private RemediateJobHandler.Repo start(LocalGitHubOptions options, Map<String, String> files) throws Exception {
        gh = LocalGitHub.start(options);
        gh.createOrg("acme");
        KeyPair key = LocalGitHub.generateAppKey();
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), "http://127.0.0.1:9/unused", "unused-secret-0123456789");
        gh.createPrivateRepo("acme", "infra", "main", files);
        long installation = gh.installApp(APP_ID, "acme");
        clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
        return new RemediateJobHandler.Repo(installation, "acme/infra");
    }

    private GitHubClients clients;

    private static Map<String, String> repository() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("infra/main.tf", BUCKET_TF);
        files.put("infra/terraform.tfstate", STATE);
        files.put("cfn/notes.yaml", "just: yaml\n");
        files.put("node_modules/pkg/main.tf", BUCKET_TF);
        for (int i = 0; i < 50; i++) {
            files.put("src/File" + i + ".java", "class File" + i + " {}\n".repeat(50));
        }
        return files;
    }

    private static List<String> written(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith(".git/")).sorted().toList();
        }
    }

    @Test
    void onlyTheFilesLocateReadsAreFetchedAndWritten() throws Exception {
        RemediateJobHandler.Repo repo = start(LocalGitHubOptions.in(tmp.resolve("github")), repository());
        InstalledRepositories repositories = new InstalledRepositories(clients);

        Path dir = tmp.resolve("checkout");
        RepoScan scan = repositories.scan(repo, dir);

        assertThat(written(dir)).containsExactly("cfn/notes.yaml", "infra/main.tf", "infra/terraform.tfstate");
        assertThat(scan.modules()).singleElement().satisfies(m -> assertThat(m.dir()).isEqualTo("infra"));
        assertThat(scan.root()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void theSameTreeAgainCostsItsCommitAndStateFilesAndGivesTheSameScan() throws Exception {
        RemediateJobHandler.Repo repo = start(LocalGitHubOptions.in(tmp.resolve("github")), repository());
        ScanCache cache = ScanCache.defaults();
        InstalledRepositories repositories = new InstalledRepositories(clients, cache);
        repositories.scan(repo, tmp.resolve("first"));
        GitTraffic.Snapshot first = gh.gitTraffic().snapshot();
        gh.gitTraffic().reset();

        Path second = tmp.resolve("second");
        RepoScan again = repositories.scan(repo, second);

        GitTraffic.Snapshot cost = gh.gitTraffic().snapshot();
        assertThat(cost.bytesOut()).isLessThan(first.bytesOut());
        assertThat(again.root()).isEqualTo(second.toAbsolutePath().normalize());
        assertThat(again.modules()).singleElement().satisfies(m -> assertThat(m.dir()).isEqualTo("infra"));
        // the state sources read the state file from this checkout: it is written again
        assertThat(written(second)).containsExactly("infra/terraform.tfstate");
        assertThat(Files.readString(second.resolve("infra/terraform.tfstate"))).isEqualTo(STATE);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aGitServerWithoutPartialCloneGetsTheShallowCloneOfTheBranch() throws Exception {
        RemediateJobHandler.Repo repo = start(LocalGitHubOptions.in(tmp.resolve("github")).withoutPartialClone(),
                repository());
        InstalledRepositories repositories = new InstalledRepositories(clients);

        Path dir = tmp.resolve("checkout");
        RepoScan scan = repositories.scan(repo, dir);

        assertThat(written(dir)).contains("infra/main.tf", "src/File0.java", "node_modules/pkg/main.tf");
        assertThat(scan.modules()).singleElement().satisfies(m -> assertThat(m.dir()).isEqualTo("infra"));
    }
}
