package dev.fixgate.demo;

import dev.fixgate.app.chatops.DashboardView;
import dev.fixgate.app.cli.IngestCommand;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.gate.Action;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.group.IngestSummary;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.pipeline.RemediateJobHandler;
import dev.fixgate.app.pipeline.RemediationResult;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.web.WebServer;
import dev.fixgate.app.wiring.FixgateService;
import dev.fixgate.localgithub.BranchProtection;
import dev.fixgate.localaws.LocalAws;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import dev.fixgate.spi.finding.InitiativeId;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * The whole loop of {@code fixgate demo} in one process: a local GitHub with the bundled repository
 * ({@code acme/infra}, adapted from TerraGoat), fixgate's web server and job workers on an embedded database, the
 * App registered and installed with signed webhooks, the bundled findings ingested, the repository cloned over git
 * with the installation token, each resource located, planned and gated, the fixes delivered as pull requests (or an
 * issue), a simulated CI that turns every fixgate pull request green and a reviewer who approves RISKY fixes with a
 * {@code /fixgate approve} comment; the Remediation Dashboard issue follows along.
 */
final class DemoLoop implements AutoCloseable {

    static final String OWNER = "acme";
    static final String REPO = "infra";
    static final String USER = "alice";
    static final String REVIEWER = "reviewer";
    static final long APP_ID = 4242;
    static final String ACCOUNT = "111111111111";
    static final List<String> FINDINGS = List.of("01-securityhub.asff.json", "02-checkov.sarif");
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What happened, as {@code --json} prints it. */
    record Result(int opened, int merged, int awaitingApproval, int approvedThenMerged, int issues, String dashboard,
                  List<Map<String, String>> mainLog, List<String> problems) {
        Map<String, Object> toJson() {
            Map<String, Object> prs = new LinkedHashMap<>();
            prs.put("opened", opened);
            prs.put("merged", merged);
            prs.put("awaitingApproval", awaitingApproval);
            prs.put("approvedThenMerged", approvedThenMerged);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pullRequests", prs);
            out.put("issues", Map.of("opened", issues));
            out.put("dashboard", dashboard);
            out.put("mainLog", mainLog);
            return out;
        }
    }

    private final Path state;
    private final ServiceConfig config;
    private final Clock clock;
    private final PrintStream out;
    private LocalGitHub gh;
    private LocalAws aws;
    private Database db;
    private FixgateService service;
    private WebServer server;
    private long installation;
    private GitHubClients clients;
    private final List<PullRequestDelivery.Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<RemediateJobHandler.Report> reports = new CopyOnWriteArrayList<>();
    private final Set<InitiativeId> remediating = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param config the service configuration: the demo's gate is the one it sets, as in {@code fixgate serve} */
    DemoLoop(Path state, ServiceConfig config, Clock clock, PrintStream out) {
        this.state = state;
        this.config = config;
        this.clock = clock;
        this.out = out;
    }

    String gitHubUrl() {
        return gh.apiUrl();
    }

    String fixgateUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    String userToken() {
        return gh.tokenFor(USER);
    }

    /**
     * Starts both servers, creates and installs, then ingests: each new initiative queues its remediation job, which
     * the workers run the way {@code fixgate serve} does.
     */
    IngestSummary start() throws IOException {
        gh = LocalGitHub.start(LocalGitHubOptions.in(state.resolve("github")));
        db = Database.open(Database.embeddedUrl(state), "", Secret.none(), 8);
        Secret webhookSecret = Secret.of(HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
        KeyPair key = LocalGitHub.generateAppKey();
        clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
        aws = LocalAws.start(LocalAws.demoScenario(), 0, clock);
        // The same service as `fixgate serve` — same gate configuration, handlers, workers and evidence collectors —
        // pointed at the local GitHub, the demo's own database and the demo account's local AWS, read with the SDK's
        // default credential chain like any AWS account.
        System.setProperty("aws.accessKeyId", LocalAws.accessKeyOf(ACCOUNT));
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET);
        service = FixgateService.from(config.withEvidence(config.evidence().withClouds(Map.of("aws", cloud(aws)))), db,
                        clock)
                .github(clients, APP_ID, "fixgate[bot]", webhookSecret)
                .workDir(state.resolve("work"))
                .workers(WorkerSettings.defaults(2).withPollInterval(Duration.ofMillis(100)))
                .onRemediated(this::remediated)
                .onDelivered(outcomes::add)
                .onQueued(remediating::add)
                .build().start();
        server = WebServer.start("127.0.0.1", 0, service.routes());

        step("local GitHub " + gh.apiUrl() + ", local AWS " + aws.endpoint() + " (account " + ACCOUNT
                + ", read through role fixgate-evidence) and fixgate " + fixgateUrl() + " (embedded database in " + state
                + ")");
        gh.createOrg(OWNER);
        gh.createUser(USER);
        gh.createUser(REVIEWER);
        gh.createRepo(OWNER, REPO, "main", repoFiles());
        gh.addCollaborator(OWNER, REPO, USER, "admin");
        gh.addCollaborator(OWNER, REPO, REVIEWER, "write");
        gh.protectBranch(OWNER, REPO, "main", new BranchProtection(List.of("ci"), false, 0, false));
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), fixgateUrl() + WebServer.WEBHOOK_PATH, webhookSecret.reveal());
        installation = gh.installApp(APP_ID, OWNER);
        out.println("  created " + OWNER + "/" + REPO + " (Terraform + CloudFormation; .github/fixgate.yml lists account"
                + " 111111111111), main requires check 'ci'; App installed (id " + APP_ID + ", installation "
                + installation + ")");

        step("ingest: Security Hub (cloud resources) and Checkov (code) on account 111111111111 and acme/infra;"
                + " each initiative queues a remediation job");
        Intake intake = service.intake();
        IngestSummary summary = intake.run(FINDINGS.stream().<Intake.Source>map(name -> () -> {
            InputStream in = resource("findings/" + name);
            return Input.of("demo/findings/" + name, in);
        }).toList(), Optional.empty(), "demo", b -> { });
        IngestCommand.print(out, summary);
        return summary;
    }

    /** A remediation job finished: print what it decided for each resource. */
    private void remediated(RemediateJobHandler.Report report) {
        synchronized (out) {
            out.println("  remediate " + report.initiative().value() + ": searched "
                    + report.searched().stream().map(RemediateJobHandler.Repo::fullName).toList() + ", "
                    + report.queued().size() + " fix(es) queued");
            for (RemediationResult r : report.results()) {
                out.printf("    %-14s %-6s %-34s %s%s%n", r.action().id(), r.rci().level(), r.resource(),
                        r.subject().playbook().id(), r.decisionId().isPresent() ? "  (decision #"
                                + r.decisionId().getAsLong() + ")" : "");
                if (r.action() != Action.AUTOMERGE) {
                    r.restrictions().forEach(why -> out.println("      gate: " + why));
                }
            }
            report.problems().forEach(p -> out.println("    note: " + p));
        }
        reports.add(report);
    }

    /** Wait for the remediation and delivery jobs; drive CI and the reviewer; wait for merges; summarise. */
    Result run() throws Exception {
        step("remediate: clone " + OWNER + "/" + REPO + " with the installation token, locate, gate and plan each"
                + " resource; deliver: CI turns each fixgate pull request green; a reviewer approves the RISKY one with /fixgate approve");
        GitHub alice = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor(USER)).build();
        GHRepository repo = alice.getRepository(OWNER + "/" + REPO);
        Set<Integer> ciDone = new LinkedHashSet<>();
        Set<Integer> approved = new LinkedHashSet<>();
        Set<Integer> seen = new LinkedHashSet<>();
        Map<Integer, Instant> waitingSince = new LinkedHashMap<>();
        Instant deadline = clock.instant().plus(TIMEOUT);
        List<String> problems = new ArrayList<>();
        while (true) {
            List<GHPullRequest> open = repo.queryPullRequests().state(GHIssueState.OPEN).list().toList().stream()
                    .filter(pr -> pr.getHead().getRef().startsWith("fixgate/")).toList();
            for (GHPullRequest pr : open) {
                int n = pr.getNumber();
                if (seen.add(n)) {
                    out.println("  #" + n + " opened: " + pr.getTitle());
                }
                String sha = pr.getHead().getSha();
                List<GHCheckRun> runs = repo.getCheckRuns(sha).toList();
                Optional<GHCheckRun> safety = runs.stream().filter(r -> r.getName().equals("fixgate/safety")).findFirst();
                if (safety.isEmpty()) {
                    continue; // delivery still running
                }
                if (ciDone.add(n)) {
                    gh.ci(OWNER, REPO).checkRun(sha, "ci", true);
                    out.println("  #" + n + " ci: success; fixgate/safety: "
                            + safety.get().getConclusion().toString().toLowerCase(Locale.ROOT));
                } else if (safety.get().getConclusion() == GHCheckRun.Conclusion.ACTION_REQUIRED && !approved.contains(n)) {
                    Instant since = waitingSince.computeIfAbsent(n, k -> clock.instant());
                    if (Duration.between(since, clock.instant()).compareTo(Duration.ofSeconds(2)) >= 0) {
                        out.println("  #" + n + " still open with green CI: waits for an approval; " + REVIEWER
                                + " comments \"/fixgate approve\"");
                        gh.as(REVIEWER).comment(OWNER, REPO, n, "IMDSv2 is supported by everything on this host.\n\n"
                                + "/fixgate approve");
                        approved.add(n);
                    }
                }
            }
            boolean remediatedAll = reports.size() >= remediating.size();
            int expected = reports.stream().mapToInt(r -> r.queued().size()).sum();
            boolean delivered = remediatedAll && outcomes.size() >= expected;
            if (delivered && open.isEmpty()) {
                break;
            }
            if (clock.instant().isAfter(deadline)) {
                problems.add("timed out after " + TIMEOUT.toSeconds() + " s with " + open.size() + " pull request(s) open and "
                        + reports.size() + " of " + remediating.size() + " remediations and " + outcomes.size() + " of "
                        + expected + " deliveries done");
                break;
            }
            Thread.sleep(200);
        }

        int opened = 0;
        int merged = 0;
        int awaiting = 0;
        int approvedThenMerged = 0;
        for (GHPullRequest pr : repo.queryPullRequests().state(GHIssueState.ALL).list().toList()) {
            if (!pr.getHead().getRef().startsWith("fixgate/")) {
                continue;
            }
            opened++;
            boolean isMerged = repo.getPullRequest(pr.getNumber()).isMerged();
            if (isMerged) {
                merged++;
                if (approved.contains(pr.getNumber())) {
                    approvedThenMerged++;
                }
                if (!seen.contains(pr.getNumber())) {
                    out.println("  #" + pr.getNumber() + " opened: " + pr.getTitle());
                }
                out.println("  #" + pr.getNumber() + " merged");
            } else if (pr.getState() == GHIssueState.OPEN) {
                awaiting++;
            }
        }
        int issues = 0;
        String dashboard = "";
        for (GHIssue issue : repo.getIssues(GHIssueState.ALL)) {
            if (issue.isPullRequest()) {
                continue;
            }
            if (issue.getBody() != null && issue.getBody().startsWith(DashboardView.MARKER)) {
                dashboard = issue.getHtmlUrl().toString();
                continue;
            }
            issues++;
            out.println("  issue #" + issue.getNumber() + " opened for " + issue.getAssignees().stream()
                    .map(u -> "@" + u.getLogin()).toList() + ": " + issue.getTitle());
        }
        if (!dashboard.isEmpty()) {
            out.println("  Remediation Dashboard: " + dashboard);
        }

        List<Map<String, String>> log = new ArrayList<>();
        Path checkout = state.resolve("checkout").resolve(REPO);
        try (Git git = Git.cloneRepository().setURI(gh.gitUrl(OWNER, REPO)).setDirectory(checkout.toFile())
                .setCredentialsProvider(new UsernamePasswordCredentialsProvider("x-access-token",
                        clients.tokens().token(installation).reveal())).call()) {
            for (RevCommit c : git.log().add(git.getRepository().resolve("refs/remotes/origin/main")).call()) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("sha", c.getName());
                m.put("message", c.getFullMessage());
                log.add(m);
            }
        }
        if (!gh.unsupportedRequests().isEmpty()) {
            problems.add("local GitHub answered 404 to " + gh.unsupportedRequests());
        }
        return new Result(opened, merged, awaiting, approvedThenMerged, issues, dashboard, log, problems);
    }

    /**
     * The demo account's AWS as {@code fixgate.yml} would configure a real one: every service at the local AWS, the
     * region to search, and the read-only role fixgate assumes with its external id.
     */
    static ServiceConfig.CloudAccess cloud(LocalAws aws) {
        return new ServiceConfig.CloudAccess(List.of("us-east-1"), Map.of("*", aws.endpoint().toString()),
                List.of(new ServiceConfig.Account(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/fixgate-evidence",
                        "fixgate-demo", "")), Map.of());
    }

    static Map<String, String> repoFiles() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        String list;
        try (InputStream in = resource("repo/FILES")) {
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String path : list.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            try (InputStream in = resource("repo/" + path)) {
                files.put(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    static InputStream resource(String path) throws IOException {
        InputStream in = DemoLoop.class.getResourceAsStream("/demo/" + path);
        if (in == null) {
            throw new IOException("bundled demo file missing from the jar: demo/" + path);
        }
        return in;
    }

    private void step(String text) {
        out.println();
        out.println("== " + text);
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        if (server != null) {
            server.close();
        }
        if (gh != null) {
            gh.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static void unchecked(IOException e) {
        throw new UncheckedIOException(e);
    }
}
