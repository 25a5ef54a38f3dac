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

    private static final String PUSHED = "src/File7.java";

    private void push(String path, String text) {
        gh.as("alice").push("acme", "infra", "main", Map.of(path, text), "a push");
    }

    private void alice() {
        gh.createUser("alice");
        gh.addCollaborator("acme", "infra", "alice", "write");
    }

    @Test
    void afterAPushAReplicaWithAStoreFetchesOnlyTheChangedTrees() throws Exception {
        RemediateJobHandler.Repo repo = start(LocalGitHubOptions.in(tmp.resolve("github")), repository());
        alice();
        InstalledRepositories repositories = new InstalledRepositories(clients, ScanCache.defaults(),
                ObjectStores.under(tmp.resolve("objects")));
        repositories.scan(repo, tmp.resolve("first"));
        push(PUSHED, "class File7 { int pushed; }\n");
        // what a replica without a store fetches after the same push: every tree again
        gh.gitTraffic().reset();
        new InstalledRepositories(clients).scan(repo, tmp.resolve("without"));
        GitTraffic.Snapshot without = gh.gitTraffic().snapshot();
        gh.gitTraffic().reset();

        Path second = tmp.resolve("second");
        RepoScan scan = repositories.scan(repo, second);

        GitTraffic.Snapshot with = gh.gitTraffic().snapshot();
        assertThat(with.requests()).isLessThan(without.requests());
        assertThat(with.bytesOut()).isLessThan(without.bytesOut() / 2);
        assertThat(written(second)).containsExactly("cfn/notes.yaml", "infra/main.tf", "infra/terraform.tfstate");
        assertThat(scan.modules()).singleElement().satisfies(m -> assertThat(m.dir()).isEqualTo("infra"));
    }

    @Test
    void anIacFileChangedByAPushIsReadFromTheNewTree() throws Exception {
        RemediateJobHandler.Repo repo = start(LocalGitHubOptions.in(tmp.resolve("github")), repository());
        alice();
        InstalledRepositories repositories = new InstalledRepositories(clients, ScanCache.defaults(),
                ObjectStores.under(tmp.resolve("objects")));
        repositories.scan(repo, tmp.resolve("first"));
        String moved = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n";
        push("src/deep/er/logs.tf", moved);

        Path second = tmp.resolve("second");
        RepoScan scan = repositories.scan(repo, second);

        assertThat(written(second)).containsExactly("cfn/notes.yaml", "infra/main.tf", "infra/terraform.tfstate",
                "src/deep/er/logs.tf");
        assertThat(Files.readString(second.resolve("src/deep/er/logs.tf"))).isEqualTo(moved);
        assertThat(scan.modules()).hasSize(2);
    }

    @Test
    void aStoreThatLostItsObjectsIsEmptiedAndTheRepositoryFetchedAsTheFirstTime() throws Exception {
        RemediateJobHandler.Repo repo = start(LocalGitHubOptions.in(tmp.resolve("github")), repository());
        alice();
        Path objects = tmp.resolve("objects");
        InstalledRepositories repositories = new InstalledRepositories(clients, ScanCache.defaults(),
                ObjectStores.under(objects));
        repositories.scan(repo, tmp.resolve("first"));
        // the recorded tip's commit is kept, its trees are gone: the server will not send what the have claims
        try (Stream<Path> packs = Files.walk(objects)) {
            for (Path p : packs.filter(p -> p.toString().endsWith(".pack") || p.toString().endsWith(".idx")).toList()) {
                Files.delete(p);
            }
        }
        push(PUSHED, "class File7 { int pushed; }\n");

        Path second = tmp.resolve("second");
        RepoScan scan = repositories.scan(repo, second);

        assertThat(written(second)).containsExactly("cfn/notes.yaml", "infra/main.tf", "infra/terraform.tfstate");
        assertThat(scan.modules()).singleElement().satisfies(m -> assertThat(m.dir()).isEqualTo("infra"));
    }

    @Test
    void aRecordedTipThatIsNotAnIdOrNotThereIsNotOffered() throws Exception {
        RemediateJobHandler.Repo repo = start(LocalGitHubOptions.in(tmp.resolve("github")), repository());
        Path objects = tmp.resolve("objects");
        new InstalledRepositories(clients, ScanCache.defaults(), ObjectStores.under(objects))
                .scan(repo, tmp.resolve("first"));
        Path tip;
        try (Stream<Path> files = Files.walk(objects)) {
            tip = files.filter(p -> p.getFileName().toString().equals("fixgate-tip")).findFirst().orElseThrow();
        }
        for (String junk : List.of("not an id\n", "0123456789012345678901234567890123456789\n")) {
            Files.writeString(tip, junk);
            Path dir = tmp.resolve("again-" + junk.length() + junk.charAt(0));
            // a restart: nothing in memory, the store on disk
            RepoScan scan = new InstalledRepositories(clients, ScanCache.defaults(), ObjectStores.under(objects))
                    .scan(repo, dir);
            assertThat(written(dir)).containsExactly("cfn/notes.yaml", "infra/main.tf", "infra/terraform.tfstate");
            assertThat(scan.modules()).singleElement().satisfies(m -> assertThat(m.dir()).isEqualTo("infra"));
        }
    }

    @Test
    void aStoreThatCannotBeOpenedCostsOnlyTheSaving() throws Exception {
        RemediateJobHandler.Repo repo = start(LocalGitHubOptions.in(tmp.resolve("github")), repository());
        Path notADirectory = Files.writeString(tmp.resolve("objects"), "a file where the stores should be");

        Path dir = tmp.resolve("checkout");
        RepoScan scan = new InstalledRepositories(clients, ScanCache.defaults(), ObjectStores.under(notADirectory))
                .scan(repo, dir);

        assertThat(written(dir)).containsExactly("cfn/notes.yaml", "infra/main.tf", "infra/terraform.tfstate");
        assertThat(scan.modules()).singleElement().satisfies(m -> assertThat(m.dir()).isEqualTo("infra"));
    }
}
