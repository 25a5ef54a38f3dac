package dev.fixgate.app.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.deliver.DeliveryJobHandler;
import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.deliver.SafetyCheck;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.GitHubTeams;
import dev.fixgate.app.github.MutableClock;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.github.WebhookDispatcher;
import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.jobs.JobWorkers;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.web.FindingsEndpoint;
import dev.fixgate.app.web.WebServer;
import dev.fixgate.localgithub.BranchProtection;
import dev.fixgate.localgithub.Exchange;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHPullRequestReview;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * Who may approve a fix that needs approval, for real: the local GitHub and fixgate's web server and job workers run
 * in this JVM, talk over HTTP with signed webhooks, and the real {@link MergeHandler} reads reviews, team memberships
 * and CODEOWNERS from GitHub. Every "not merged" is also checked for its reason (the handler's own decision), so a
 * test cannot pass because the pull request was blocked by something other than what it is about.
 *
 * <p>The local GitHub and fixgate's GitHub-facing parts (clients, delivery, merge handler) share one
 * {@link MutableClock}: review {@code submitted_at}, JWTs and installation tokens and the merge handler's "now" all
 * come from it. The job workers and webhook intake run on the system clock, so queued jobs never wait for it.
 */
class MergeApprovalsEndToEndTest {

    private static final long APP_ID = 4545;
    private static final Secret WEBHOOK_SECRET = Secret.of("merge-e2e-webhook-secret-0123456789abcdef");
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
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

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private LocalGitHub gh;
    private Database db;
    private WebServer server;
    private JobWorkers workers;
    private JobQueue queue;
    private GitHubClients clients;
    private MergeHandler merges;
    private long installation;
    private GitHub alice;
    private final List<PullRequestDelivery.Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Clock system = Clock.systemUTC();
        gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")).withClock(clock)
                .withExchangeListener(exchanges::add));
        db = TestDb.H2.fresh();
        queue = new JobQueue(db);
        KeyPair key = LocalGitHub.generateAppKey();
        clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
        WebhookDeliveries deliveries = new WebhookDeliveries(db);
        WebhookDispatcher.Builder events = WebhookDispatcher.builder(deliveries, system);
        AuditLog audit = new AuditLog(db);
        merges = new MergeHandler(clients, APP_ID, "fixgate[bot]", clock, true, audit);
        merges.register(events);
        // as the service wires it (FixgateService): configured reviewers are asked to review
        PullRequestDelivery delivery = new PullRequestDelivery(clock, clients.tokens()::token,
                new GitHubTeams(clients)::requestReviewers);
        workers = JobWorkers.builder(queue)
                .settings(WorkerSettings.defaults(2).withPollInterval(Duration.ofMillis(100)))
                .register(new DeliveryJobHandler(clients, delivery, audit, clock, outcomes::add))
                .register(events.build())
                .clock(system).build().start();
        WebhookReceiver receiver = new WebhookReceiver(WEBHOOK_SECRET, deliveries, system,
                WebhookReceiver.DEFAULT_MAX_ATTEMPTS, workers::wake);
        FindingsEndpoint findings = new FindingsEndpoint(() -> {
            throw new AssertionError("not used");
        }, List.of(), 1024);
        server = WebServer.start("127.0.0.1", 0, new WebServer.Routes(db, receiver, findings,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 5L << 20, workers::running));

        gh.createOrg("acme");
        for (String user : List.of("alice", "bob", "carol", "dave", "erin")) {
            gh.createUser(user);
        }
        gh.createRepo("acme", "infra", "main", Map.of(
                "main.tf", MAIN_TF,
                ".github/fixgate.yml", "mode: autonomous\n"));
        for (String user : List.of("alice", "bob", "carol", "dave", "erin")) {
            gh.addCollaborator("acme", "infra", user, "write");
        }
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

    // ------------------------------------------------------------------------------------------------------------
    // 1. an approval is for a commit

    @Test
    void anApprovalOfAnEarlierHeadDoesNotMergeAfterFixgateMovedTheBranch() throws Exception {
        configure("mode: autonomous\nreviewers: {users: [bob]}\n", Map.of());
        FixProposal first = needsApproval("init-moved", "a1b2c3d4e5f60718293a4b5c6d7e8f90", Map.of());
        enqueue(first);
        GHPullRequest pr = awaitPullRequest();
        String a = pr.getHead().getSha();

        gh.as("bob").approve("acme", "infra", pr.getNumber(), "LGTM on A");
        settled();

        // the same initiative, re-planned: other file content, so fixgate force-moves its branch to a new commit
        FixProposal second = needsApproval("init-moved", "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                Map.of("main.tf", first.files().get("main.tf") + "# re-planned on the current main\n"));
        enqueue(second);
        await().atMost(PATIENCE).until(() -> outcomes.size() == 2);
        PullRequestDelivery.Outcome.PullRequestOpened moved = (PullRequestDelivery.Outcome.PullRequestOpened) outcomes.get(1);
        assertThat(moved.created()).isFalse();
        assertThat(moved.branchUpdated()).isTrue();
        assertThat(moved.number()).isEqualTo(pr.getNumber());
        String b = moved.headSha();
        assertThat(b).isNotEqualTo(a);
        assertThat(repo().getPullRequest(pr.getNumber()).getHead().getSha()).isEqualTo(b);
        assertThat(SafetyCheck.find(botRepo(), b, Optional.of(APP_ID))).as("fixgate's own fixgate/safety on B")
                .hasValueSatisfying(run -> assertThat(run.getConclusion()).isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED));
        assertThat(reviews(pr.getNumber())).singleElement().satisfies(r -> {
            assertThat(r.getUser().getLogin()).isEqualTo("bob");
            assertThat(r.getCommitId()).isEqualTo(a);
        });

        gh.ci("acme", "infra").checkRun(b, "ci", true);
        assertNotMerged(pr.getNumber(), "bob's approval does not count: approved an earlier commit (" + a.substring(0, 7)
                + "), not the current head");

        // a fresh review, but still of A (GitHub accepts it: A was a head of this pull request)
        gh.as("bob").approveAt("acme", "infra", pr.getNumber(), a, "still LGTM on A");
        assertNotMerged(pr.getNumber(), "approved an earlier commit (" + a.substring(0, 7) + ")");

        gh.as("bob").approve("acme", "infra", pr.getNumber(), "LGTM on B");

        awaitMerged(pr.getNumber());
        assertThat(mainMessage()).contains("(#" + pr.getNumber() + ")", "Fixgate-Initiative: init-moved",
                "Fixgate-Approved-By: bob");
        assertThat(gh.file("acme", "infra", "main", "main.tf").orElseThrow())
                .as("what was merged is B").contains("# re-planned on the current main");
        assertThat(gh.unsupportedRequests()).isEmpty();
    }

    /**
     * A check result the last evaluation already read (CI run again, same result) costs the merge stage no request;
     * what does change the decision — the approval — is still evaluated and merges.
     */
    @Test
    void aResultTheLastEvaluationHadReadCostsNoRequestAndTheApprovalStillMerges() throws Exception {
        configure("mode: autonomous\nreviewers: {users: [bob]}\n", Map.of());
        enqueue(needsApproval("init-memo", "e1b2c3d4e5f60718293a4b5c6d7e8f90", Map.of()));
        GHPullRequest pr = awaitPullRequest();
        gh.ci("acme", "infra").checkRun(pr.getHead().getSha(), "ci", true);
        assertNotMerged(pr.getNumber(), "0 of 1 required approvals");

        exchanges.clear();
        gh.ci("acme", "infra").checkRun(pr.getHead().getSha(), "ci", true);
        settled();
        assertThat(gh.deliveries()).as("the run's webhook went out").anyMatch(d -> d.event().equals("check_run")
                && d.payload().contains("\"head_sha\":\"" + pr.getHead().getSha() + "\"") && d.ok());
        assertThat(exchanges).as("requests as fixgate's installation for a result it had read")
                .filteredOn(e -> e.actor().equals("installation:" + installation)).isEmpty();

        gh.as("bob").approve("acme", "infra", pr.getNumber(), "LGTM");
        awaitMerged(pr.getNumber());
        assertThat(trailer()).isEqualTo("Fixgate-Approved-By: bob");
    }

    // ------------------------------------------------------------------------------------------------------------
    // 2. configured teams: membership, not write access

    @Test
    void aMemberOfTheConfiguredTeamMayApproveAWriterOutsideItMayNot() throws Exception {
        gh.createTeam("acme", "platform", List.of("dave"));
        configure("mode: autonomous\nreviewers: {teams: [acme/platform]}\n", Map.of());
        enqueue(needsApproval("init-team", "b1b2c3d4e5f60718293a4b5c6d7e8f90", Map.of()));
        GHPullRequest pr = awaitPullRequest();
        gh.ci("acme", "infra").checkRun(pr.getHead().getSha(), "ci", true);
        assertNotMerged(pr.getNumber(), "0 of 1 required approvals");

        // erin can write to the repository but is not in acme/platform
        assertThat(repo().getPermission("erin").name()).isEqualTo("WRITE");
        gh.as("erin").approve("acme", "infra", pr.getNumber(), "LGTM");
        assertNotMerged(pr.getNumber(), "erin's approval does not count: not an authorised reviewer");

        gh.as("dave").approve("acme", "infra", pr.getNumber(), "LGTM");

        awaitMerged(pr.getNumber());
        assertThat(trailer()).isEqualTo("Fixgate-Approved-By: dave");
        assertThat(gh.unsupportedRequests()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------------
    // 3. approvals expire

    @Test
    void anApprovalOlderThanTheExpiryDoesNotCountAFreshOneDoes() throws Exception {
        configure("mode: autonomous\nreviewers: {users: [bob], approval_expiry_days: 1}\n", Map.of());
        enqueue(needsApproval("init-expiry", "c1b2c3d4e5f60718293a4b5c6d7e8f90", Map.of()));
        GHPullRequest pr = awaitPullRequest();
        Instant approvedAt = clock.instant();
        gh.as("bob").approve("acme", "infra", pr.getNumber(), "LGTM");
        assertThat(reviews(pr.getNumber())).singleElement()
                .satisfies(r -> assertThat(r.getSubmittedAt().toInstant()).isEqualTo(approvedAt));
        // valid now; only CI is missing
        assertNotMerged(pr.getNumber(), "required checks not green: ci (missing)");

        clock.advance(Duration.ofDays(2));
        gh.ci("acme", "infra").checkRun(pr.getHead().getSha(), "ci", true);
        assertNotMerged(pr.getNumber(), "bob's approval does not count: approved more than 1 days ago");

        gh.as("bob").approve("acme", "infra", pr.getNumber(), "still LGTM");

        awaitMerged(pr.getNumber());
        assertThat(trailer()).isEqualTo("Fixgate-Approved-By: bob");
    }

    // ------------------------------------------------------------------------------------------------------------
    // 4. require_codeowner_review

    @Test
    void withCodeOwnerReviewRequiredTheConfiguredReviewerAloneIsNotEnough() throws Exception {
        configure("mode: autonomous\nreviewers: {users: [bob], require_codeowner_review: true}\n",
                Map.of(".github/CODEOWNERS", "main.tf @carol\n"));
        enqueue(needsApproval("init-owners", "d1b2c3d4e5f60718293a4b5c6d7e8f90", Map.of()));
        GHPullRequest pr = awaitPullRequest();
        assertThat(pr.listFiles().toList()).extracting(f -> f.getFilename()).containsExactly("main.tf");
        gh.ci("acme", "infra").checkRun(pr.getHead().getSha(), "ci", true);

        gh.as("bob").approve("acme", "infra", pr.getNumber(), "LGTM");
        assertNotMerged(pr.getNumber(), "main.tf needs an approval by one of its code owners");

        gh.as("carol").approve("acme", "infra", pr.getNumber(), "owner LGTM");

        awaitMerged(pr.getNumber());
        assertThat(trailer()).isEqualTo("Fixgate-Approved-By: bob, carol");
    }

    // ------------------------------------------------------------------------------------------------------------
    // 5. review requests and the check run say who may approve

    @Test
    void aPullRequestThatNeedsApprovalRequestsTheConfiguredReviewersAndSaysWhoMayApprove() throws Exception {
        gh.createTeam("acme", "platform", List.of("dave"));
        configure("mode: autonomous\nreviewers: {users: [bob], teams: [acme/platform]}\n", Map.of());
        enqueue(needsApproval("init-requests", "e1b2c3d4e5f60718293a4b5c6d7e8f90", Map.of()));
        GHPullRequest pr = awaitPullRequest();

        JsonNode pull = get("/repos/acme/infra/pulls/" + pr.getNumber());
        assertThat(logins(pull.path("requested_reviewers"), "login")).containsExactly("bob");
        assertThat(logins(pull.path("requested_teams"), "slug")).containsExactly("platform");
        JsonNode requested = get("/repos/acme/infra/pulls/" + pr.getNumber() + "/requested_reviewers");
        assertThat(logins(requested.path("users"), "login")).containsExactly("bob");
        assertThat(logins(requested.path("teams"), "slug")).containsExactly("platform");

        GHCheckRun safety = SafetyCheck.find(botRepo(), pr.getHead().getSha(), Optional.of(APP_ID)).orElseThrow();
        assertThat(safety.getConclusion()).isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED);
        assertThat(safety.getOutput().getTitle()).isEqualTo("Needs approval: RCI RISKY");
        assertThat(safety.getOutput().getSummary())
                .contains("Merge after 1 approving review(s) of this commit by @bob, @acme/platform (not the author, not fixgate).");
        assertThat(gh.unsupportedRequests()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Commits {@code .github/fixgate.yml} (and {@code extra} files) on main, as a maintainer would. */
    private void configure(String fixgateYml, Map<String, String> extra) {
        Map<String, String> files = new LinkedHashMap<>(extra);
        files.put(".github/fixgate.yml", fixgateYml);
        gh.as("alice").push("acme", "infra", "main", files, "Configure fixgate");
    }

    /**
     * The versioning fix for main.tf, planned exactly as {@code fixgate plan} does, as a RISKY fix that needs one
     * approval; {@code files} overrides the planned files (a re-plan of the same initiative).
     */
    private FixProposal needsApproval(String initiative, String fingerprint, Map<String, String> files) throws Exception {
        Path checkout = Files.createDirectories(tmp.resolve("checkout-" + initiative + "-" + outcomes.size()));
        Files.writeString(checkout.resolve("main.tf"), MAIN_TF);
        RepoScan scan = RepoScan.of(checkout);
        RepoScan.Located bucket = scan.resources().stream()
                .filter(l -> l.resource().type().equals("aws_s3_bucket")).findFirst().orElseThrow();
        Playbook playbook = PlaybookCatalog.builtIn().byId("s3_bucket_versioning").orElseThrow();
        Planner planner = Planner.standard();
        Planner.Result plan = planner.compose(List.of(planner.plan(new Planner.Request(playbook, bucket, "e2e"), Map.of())),
                Map.of());
        assertThat(plan.items()).singleElement().satisfies(i -> assertThat(i.status()).isEqualTo(Planner.Status.PATCHED));
        Rci rci = Rci.initial().with(new RciReason("assess", "bucket.in-use", "the bucket served requests last week",
                RciLevel.RISKY), 0.8);
        GateDecision decision = new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("bucket in use"), 1, List.of());
        return new FixProposal("acme/infra", installation, initiative, "aws.s3.bucket.versioning", "medium",
                List.of(new FixProposal.FindingSummary(fingerprint, "prowler", "S3 bucket acme-data has versioning disabled",
                        2, Instant.parse("2026-01-05T10:00:00Z"))),
                List.of("main.tf:aws_s3_bucket.data"), files.isEmpty() ? plan.changed() : files, plan.diff(), rci,
                new FixProposal.Blast("resource", List.of("aws_s3_bucket.data"), List.of()),
                List.of(FixProposal.LayerDecision.of(decision)), playbook.rollback().how(), playbook.compliance(),
                List.of("s3.http_requests_90d = 12"), List.of(), List.of());
    }

    private void enqueue(FixProposal p) {
        queue.enqueue(DeliveryJobHandler.KIND, p.toJson(), Optional.empty(), 5, Instant.now());
        workers.wake();
    }

    /** The pull request, once the first delivery job has finished (labels, review requests and check run included). */
    private GHPullRequest awaitPullRequest() throws Exception {
        await().atMost(PATIENCE).until(() -> !outcomes.isEmpty() && !openPullRequests().isEmpty());
        assertThat(outcomes.getFirst()).isInstanceOf(PullRequestDelivery.Outcome.PullRequestOpened.class);
        GHPullRequest pr = openPullRequests().getFirst();
        assertThat(pr.getUser().getLogin()).isEqualTo("fixgate[bot]");
        assertThat(pr.getHead().getRef()).startsWith("fixgate/");
        return pr;
    }

    /** Every webhook delivered and every job it made run (the merge handler has seen everything so far). */
    private void settled() {
        gh.awaitDeliveries();
        await().atMost(PATIENCE).until(() -> queue.counts().getOrDefault(JobQueue.Status.QUEUED, 0L) == 0
                && queue.counts().getOrDefault(JobQueue.Status.RUNNING, 0L) == 0);
    }

    /**
     * Not merged, for the expected reason: after every webhook so far has been handled, the pull request stays open
     * for {@link #QUIET}, and the merge handler's own decision on it waits with a reason containing {@code reason}.
     */
    private void assertNotMerged(int number, String reason) throws Exception {
        settled();
        await().during(QUIET).atMost(QUIET.plusSeconds(10)).until(() -> !repo().getPullRequest(number).isMerged()
                && repo().getPullRequest(number).getState() == GHIssueState.OPEN);
        GHRepository r = botRepo();
        MergeDecider.Decision d = merges.evaluate(installation, r, r.getPullRequest(number));
        assertThat(d).isInstanceOfSatisfying(MergeDecider.Decision.Wait.class,
                w -> assertThat(w.reason()).contains(reason));
        assertThat(repo().getPullRequest(number).isMerged()).isFalse();
    }

    private void awaitMerged(int number) {
        await().atMost(PATIENCE).until(() -> repo().getPullRequest(number).isMerged());
    }

    private GHRepository repo() throws Exception {
        return alice.getRepository("acme/infra");
    }

    /** The repository as fixgate's installation sees it. */
    private GHRepository botRepo() throws Exception {
        return clients.installation(installation).getRepository("acme/infra");
    }

    private List<GHPullRequest> openPullRequests() throws Exception {
        return repo().queryPullRequests().state(GHIssueState.OPEN).list().toList();
    }

    private List<GHPullRequestReview> reviews(int number) throws Exception {
        return repo().getPullRequest(number).listReviews().toList();
    }

    private String mainMessage() throws Exception {
        return repo().getCommit(gh.branchSha("acme", "infra", "main").orElseThrow()).getCommitShortInfo().getMessage();
    }

    /** The squash commit's {@code Fixgate-Approved-By} trailer on main. */
    private String trailer() throws Exception {
        String message = mainMessage();
        List<String> lines = message.lines()
                .filter(l -> l.startsWith(PullRequestContent.TRAILER_APPROVED_BY + ":")).toList();
        assertThat(lines).as("one %s trailer in %s", PullRequestContent.TRAILER_APPROVED_BY, message).hasSize(1);
        return lines.getFirst();
    }

    /** A REST GET as alice, parsed. */
    private JsonNode get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(gh.apiUrl().replaceAll("/+$", "") + path))
                .header("Accept", "application/vnd.github+json")
                .header("Authorization", "token " + gh.tokenFor("alice")).GET().build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
            return Json.mapper().readTree(r.body());
        }
    }

    private static List<String> logins(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
