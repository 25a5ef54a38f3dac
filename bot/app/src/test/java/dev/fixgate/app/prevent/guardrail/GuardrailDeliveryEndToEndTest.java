package dev.fixgate.app.prevent.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.jobs.JobWorkers;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.merge.MergeDecider;
import dev.fixgate.app.merge.MergeHandler;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.localgithub.BranchProtection;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import dev.fixgate.playbooks.PlaybookCatalog;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHLabel;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * Guardrail pull requests against the local GitHub, through the same delivery code fix pull requests use: the
 * organisation's defaults name the guardrails repository and the OU, a recurrence is queued as a
 * {@value GuardrailJobHandler#KIND} job, and the pull request lands in the guardrails repository — idempotent,
 * packed with what is already there, and merged only after an authorised approval.
 */
class GuardrailDeliveryEndToEndTest {

    private static final long APP_ID = 5151;
    private static final String OU = "ou-ab12-cdef3456";
    private static final String DIR = "guardrails/aws/" + OU;

    @TempDir
    Path tmp;

    private LocalGitHub gh;
    private Database db;
    private JobQueue queue;
    private JobWorkers workers;
    private AuditLog audit;
    private GitHubClients clients;
    private long installation;
    private GitHub alice;
    private GuardrailDelivery delivery;
    private final Clock clock = Clock.systemUTC();

    @BeforeEach
    void start() throws Exception {
        gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")));
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createUser("security-lead");
        gh.createRepo("acme", ".github", "main", Map.of(".github/fixgate.yml", """
                guardrails:
                  repository: acme/org-guardrails
                  targets:
                    aws: [%s]
                    azure: [/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0]
                """.formatted(OU)));
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "# infra\n", ".github/fixgate.yml", "mode: autonomous\n"));
        gh.createRepo("acme", "org-guardrails", "main", Map.of("README.md", "# guardrails\n", ".github/fixgate.yml", """
                mode: supervised
                reviewers: {users: [security-lead], codeowners: false}
                """));
        for (String user : List.of("alice", "security-lead")) {
            gh.addCollaborator("acme", "org-guardrails", user, "write");
        }
        gh.protectBranch("acme", "org-guardrails", "main", new BranchProtection(List.of("ci"), false, 0, false));
        KeyPair key = LocalGitHub.generateAppKey();
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), null, null);
        installation = gh.installApp(APP_ID, "acme");
        clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
        alice = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor("alice")).build();
        db = TestDb.H2.fresh();
        queue = new JobQueue(db);
        audit = new AuditLog(db);
        PullRequestDelivery pullRequests = new PullRequestDelivery(clock, clients.tokens()::token);
        delivery = new GuardrailDelivery(pullRequests, new GuardrailRenderer(PlaybookCatalog.builtIn()));
        workers = JobWorkers.builder(queue).settings(WorkerSettings.defaults(1).withPollInterval(Duration.ofMillis(100)))
                .register(Wiring.guardrails(clients, pullRequests, audit, clock)).clock(clock).build().start();
    }

    @AfterEach
    void stop() {
        if (workers != null) {
            workers.close();
        }
        if (gh != null) {
            gh.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private GHRepository guardrails() throws Exception {
        return alice.getRepository("acme/org-guardrails");
    }

    private List<GHPullRequest> open() throws Exception {
        return guardrails().queryPullRequests().state(GHIssueState.OPEN).list().toList();
    }

    private GuardrailRequest recurrence(String playbook) {
        return new GuardrailRequest(installation, "acme/infra", playbook, List.of(),
                List.of("a1b2c3d4e5f60718293a4b5c6d7e8f90"), "the finding reopened after its fix was verified");
    }

    @Test
    void aRecurrenceOpensOneRiskyGuardrailPullRequestPerControlAndTargetThatMergesOnlyAfterApproval() throws Exception {
        GuardrailJobHandler.enqueue(queue, recurrence("s3_bucket_versioning"), Instant.now());
        workers.wake();
        await().atMost(Duration.ofSeconds(30)).until(() -> open().size() == 1
                && audit.recent(Optional.empty(), 10).stream().anyMatch(e -> e.type().equals("guardrail.proposed")));
        GHPullRequest pr = open().getFirst();
        assertThat(pr.getHead().getRef()).isEqualTo("fixgate/guardrail/s3_bucket_versioning/" + OU);
        assertThat(pr.getTitle()).isEqualTo("fixgate: guardrail s3_bucket_versioning (AWS SCP) for organizational unit " + OU);
        assertThat(pr.getBody()).contains("## Why", "came back in `acme/infra`", "the finding reopened", "## The control",
                "## What it denies", "\"s3:PutBucketVersioning\"", "## Sizes", "| characters | room left |",
                "## Risk of change: RISKY", "never by itself", "## Rollback", "detach-policy", "<!-- fixgate:initiative=");
        assertThat(pr.getLabels()).extracting(GHLabel::getName)
                .containsExactlyInAnyOrder("fixgate", "guardrail", "rci:risky", "severity:medium");
        String head = pr.getHead().getSha();
        String tf = gh.file("acme", "org-guardrails", head, DIR + "/fixgate_guardrails.tf").orElseThrow();
        assertThat(tf).contains("resource \"aws_organizations_policy_attachment\"").contains("target_id = \"" + OU + "\"")
                .contains("\"s3:PutBucketVersioning\"");
        JsonNode manifest = Json.mapper().readTree(gh.file("acme", "org-guardrails", head, DIR + "/fixgate-guardrails.json")
                .orElseThrow());
        assertThat(manifest.path("playbooks").toString()).isEqualTo("[\"s3_bucket_versioning\"]");
        GHCheckRun safety = guardrails().getCheckRuns(head).toList().stream()
                .filter(r -> r.getName().equals("fixgate/safety")).findFirst().orElseThrow();
        assertThat(safety.getConclusion()).isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED);
        assertThat(guardrails().getCommit(head).getCommitShortInfo().getMessage())
                .contains("Fixgate-Guardrail: s3_bucket_versioning", "Fixgate-Target: " + OU);
        assertThat(audit.recent(Optional.empty(), 10)).anySatisfy(e -> assertThat(e.type()).isEqualTo("guardrail.proposed"));

        // the same control and target again: the same pull request, no new commit
        List<GuardrailDelivery.Outcome> again = delivery.deliver(clients.installation(installation), recurrence("s3_bucket_versioning"));
        assertThat(again).singleElement().isInstanceOfSatisfying(GuardrailDelivery.Outcome.Proposed.class, p -> assertThat(
                p.delivery()).isEqualTo(new PullRequestDelivery.Outcome.PullRequestOpened(pr.getNumber(), pr.getHead().getRef(),
                head, false, false)));
        assertThat(open()).hasSize(1);

        // green CI is not enough: a guardrail waits for an authorised approval of its head
        gh.ci("acme", "org-guardrails").checkRun(head, "ci", true);
        MergeHandler merges = new MergeHandler(clients, APP_ID, "fixgate[bot]", clock, true, audit);
        GHRepository asBot = clients.installation(installation).getRepository("acme/org-guardrails");
        assertThat(merges.evaluate(installation, asBot, asBot.getPullRequest(pr.getNumber())))
                .isInstanceOf(MergeDecider.Decision.Wait.class);
        assertThat(guardrails().getPullRequest(pr.getNumber()).isMerged()).isFalse();
        gh.as("alice").approve("acme", "org-guardrails", pr.getNumber(), "looks fine"); // not a configured reviewer
        assertThat(merges.evaluate(installation, asBot, asBot.getPullRequest(pr.getNumber())))
                .isInstanceOf(MergeDecider.Decision.Wait.class);
        gh.as("security-lead").approve("acme", "org-guardrails", pr.getNumber(), "approved for the OU");
        assertThat(merges.evaluate(installation, asBot, asBot.getPullRequest(pr.getNumber())))
                .isInstanceOf(MergeDecider.Decision.Merge.class);
        assertThat(guardrails().getPullRequest(pr.getNumber()).isMerged()).isTrue();

        // the next control for the OU is packed together with the one already merged
        List<GuardrailDelivery.Outcome> next = delivery.deliver(clients.installation(installation), recurrence("kms_key_rotation"));
        GuardrailDelivery.Outcome.Proposed proposed = (GuardrailDelivery.Outcome.Proposed) next.getFirst();
        assertThat(proposed.branch()).isEqualTo("fixgate/guardrail/kms_key_rotation/" + OU);
        assertThat(proposed.rendered().playbooks()).containsExactly("kms_key_rotation", "s3_bucket_versioning");
        assertThat(proposed.rendered().scps()).singleElement().satisfies(p -> assertThat(p.statements()).singleElement()
                .satisfies(s -> assertThat(s.actions()).containsExactly("kms:DisableKeyRotation", "s3:PutBucketVersioning")));
        GHPullRequest second = open().stream().filter(p -> p.getHead().getRef().equals(proposed.branch())).findFirst().orElseThrow();
        assertThat(second.getBody()).contains("Already there before this pull request: `s3_bucket_versioning`.");
        assertThat(gh.unsupportedRequests()).isEmpty();
    }

    @Test
    void azureGuardrailsTakeTheGuardrailsRepositorysModeAndOneFilePerPlaybook() throws Exception {
        List<GuardrailDelivery.Outcome> out = delivery.deliver(clients.installation(installation),
                recurrence("azure_storage_https_only"));
        GuardrailDelivery.Outcome.Proposed p = (GuardrailDelivery.Outcome.Proposed) out.getFirst();
        String head = ((PullRequestDelivery.Outcome.PullRequestOpened) p.delivery()).headSha();
        String tf = gh.file("acme", "org-guardrails", head,
                "guardrails/azure/sub-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/azure_storage_https_only.tf").orElseThrow();
        // supervised mode enforces
        assertThat(tf).contains("azurerm_subscription_policy_assignment").contains("value = \"Deny\"");

        gh.as("alice").push("acme", "org-guardrails", "main", Map.of(".github/fixgate.yml", "mode: assist\n"), "report only");
        GuardrailDelivery.Outcome.Proposed audited = (GuardrailDelivery.Outcome.Proposed) delivery.deliver(
                clients.installation(installation), recurrence("azure_storage_https_only")).getFirst();
        PullRequestDelivery.Outcome.PullRequestOpened updated = (PullRequestDelivery.Outcome.PullRequestOpened) audited.delivery();
        assertThat(updated.created()).isFalse();
        assertThat(updated.branchUpdated()).isTrue();
        assertThat(gh.file("acme", "org-guardrails", updated.headSha(),
                "guardrails/azure/sub-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/azure_storage_https_only.tf").orElseThrow())
                .contains("value = \"Audit\"");
    }

    @Test
    void whatCannotBeDeliveredIsSaidAndNothingIsOpened() throws Exception {
        GitHub bot = clients.installation(installation);
        assertThat(delivery.deliver(bot, recurrence("rds_iam_auth"))).singleElement()
                .isInstanceOfSatisfying(GuardrailDelivery.Outcome.NoGuardrail.class,
                        n -> assertThat(n.description()).contains("No IAM condition key"));
        assertThat(delivery.deliver(bot, new GuardrailRequest(installation, "acme/infra", "gcp_vm_no_serial_port", List.of(),
                List.of(), ""))).singleElement().isInstanceOfSatisfying(GuardrailDelivery.Outcome.NotConfigured.class,
                n -> assertThat(n.reason()).contains("no gcp target for acme/infra"));
        assertThat(delivery.deliver(bot, new GuardrailRequest(installation, "acme/infra", "s3_bucket_versioning",
                List.of("folders/42"), List.of(), ""))).singleElement()
                .isInstanceOfSatisfying(GuardrailDelivery.Outcome.NotConfigured.class,
                        n -> assertThat(n.reason()).contains("target folders/42 is gcp"));
        assertThat(open()).isEmpty();
    }
}
