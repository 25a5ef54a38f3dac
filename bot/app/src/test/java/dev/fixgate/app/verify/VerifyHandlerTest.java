package dev.fixgate.app.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.github.WebhookEvent;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.app.store.VerifyStore;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.Severity;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which deploy signals count: with {@code verify.deploy.signal: workflow} and a workflow named, only a successful run
 * of that workflow on the default branch, of the merge commit or a later one, marks a merged fix deployed; failed runs,
 * other branches, other workflows and deployments do not.
 */
class VerifyHandlerTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final long APP_ID = 4747;

    @TempDir
    Path dir;

    private LocalGitHub gh;
    private Database db;
    private long installation;
    private VerifyHandler handler;
    private final AtomicInteger woken = new AtomicInteger();
    private long remediation;
    private String mergeSha;

    @BeforeEach
    void setUp() throws Exception {
        gh = LocalGitHub.start(LocalGitHubOptions.in(dir.resolve("gh")));
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "resource \"aws_s3_bucket\" \"data\" {}\n",
                ".github/fixgate.yml", "verify:\n  deploy:\n    signal: workflow\n    workflow: .github/workflows/apply.yml\n"));
        gh.addCollaborator("acme", "infra", "alice", "admin");
        KeyPair key = LocalGitHub.generateAppKey();
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), null, null);
        installation = gh.installApp(APP_ID, "acme");
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        GitHubClients clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), Clock.systemUTC(),
                RateLimitPolicy.defaults(Clock.systemUTC()));
        mergeSha = clients.installation(installation).getRepository("acme/infra").getBranch("main").getSHA1();

        db = TestDb.H2.fresh();
        ControlId c = ControlId.canonical("aws.s3.bucket.versioning");
        Finding f = new Finding("securityhub", "a", c, "S3.14", Severity.HIGH, "HIGH",
                new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::a"), "", true, NOW, NOW,
                SourceLocation.of("f.json"));
        new FindingStore(db).record(f);
        InitiativeId id = InitiativeId.of(c, "account:1");
        new InitiativeStore(db).save(new Initiative(id, c, "account:1", Severity.HIGH, List.of(f.fingerprint())), NOW);
        RemediationStore remediations = new RemediationStore(db);
        remediation = remediations.create(id, "s3_bucket_versioning", RciLevel.SAFE, 0.9, "acme/infra", "fixgate/x", "{}",
                NOW);
        remediations.delivered(remediation, 3, NOW);
        VerifyStore store = new VerifyStore(db);
        store.start(remediation, "acme/infra", installation, 3, mergeSha, NOW, NOW.plus(Duration.ofDays(7)), NOW);
        handler = new VerifyHandler(clients, remediations, store, new JobQueue(db), clock, woken::incrementAndGet);
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
        if (gh != null) {
            gh.close();
        }
    }

    private void workflowRun(String name, String path, String branch, String sha, String conclusion) throws Exception {
        ObjectNode p = Json.mapper().createObjectNode();
        ObjectNode run = p.putObject("workflow_run");
        run.put("id", 77).put("name", name).put("path", path).put("head_branch", branch).put("head_sha", sha)
                .put("conclusion", conclusion).put("updated_at", "2026-12-01T11:00:00Z");
        p.putObject("repository").put("default_branch", "main");
        handler.onEvent(new WebhookEvent("d-" + name + conclusion + branch, "workflow_run", "completed", installation,
                "acme/infra", p));
    }

    private Optional<Instant> deployed() {
        return new VerifyStore(db).find(remediation).orElseThrow().deployedAt();
    }

    @Test
    void onlyASuccessfulRunOfTheConfiguredWorkflowOnTheDefaultBranchAtOrAfterTheMergeCounts() throws Exception {
        String later = gh.as("alice").push("acme", "infra", "main", Map.of("README.md", "# infra\n"), "Docs");

        workflowRun("Apply", ".github/workflows/apply.yml", "main", later, "failure");
        workflowRun("Apply", ".github/workflows/apply.yml", "feature", later, "success");
        workflowRun("Lint", ".github/workflows/lint.yml", "main", later, "success");
        ObjectNode deployment = Json.mapper().createObjectNode();
        deployment.putObject("deployment_status").put("state", "success").put("environment", "production");
        deployment.putObject("deployment").put("id", 5).put("sha", later).put("environment", "production");
        handler.onEvent(new WebhookEvent("d-dep", "deployment_status", "created", installation, "acme/infra",
                deployment));
        assertThat(deployed()).as("none of these is the configured signal").isEmpty();
        assertThat(woken).hasValue(0);

        workflowRun("Apply", ".github/workflows/apply.yml", "main", later, "success");
        VerifyStore.Track t = new VerifyStore(db).find(remediation).orElseThrow();
        assertThat(t.deployedAt()).contains(Instant.parse("2026-12-01T11:00:00Z"));
        assertThat(t.deploySignal()).isEqualTo("workflow run 77 (Apply) succeeded of " + later.substring(0, 7));
        assertThat(woken).hasValue(1);
        // one verification run queued, due now (the list leaves payloads out)
        assertThat(new JobQueue(db).list(Optional.empty(), 10)).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo(VerifyJobHandler.KIND);
            assertThat(j.runAfter()).isEqualTo(NOW);
        });

        // the first deployment counts; a later one changes nothing
        workflowRun("Apply", ".github/workflows/apply.yml", "main", later, "success");
        assertThat(new VerifyStore(db).find(remediation).orElseThrow().deployedAt()).isEqualTo(t.deployedAt());
    }

    @Test
    void aRunOfACommitBeforeTheMergeDoesNotDeployIt() throws Exception {
        // the merge is the newer commit; the run deployed the one before it
        String before = mergeSha;
        String merge = gh.as("alice").push("acme", "infra", "main", Map.of("README.md", "# infra\n"), "Merge fix");
        // re-point the track at the newer merge commit
        db.withConnection(c -> dev.fixgate.app.store.Sql.update(c, "UPDATE verify_tracks SET merge_sha = ?", merge));
        workflowRun("Apply", ".github/workflows/apply.yml", "main", before, "success");
        assertThat(deployed()).isEmpty();
    }
}
