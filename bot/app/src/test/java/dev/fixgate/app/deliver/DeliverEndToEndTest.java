package dev.fixgate.app.deliver;

import dev.fixgate.app.audit.AuditLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.github.WebhookDispatcher;
import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.jobs.JobWorkers;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.merge.MergeHandler;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.web.FindingsEndpoint;
import dev.fixgate.app.web.WebServer;
import dev.fixgate.localgithub.BranchProtection;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHLabel;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * Webhook → job → pull request → checks → merge, for real: the local GitHub and fixgate's web server and job
 * workers run in this JVM, talk over HTTP with signed webhooks, and keep their state in an H2 database.
 */
class DeliverEndToEndTest {

    private static final long APP_ID = 4242;
    private static final Secret WEBHOOK_SECRET = Secret.of("e2e-webhook-secret-0123456789abcdef");
    private static final String MAIN_TF = """
            resource "aws_s3_bucket" "data" {
              bucket = "acme-data"
              tags = {
                Name = "acme-data"
              }
            }
            """;

    @TempDir
    Path tmp;

    private LocalGitHub gh;
    private AuditLog audit;
    private Database db;
    private WebServer server;
    private JobWorkers workers;
    private JobQueue queue;
    private long installation;
    private GitHubClients clients;
    private GitHub alice;
    private final List<PullRequestDelivery.Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<dev.fixgate.localgithub.Exchange> exchanges = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.systemUTC();
        gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")).withExchangeListener(exchanges::add));
        db = TestDb.H2.fresh();
        queue = new JobQueue(db);
        KeyPair key = LocalGitHub.generateAppKey();
        clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
        WebhookDeliveries deliveries = new WebhookDeliveries(db);
        WebhookDispatcher.Builder events = WebhookDispatcher.builder(deliveries, clock);
        audit = new AuditLog(db);
        new MergeHandler(clients, APP_ID, "fixgate[bot]", clock, true, audit).register(events);
        workers = JobWorkers.builder(queue)
                .settings(WorkerSettings.defaults(2).withPollInterval(Duration.ofMillis(100)))
                .register(new DeliveryJobHandler(clients, new PullRequestDelivery(clock, clients.tokens()::token), audit,
                        clock, outcomes::add))
                .register(events.build())
                .clock(clock).build().start();
        WebhookReceiver receiver = new WebhookReceiver(WEBHOOK_SECRET, deliveries, clock,
                WebhookReceiver.DEFAULT_MAX_ATTEMPTS, workers::wake);
        FindingsEndpoint findings = new FindingsEndpoint(() -> {
            throw new AssertionError("not used");
        }, List.of(), 1024);
        server = WebServer.start("127.0.0.1", 0, new WebServer.Routes(db, receiver, findings,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 5L << 20, workers::running));

        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createUser("reviewer");
        gh.createRepo("acme", "infra", "main", Map.of(
                "main.tf", MAIN_TF,
                ".github/CODEOWNERS", "*.tf @alice\n",
                ".github/fixgate.yml", "mode: autonomous\nreviewers: {users: [reviewer], codeowners: false}\n"));
        gh.addCollaborator("acme", "infra", "alice", "write");
        gh.addCollaborator("acme", "infra", "reviewer", "write");
        gh.protectBranch("acme", "infra", "main", new BranchProtection(List.of("ci"), false, 0, false));
        gh.registerApp(APP_ID, "fixgate", key.getPublic(),
                "http://127.0.0.1:" + server.port() + WebServer.WEBHOOK_PATH, WEBHOOK_SECRET.reveal());
        installation = gh.installApp(APP_ID, "acme");
        alice = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor("alice")).build();
    }

    @AfterEach
    void stop() {
        if (workers != null) {
            workers.close();
        }
        if (server != null) {
            server.close();
        }
        if (gh != null) {
            gh.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** Plans the versioning fix for main.tf exactly as `fixgate plan` does, in memory. */
    /** A SAFE fix the policy gate allowed for {@code reason}. */
    private FixProposal allowedSafe(String initiative, String fingerprint, String reason) throws Exception {
        return proposal(initiative, fingerprint, new GateDecision.Allow(GateLayer.POLICY, List.of(reason)), RciLevel.SAFE);
    }

    private FixProposal proposal(String initiative, String fingerprint, GateDecision decision, RciLevel level)
            throws Exception {
        Path checkout = Files.createDirectories(tmp.resolve("checkout-" + initiative));
        Files.writeString(checkout.resolve("main.tf"), MAIN_TF);
        RepoScan scan = RepoScan.of(checkout);
        RepoScan.Located bucket = scan.resources().stream()
                .filter(l -> l.resource().type().equals("aws_s3_bucket")).findFirst().orElseThrow();
        Playbook playbook = PlaybookCatalog.builtIn().byId("s3_bucket_versioning").orElseThrow();
        Planner planner = Planner.standard();
        Planner.Result plan = planner.compose(List.of(planner.plan(new Planner.Request(playbook, bucket, "e2e"), Map.of())),
                Map.of());
        assertThat(plan.items()).singleElement().satisfies(i -> assertThat(i.status()).isEqualTo(Planner.Status.PATCHED));
        Rci rci = level == RciLevel.SAFE ? Rci.initial()
                : Rci.initial().with(new RciReason("assess", "bucket.in-use", "the bucket served requests last week", level), 0.8);
        return new FixProposal("acme/infra", installation, initiative, "aws.s3.bucket.versioning", "medium",
                List.of(new FixProposal.FindingSummary(fingerprint, "prowler",
                        "S3 bucket acme-data has versioning disabled; leaked aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        2, Instant.parse("2026-01-05T10:00:00Z"))),
                List.of("main.tf:aws_s3_bucket.data"), plan.changed(), plan.diff(), rci,
                new FixProposal.Blast("resource", List.of("aws_s3_bucket.data"), List.of()),
                List.of(FixProposal.LayerDecision.of(decision)), playbook.rollback().how(), playbook.compliance(),
                List.of("s3.http_requests_90d = 0"), List.of(), List.of());
    }

    private long enqueue(FixProposal p) {
        long id = queue.enqueue(DeliveryJobHandler.KIND, p.toJson(), Optional.empty(), 5, Instant.now());
        workers.wake();
        return id;
    }

    private GHRepository repo() throws Exception {
        return alice.getRepository("acme/infra");
    }

    private List<GHPullRequest> openPullRequests() throws Exception {
        return repo().queryPullRequests().state(GHIssueState.OPEN).list().toList();
    }

    /** The pull request, once the delivery job has finished (labels and check run included). */
    private GHPullRequest awaitPullRequest() {
        await().atMost(Duration.ofSeconds(30)).until(() -> !outcomes.isEmpty() && !openPullRequests().isEmpty());
        try {
            return openPullRequests().getFirst();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String mainMessage() throws Exception {
        return repo().getCommit(gh.branchSha("acme", "infra", "main").orElseThrow()).getCommitShortInfo().getMessage();
    }

    @Test
    void theMergedBranchIsKeptWhenTheRepositorySaysSo() throws Exception {
        gh.as("alice").push("acme", "infra", "main", Map.of(".github/fixgate.yml", """
                mode: autonomous
                automerge:
                  delete_branch: false
                """), "Keep fixgate's branches");
        FixProposal p = allowedSafe("init-keep", "d1b2c3d4e5f60718293a4b5c6d7e8f90", "versioning is additive");
        enqueue(p);
        GHPullRequest pr = awaitPullRequest();

        gh.ci("acme", "infra").checkRun(pr.getHead().getSha(), "ci", true);

        await().atMost(Duration.ofSeconds(30)).until(() -> repo().getPullRequest(pr.getNumber()).isMerged());
        assertThat(gh.branchSha("acme", "infra", pr.getHead().getRef())).as("branch kept after merge").isPresent();
    }

    /**
     * The cost of a pull request in GitHub API calls (issue 18), counted at the local GitHub: everything fixgate asks
     * between taking the delivery job and its outcome for a one-file fix, token included (and nothing else: the
     * webhook endpoint is closed, so no other stage reacts meanwhile). Printed by route so that
     * BENCHMARKS.md can quote it; the bound keeps it from growing unnoticed.
     */
    @Test
    void aOneFileFixPullRequestCostsAFewCalls() throws Exception {
        FixProposal p = allowedSafe("init-cost", "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0", "versioning is additive");
        stopWebhooks();
        exchanges.clear();
        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> !outcomes.isEmpty());
        List<String> calls = calls("one single-file fix pull request");
        assertThat(outcomes.getFirst()).isInstanceOf(PullRequestDelivery.Outcome.PullRequestOpened.class);
        // measured 12, 11 with a token already held (BENCHMARKS.md); issue 18 asks for 8
        assertThat(calls).hasSizeLessThanOrEqualTo(12);
    }

    /** No webhooks reach fixgate: the merge stage reacting to a new pull request would add calls to those counted. */
    private void stopWebhooks() {
        server.close();
        server = null;
    }

    /** The requests made since {@link #exchanges} was cleared, by route, printed for BENCHMARKS.md. */
    private List<String> calls(String what) {
        List<String> calls = exchanges.stream().map(e -> e.method() + " " + e.template().orElse(e.path())).toList();
        System.out.println("calls for " + what + ": " + calls.size());
        calls.forEach(c -> System.out.println("  " + c));
        return calls;
    }

    /** The configuration files read through the installation's client, as the remediation job reads them. */
    private RepoConfigs.Sources configAsTheRemediationJobReadsIt() throws Exception {
        stopWebhooks();
        GitHub bot = clients.installation(installation);
        return RepoConfigs.sources(bot, bot.getRepository("acme/infra"));
    }

    /** Queues {@code p}'s delivery with what its remediation job read, and waits for its outcome. */
    private void deliver(FixProposal p, DeliveryJob.Planned planned) {
        DeliveryJobHandler.enqueue(queue, p, planned, Instant.now());
        workers.wake();
        await().atMost(Duration.ofSeconds(30)).until(() -> !outcomes.isEmpty());
    }

    @Test
    void aFixDeliveredWithWhatItsRemediationJobReadCostsEightCallsAtMost() throws Exception {
        FixProposal p = allowedSafe("init-planned", "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1", "versioning is additive");
        // what the remediation job read moments before, as it reads it: the configuration files through the
        // installation's client (its token and the repository are then held, as in serve), the commit it scanned
        RepoConfigs.Sources config = configAsTheRemediationJobReadsIt();
        String main = gh.branchSha("acme", "infra", "main").orElseThrow();
        String tree = repo().getCommit(main).getTree().getSha();
        DeliveryJob.Planned planned = new DeliveryJob.Planned(Instant.now(), new DeliveryJob.Base(main, tree), config);
        alice.getRepository("acme/infra").createContent().path("README.md").content("moved on\n")
                .message("main moves on after the plan").branch("main").commit();
        exchanges.clear();
        deliver(p, planned);
        List<String> calls = calls("one single-file fix pull request planned by its remediation job");
        var opened = (PullRequestDelivery.Outcome.PullRequestOpened) outcomes.getFirst();
        // issue 18's target; neither the configuration nor the default branch's head is read again
        assertThat(calls).hasSizeLessThanOrEqualTo(8)
                .noneMatch(c -> c.contains("/contents/")).noneMatch(c -> c.startsWith("GET /repos/{owner}/{repo}/commits/"));
        // the fix is a commit on the commit it was planned on, not on the head that moved since
        assertThat(repo().getCommit(opened.headSha()).getParentSHA1s()).containsExactly(main);
        assertThat(gh.file("acme", "infra", opened.headSha(), "main.tf").orElseThrow()).contains("aws_s3_bucket_versioning");
        assertThat(gh.file("acme", "infra", opened.headSha(), "README.md")).isEmpty();
    }

    @Test
    void aCarriedConfigurationOlderThanAMinuteIsReadAgain() throws Exception {
        FixProposal p = allowedSafe("init-stale", "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2", "versioning is additive");
        // the remediation job read "autonomous" long ago; a person has set detect mode since
        RepoConfigs.Sources old = configAsTheRemediationJobReadsIt();
        alice.getRepository("acme/infra").createContent().path(".github/fixgate.yml").content("mode: detect\n")
                .message("report only").branch("main")
                .sha(alice.getRepository("acme/infra").getFileContent(".github/fixgate.yml", "main").getSha()).commit();
        deliver(p, new DeliveryJob.Planned(Instant.now().minus(Duration.ofMinutes(2)), null, old));
        assertThat(outcomes.getFirst()).isInstanceOf(PullRequestDelivery.Outcome.IssueOpened.class);
    }

    @Test
    void aSafeFixIsOpenedWithBodyLabelsAndCheckThenMergedWhenCiGoesGreen() throws Exception {
        String mainBefore = gh.branchSha("acme", "infra", "main").orElseThrow();
        FixProposal p = allowedSafe("init-safe", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "versioning is additive");
        enqueue(p);

        GHPullRequest pr = awaitPullRequest();
        assertThat(pr.getHead().getRef()).isEqualTo("fixgate/aws.s3.bucket.versioning/a1b2c3d4e5f6");
        assertThat(pr.getBody()).contains("## What was found", "## Resources", "## Risk of change: SAFE",
                "## Blast radius", "## Gate decision: allow", "## Rollback", "## Compliance", "<details>", "```diff")
                .doesNotContain("wJalrXUtnFEMI");
        assertThat(pr.getLabels()).extracting(GHLabel::getName)
                .containsExactlyInAnyOrder("fixgate", "rci:safe", "severity:medium");
        String head = pr.getHead().getSha();
        GHCheckRun safety = repo().getCheckRuns(head).toList().stream()
                .filter(r -> r.getName().equals("fixgate/safety")).findFirst().orElseThrow();
        assertThat(safety.getConclusion()).isEqualTo(GHCheckRun.Conclusion.SUCCESS);
        String headMessage = repo().getCommit(head).getCommitShortInfo().getMessage();
        assertThat(headMessage).contains("Fixgate-Initiative: init-safe", "Fixgate-Control: aws.s3.bucket.versioning",
                "Fixgate-RCI: SAFE", "Fixgate-Findings: a1b2c3d4e5f60718293a4b5c6d7e8f90");
        assertThat(gh.file("acme", "infra", head, "main.tf").orElseThrow()).contains("aws_s3_bucket_versioning");
        assertThat(gh.branchSha("acme", "infra", "main")).hasValue(mainBefore); // not before CI

        gh.ci("acme", "infra").checkRun(head, "ci", true);

        await().atMost(Duration.ofSeconds(30)).until(() -> repo().getPullRequest(pr.getNumber()).isMerged());
        String message = mainMessage();
        assertThat(message).contains("(#" + pr.getNumber() + ")", "Fixgate-Initiative: init-safe",
                "Fixgate-Control: aws.s3.bucket.versioning", "Fixgate-RCI: SAFE", "Fixgate-Findings:",
                "Fixgate-Approved-By: fixgate[bot]");
        assertThat(gh.file("acme", "infra", "main", "main.tf").orElseThrow()).contains("aws_s3_bucket_versioning");
        // the branch is deleted right after the merge call returns: on a loaded machine the test can look first
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gh.branchSha("acme", "infra",
                pr.getHead().getRef())).as("branch deleted after merge").isEmpty());
        assertThat(gh.unsupportedRequests()).isEmpty();

        // the audit trail: delivered (the PR) and merged (the commit on main), and the chain still verifies
        String mergedSha = gh.branchSha("acme", "infra", "main").orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> audit.recent(Optional.empty(), 50).stream()
                .anyMatch(e -> e.type().equals("remediation.merged")));
        List<AuditLog.Entry> entries = audit.recent(Optional.empty(), 50);
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("remediation.delivered");
            assertThat(e.payload()).contains("acme/infra", "pull_request", String.valueOf(pr.getNumber()));
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("remediation.merged");
            assertThat(e.payload()).contains(mergedSha);
        });
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void deliveringTheSameFixTwiceOpensOnePullRequest() throws Exception {
        FixProposal p = allowedSafe("init-twice", "b1b2c3d4e5f60718293a4b5c6d7e8f90", "additive");
        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 1);
        enqueue(p); // a retry, or the job again after a restart
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);

        assertThat(openPullRequests()).hasSize(1);
        assertThat(outcomes.get(0)).isInstanceOfSatisfying(PullRequestDelivery.Outcome.PullRequestOpened.class,
                o -> assertThat(o.created()).isTrue());
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(PullRequestDelivery.Outcome.PullRequestOpened.class, o -> {
            assertThat(o.created()).isFalse();
            assertThat(o.branchUpdated()).as("same plan, same commit").isFalse();
        });
    }

    /**
     * The multi-replica kill benchmark's duplicate: the replica that opened the pull request was killed before its job
     * was done, the pull request merged (its branch deleted), and another replica ran the job again. The fix is on
     * main: the second run finds the merged pull request instead of opening a second one.
     */
    @Test
    void aDeliveryRunAgainAfterItsPullRequestMergedOpensNoSecond() throws Exception {
        FixProposal p = allowedSafe("init-again", "e2b2c3d4e5f60718293a4b5c6d7e8f90", "additive");
        enqueue(p);
        GHPullRequest pr = awaitPullRequest();
        gh.ci("acme", "infra").checkRun(pr.getHead().getSha(), "ci", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> repo().getPullRequest(pr.getNumber()).isMerged());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gh.branchSha("acme", "infra",
                pr.getHead().getRef())).isEmpty());

        enqueue(p); // the same job again, after the process that ran it first died
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);

        assertThat(repo().queryPullRequests().state(GHIssueState.ALL).list().toList())
                .filteredOn(x -> x.getHead().getRef().equals(pr.getHead().getRef())).hasSize(1);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(PullRequestDelivery.Outcome.PullRequestOpened.class, o -> {
            assertThat(o.created()).isFalse();
            assertThat(o.number()).isEqualTo(pr.getNumber());
        });
    }

    @Test
    void fixgatesBranchLeftByAClosedPullRequestIsReusedForTheNewOne() throws Exception {
        FixProposal p = allowedSafe("init-reopen", "e1b2c3d4e5f60718293a4b5c6d7e8f90", "additive");
        enqueue(p);
        GHPullRequest first = awaitPullRequest();
        String head = first.getHead().getSha();
        repo().getPullRequest(first.getNumber()).close(); // the branch stays
        exchanges.clear();

        enqueue(p); // no open pull request: the branch is created without a look, which finds it there
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);

        assertThat(outcomes.get(1)).isInstanceOfSatisfying(PullRequestDelivery.Outcome.PullRequestOpened.class, o -> {
            assertThat(o.created()).isTrue();
            assertThat(o.number()).isNotEqualTo(first.getNumber());
            assertThat(o.headSha()).as("the branch already held the fix").isEqualTo(head);
            assertThat(o.branchUpdated()).isFalse();
        });
        assertThat(openPullRequests()).singleElement().satisfies(pr -> assertThat(pr.getHead().getRef())
                .isEqualTo(first.getHead().getRef()));
        assertThat(exchanges).as("the failed creation was answered 422 and then the branch was read")
                .anySatisfy(e -> assertThat(e.method() + " " + e.template().orElse("") + " " + e.status())
                        .isEqualTo("POST /repos/{owner}/{repo}/git/refs 422"))
                .anySatisfy(e -> assertThat(e.method() + " " + e.template().orElse(""))
                        .isEqualTo("GET /repos/{owner}/{repo}/git/ref/{ref}"));
        assertThat(gh.unsupportedRequests()).isEmpty();
    }

    @Test
    void aPersonsBranchWithFixgatesNameAndNoPullRequestIsLeftAlone() throws Exception {
        FixProposal p = allowedSafe("init-squat", "f1b2c3d4e5f60718293a4b5c6d7e8f90", "additive");
        String branch = PullRequestContent.of(p).branch();
        String pushed = gh.as("alice").push("acme", "infra", branch, Map.of("notes.txt", "mine\n"), "Mine");

        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 1);

        assertThat(outcomes.getFirst()).isInstanceOfSatisfying(PullRequestDelivery.Outcome.HumanPushed.class, h -> {
            assertThat(h.headSha()).isEqualTo(pushed);
            assertThat(h.pullRequest()).isEmpty();
        });
        assertThat(gh.branchSha("acme", "infra", branch)).hasValue(pushed);
        assertThat(openPullRequests()).isEmpty();
    }

    @Test
    void aHumanPushOnTheBranchIsLeftAlone() throws Exception {
        FixProposal p = allowedSafe("init-human", "c1b2c3d4e5f60718293a4b5c6d7e8f90", "additive");
        enqueue(p);
        GHPullRequest pr = awaitPullRequest();
        String pushed = gh.as("alice").push("acme", "infra", pr.getHead().getRef(), Map.of("notes.txt", "mine\n"), "Tweak");

        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);
        assertThat(outcomes.get(1)).isInstanceOf(PullRequestDelivery.Outcome.HumanPushed.class);
        assertThat(gh.branchSha("acme", "infra", pr.getHead().getRef())).hasValue(pushed);
    }

    @Test
    void aFixThatNeedsApprovalWaitsForTheReviewerThenMerges() throws Exception {
        FixProposal p = proposal("init-risky", "d1b2c3d4e5f60718293a4b5c6d7e8f90",
                new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("bucket in use"), 1, List.of("reviewer")),
                RciLevel.RISKY);
        enqueue(p);
        GHPullRequest pr = awaitPullRequest();
        String head = pr.getHead().getSha();
        assertThat(pr.getLabels()).extracting(GHLabel::getName).contains("rci:risky");
        assertThat(repo().getCheckRuns(head).toList()).filteredOn(r -> r.getName().equals("fixgate/safety"))
                .singleElement().satisfies(r -> assertThat(r.getConclusion()).isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED));

        gh.ci("acme", "infra").checkRun(head, "ci", true);
        gh.awaitDeliveries();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> !repo().getPullRequest(pr.getNumber()).isMerged());
        // alice can write and owns *.tf, but only the listed reviewer is authorised (codeowners: false)
        gh.as("alice").approve("acme", "infra", pr.getNumber(), "fine by me");
        gh.awaitDeliveries();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> !repo().getPullRequest(pr.getNumber()).isMerged());

        gh.as("reviewer").approve("acme", "infra", pr.getNumber(), "LGTM");

        await().atMost(Duration.ofSeconds(30)).until(() -> repo().getPullRequest(pr.getNumber()).isMerged());
        assertThat(mainMessage()).contains("Fixgate-RCI: RISKY", "Fixgate-Approved-By: reviewer");
    }

    @Test
    void aDeniedFixBecomesAnIssueForTheCodeOwnersAndNoPullRequest() throws Exception {
        FixProposal p = proposal("init-denied", "e1b2c3d4e5f60718293a4b5c6d7e8f90",
                new GateDecision.Deny(GateLayer.POLICY, List.of("bucket is replicated cross-account")), RciLevel.UNSAFE);
        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 1);
        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);

        List<GHIssue> issues = repo().getIssues(GHIssueState.OPEN);
        assertThat(issues).hasSize(1);
        GHIssue issue = issues.getFirst();
        assertThat(issue.getBody()).contains("## Proposed patch", "```diff", "aws_s3_bucket_versioning",
                "bucket is replicated cross-account").doesNotContain("wJalrXUtnFEMI");
        assertThat(issue.getAssignees()).extracting(u -> u.getLogin()).containsExactly("alice");
        assertThat(openPullRequests()).isEmpty();
        assertThat(gh.branchSha("acme", "infra", PullRequestContent.branch(p))).isEmpty();
    }

    @Test
    void inDetectModeEvenAnAllowedFixIsReportedAsAnIssueWithoutABranch() throws Exception {
        gh.as("alice").push("acme", "infra", "main", Map.of(".github/fixgate.yml", "mode: detect\n"), "Report only");
        FixProposal p = allowedSafe("init-detect", "f1b2c3d4e5f60718293a4b5c6d7e8f90", "all policies pass");
        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 1);

        assertThat(outcomes.getFirst()).isInstanceOf(PullRequestDelivery.Outcome.IssueOpened.class);
        assertThat(openPullRequests()).isEmpty();
        assertThat(gh.branchSha("acme", "infra", PullRequestContent.branch(p))).isEmpty();
        assertThat(repo().getIssues(GHIssueState.OPEN)).singleElement()
                .satisfies(i -> assertThat(i.getBody()).contains("```diff", "aws_s3_bucket_versioning"));
    }

    @Test
    void anInvalidRepositoryConfigurationFailsClosedToReportOnly() throws Exception {
        gh.as("alice").push("acme", "infra", "main", Map.of(".github/fixgate.yml", "mode: yolo\n"), "Oops");
        FixProposal p = allowedSafe("init-invalid", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "all policies pass");
        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 1);

        assertThat(outcomes.getFirst()).isInstanceOf(PullRequestDelivery.Outcome.IssueOpened.class);
        assertThat(openPullRequests()).isEmpty();
    }

    @Test
    void theOrganisationsDefaultsApplyUntilTheRepositoryOverridesThem() throws Exception {
        gh.createRepo("acme", ".github", "main", Map.of(".github/fixgate.yml", """
                # acme: report only, unless a repository opts in
                mode: detect
                """));
        gh.as("alice").push("acme", "infra", "main", Map.of(".github/fixgate.yml", "caps: {max_open_pull_requests: 3}\n"),
                "Use the organisation's mode");
        FixProposal p = allowedSafe("init-org", "a7b2c3d4e5f60718293a4b5c6d7e8f90", "all policies pass");

        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 1);
        assertThat(outcomes.getFirst()).isInstanceOf(PullRequestDelivery.Outcome.IssueOpened.class);
        assertThat(openPullRequests()).isEmpty();
        assertThat(repo().getIssues(GHIssueState.OPEN)).singleElement().satisfies(i -> assertThat(i.getBody())
                .contains("the repository is in detect mode", "acme/.github:.github/fixgate.yml:2:1"));

        gh.as("alice").push("acme", "infra", "main", Map.of(".github/fixgate.yml", "mode: assist\n"), "Opt in");
        enqueue(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(PullRequestDelivery.Outcome.PullRequestOpened.class,
                o -> assertThat(o.created()).isTrue());
        assertThat(openPullRequests()).singleElement()
                .satisfies(pr -> assertThat(pr.getHead().getRef()).isEqualTo(PullRequestContent.branch(p)));
        assertThat(gh.unsupportedRequests()).isEmpty();
    }

    @Test
    void atTheOpenPullRequestCapASecondInitiativeWaitsWhileTheFirstMayStillBeUpdated() throws Exception {
        gh.as("alice").push("acme", "infra", "main", Map.of(".github/fixgate.yml", """
                mode: assist
                caps:
                  max_open_pull_requests: 1
                """), "One fix at a time");
        GateDecision allow = new GateDecision.Allow(GateLayer.POLICY, List.of("all policies pass"));
        FixProposal first = proposal("init-cap-1", "b7b2c3d4e5f60718293a4b5c6d7e8f90", allow, RciLevel.SAFE);
        FixProposal second = proposal("init-cap-2", "c7b2c3d4e5f60718293a4b5c6d7e8f90", allow, RciLevel.SAFE);
        enqueue(first);
        GHPullRequest pr = awaitPullRequest();

        Instant before = Instant.now();
        long job = enqueue(second);
        // Waiting for a slot is not a failure: the attempt is given back, so a capped job never runs out of them.
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.find(job).orElseThrow().status() == JobQueue.Status.QUEUED
                && !queue.find(job).orElseThrow().lastError().isEmpty());

        JobQueue.Job waiting = queue.find(job).orElseThrow();
        assertThat(waiting.attempts()).isZero();
        assertThat(waiting.lastError()).startsWith("WaitUntil: not opening a pull request now: ")
                .contains("caps.max_open_pull_requests = 1 (acme/infra:.github/fixgate.yml:3:3) reached: 1 open");
        assertThat(waiting.runAfter()).isAfter(before.plus(Duration.ofMinutes(29)));
        assertThat(openPullRequests()).singleElement().satisfies(o -> assertThat(o.getNumber()).isEqualTo(pr.getNumber()));
        assertThat(gh.branchSha("acme", "infra", PullRequestContent.branch(second))).as("nothing written").isEmpty();
        assertThat(outcomes).hasSize(1);

        enqueue(first); // the open pull request of the same initiative: an update, not a new one
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(PullRequestDelivery.Outcome.PullRequestOpened.class,
                o -> assertThat(o.created()).isFalse());
        assertThat(openPullRequests()).hasSize(1);
        assertThat(queue.find(job).orElseThrow().status()).as("still waiting for its slot").isEqualTo(JobQueue.Status.QUEUED);
    }
}
