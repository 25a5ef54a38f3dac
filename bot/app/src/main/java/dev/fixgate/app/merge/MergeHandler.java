package dev.fixgate.app.merge;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.spi.audit.AuditEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.CodeownersFile;
import dev.fixgate.app.deliver.SafetyCheck;
import dev.fixgate.app.gate.ApprovalCheck;
import dev.fixgate.app.github.GitHubTeams;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.GitHubRateLimitedException;
import dev.fixgate.app.github.WebhookEvent;
import dev.fixgate.app.json.Json;
import dev.fixgate.spi.gate.GateDecision;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.RemediationStore;
import java.util.Set;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCommitStatus;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPermissionType;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHPullRequestFileDetail;
import org.kohsuke.github.GHPullRequestReview;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-evaluates fixgate's open pull requests when something that could make them mergeable happens
 * ({@code check_suite}, {@code check_run}, {@code status}, {@code pull_request_review}) and merges those
 * {@link MergeDecider} allows. Idempotent: a merged pull request is no longer open, and a merge that races with a
 * push is refused by GitHub ({@code sha} mismatch) and re-evaluated on the next event.
 */
public final class MergeHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MergeHandler.class);
    public static final List<String> EVENTS = List.of("check_suite", "check_run", "status", "pull_request_review");

    private final AuditLog audit;
    private final GitHubClients clients;
    private final long appId;
    private final String botLogin;
    private final Clock clock;
    private final boolean deleteBranch;
    private final GitHubTeams teams;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param appId    fixgate's App id: only its own {@code fixgate/safety} run is trusted
     * @param botLogin the App's bot user ({@code <slug>[bot]}); its reviews never count
     * @param audit    every merge fixgate makes is recorded there ({@code remediation.merged})
     */
    private final Optional<RemediationStore> remediations;
    private final Optional<ChatOpsStore> chatops;
    /** What this process's last evaluation of each pull request read: a webhook with nothing new is not evaluated. */
    private final MergeMemo memo;
    private final Object[] stripes = new Object[64];

    public MergeHandler(GitHubClients clients, long appId, String botLogin, Clock clock, boolean deleteBranch,
                        AuditLog audit) {
        this(clients, appId, botLogin, clock, deleteBranch, audit, Optional.empty());
    }

    /** @param remediations where the remediation job recorded the fix; its row is marked merged */
    public MergeHandler(GitHubClients clients, long appId, String botLogin, Clock clock, boolean deleteBranch,
                        AuditLog audit, Optional<RemediationStore> remediations) {
        this(clients, appId, botLogin, clock, deleteBranch, audit, remediations, Optional.empty());
    }

    /**
     * @param chatops approvals given by command ({@code /fixgate approve}) and holds (snoozed or ignored
     *                initiatives are not merged)
     */
    public MergeHandler(GitHubClients clients, long appId, String botLogin, Clock clock, boolean deleteBranch,
                        AuditLog audit, Optional<RemediationStore> remediations, Optional<ChatOpsStore> chatops) {
        this.chatops = Objects.requireNonNull(chatops, "chatops");
        this.remediations = Objects.requireNonNull(remediations, "remediations");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.appId = appId;
        this.botLogin = Objects.requireNonNull(botLogin, "botLogin");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deleteBranch = deleteBranch;
        this.teams = new GitHubTeams(clients);
        this.memo = new MergeMemo(clock);
        java.util.Arrays.setAll(stripes, i -> new Object());
    }

    /** fixgate's App id: only its own {@code fixgate/safety} run is trusted. */
    public long appId() {
        return appId;
    }

    /** Registers {@link #onEvent} for every event in {@link #EVENTS}. */
    public void register(dev.fixgate.app.github.WebhookDispatcher.Builder events) {
        EVENTS.forEach(e -> events.on(e, this::onEvent));
    }

    public void onEvent(WebhookEvent event) throws IOException {
        if (event.installationId() == 0 || event.repository().isEmpty()) {
            return;
        }
        JsonNode p = event.payload();
        String full = event.repository();
        Set<Integer> numbers = new HashSet<>();
        Set<String> shas = new HashSet<>();
        switch (event.event()) {
            case "pull_request_review" -> {
                JsonNode pr = p.path("pull_request");
                if (!pr.path("head").path("ref").asText("").startsWith("fixgate/") || !"open".equals(pr.path("state").asText())) {
                    return; // not fixgate's, or no longer open: nothing to merge
                }
                numbers.add(pr.path("number").asInt());
            }
            case "check_run", "check_suite" -> {
                JsonNode node = p.path(event.event());
                node.path("pull_requests").forEach(pr -> numbers.add(pr.path("number").asInt()));
                shas.add(node.path("head_sha").asText(""));
            }
            case "status" -> {
                if (onNoFixgateBranch(p)) {
                    return;
                }
                shas.add(p.path("sha").asText(""));
            }
            default -> {
                return;
            }
        }
        if (MergeMemo.staleHead(event.event(), p) || memo.redundant(full, event.event(), p)) {
            LOG.atDebug().setMessage("merge: nothing new for fixgate's pull requests; not evaluating")
                    .addKeyValue("repository", full).addKeyValue("event", event.event()).log();
            return;
        }
        GitHub github = clients.installation(event.installationId());
        GHRepository repo = github.getRepository(full);
        for (GHPullRequest pr : repo.queryPullRequests().state(GHIssueState.OPEN).list()) {
            if (pr.getHead().getRef().startsWith("fixgate/")
                    && (numbers.contains(pr.getNumber()) || shas.contains(pr.getHead().getSha()))) {
                // one evaluation of a pull request at a time in this process: a second event about the same change
                // (both workers took one) then finds the first's reading and is skipped instead of merging twice
                synchronized (stripes[Math.floorMod((full + "#" + pr.getNumber()).hashCode(), stripes.length)]) {
                    if (!event.event().equals("pull_request_review") && memo.redundant(full, event.event(), p)) {
                        continue;
                    }
                    evaluate(event.installationId(), repo, pr);
                }
            }
        }
    }

    /**
     * A commit status on a commit no fixgate branch contains: GitHub's {@code branches} lists the branches that
     * contain the commit (at most 10), and a fixgate pull request's head is on its branch.
     */
    private static boolean onNoFixgateBranch(JsonNode status) {
        JsonNode branches = status.path("branches");
        if (!branches.isArray() || branches.size() >= 10) {
            return false;
        }
        for (JsonNode b : branches) {
            if (b.path("name").asText("").startsWith("fixgate/")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decides and, when allowed, merges {@code pr}; returns the decision. Reads each thing once and only what the
     * decision needs: the head's check runs (the {@code fixgate/safety} decision and the checks), the configuration,
     * the approvals only for a decision that needs them, the branch protection and statuses only when the mode, the
     * gate and the approvals have not settled it, the head commit's message only to merge.
     */
    public MergeDecider.Decision evaluate(long installationId, GHRepository repo, GHPullRequest pr) throws IOException {
        String sha = pr.getHead().getSha();
        String base = pr.getBase().getRef();
        List<GHCheckRun> runs = repo.getCheckRuns(sha).toList();
        Optional<GateDecision> decision = SafetyCheck.find(runs, Optional.of(appId))
                .flatMap(run -> SafetyCheck.decision(run.getExternalId()));
        RepoConfig config;
        try {
            config = dev.fixgate.app.deliver.RepoConfigs.read(clients.installation(installationId), repo);
        } catch (ConfigException e) {
            String where = e.problems().getFirst().location().toString();
            LOG.atWarn().setMessage("invalid fixgate configuration; not merging").addKeyValue("repository", repo.getFullName())
                    .addKeyValue("problem", where).log();
            memo.forget(repo.getFullName(), pr.getNumber());
            return new MergeDecider.Decision.Refuse("invalid fixgate configuration (" + where + ")");
        }
        Optional<String> held = held(repo.getFullName(), pr.getNumber());
        if (held.isPresent()) {
            LOG.atInfo().setMessage("merge decision").addKeyValue("repository", repo.getFullName())
                    .addKeyValue("pull_request", pr.getNumber()).addKeyValue("decision", held.get()).log();
            memo.forget(repo.getFullName(), pr.getNumber()); // a hold ends with the time, not with an event
            return new MergeDecider.Decision.Wait(held.get());
        }
        ApprovalCheck.Status approval = !MergeDecider.needsApproval(config, decision)
                ? new ApprovalCheck.Status(false, List.of(), List.of())
                : ApprovalCheck.check(MergeDecider.effective(decision.get(), config), config.reviewers(),
                        facts(installationId, repo, pr, config, sha, Set.of()));
        Map<String, String> checks = runStates(runs);
        MergeDecider.Decision d;
        MergeDecider.Input in = null;
        Optional<MergeDecider.Decision> settled = MergeDecider.early(config, decision, approval).decided();
        if (settled.isPresent()) {
            d = settled.get();
        } else {
            checks = checks(repo, sha, runs);
            in = new MergeDecider.Input(decision, config, config.inChangeWindow(clock.instant()), pr.getNumber(),
                    pr.getTitle(), botLogin, approval, requiredChecks(installationId, repo.getOwnerName(), repo.getName(),
                    base), checks, "");
            d = MergeDecider.decide(in);
            if (d instanceof MergeDecider.Decision.Merge) {
                // the head commit's message (its trailers go into the merge commit) is read only to merge
                d = MergeDecider.decide(new MergeDecider.Input(in.decision(), in.config(), in.inChangeWindow(),
                        in.number(), in.title(), in.botLogin(), in.approval(), in.requiredChecks(), in.checks(),
                        repo.getCommit(sha).getCommitShortInfo().getMessage()));
            }
        }
        LOG.atInfo().setMessage("merge decision").addKeyValue("repository", repo.getFullName())
                .addKeyValue("pull_request", pr.getNumber()).addKeyValue("decision", d).log();
        if (d instanceof MergeDecider.Decision.Merge m) {
            try {
                pr.merge(m.message(), sha, switch (m.method()) {
                    case MERGE -> GHPullRequest.MergeMethod.MERGE;
                    case SQUASH -> GHPullRequest.MergeMethod.SQUASH;
                    case REBASE -> GHPullRequest.MergeMethod.REBASE;
                });
            } catch (GitHubRateLimitedException e) {
                memo.forget(repo.getFullName(), pr.getNumber());
                throw e; // the event is handled again after the reset, not dropped
            } catch (IOException e) {
                // 405 not mergeable / 409 head moved: a later event re-evaluates.
                memo.forget(repo.getFullName(), pr.getNumber());
                LOG.atWarn().setMessage("merge refused by GitHub; will re-evaluate on the next event")
                        .addKeyValue("pull_request", pr.getNumber()).addKeyValue("error", e.getMessage()).log();
                return new MergeDecider.Decision.Wait("GitHub refused the merge: " + e.getMessage());
            }
            merged(repo, pr, sha, config);
        }
        if (reusable(in)) {
            memo.remember(repo.getFullName(), pr.getNumber(), pr.getHead().getRef(), sha, checks, appRuns(runs));
        } else {
            memo.forget(repo.getFullName(), pr.getNumber());
        }
        return d;
    }

    /**
     * Whether a later event that reports nothing new may reuse this decision: not one that depends on the time (a
     * change window) or on a read that failed (branch protection not readable).
     */
    private static boolean reusable(MergeDecider.Input in) {
        if (in == null) {
            return true; // settled by the mode, the gate and the approvals: checks and time do not change it
        }
        return in.requiredChecks().isPresent() && in.inChangeWindow();
    }

    /** After a merge: the audit record, the remediation marked merged, the branch deleted when configured. */
    private void merged(GHRepository repo, GHPullRequest pr, String sha, RepoConfig config) {
        String mergeSha = sha;
        try {
            String merged = repo.getPullRequest(pr.getNumber()).getMergeCommitSha();
            mergeSha = merged == null || merged.isBlank() ? sha : merged;
        } catch (IOException e) {
            LOG.atInfo().setMessage("could not read the merge commit; recording the head").addKeyValue("error", e.getMessage()).log();
        }
        audit.append(new AuditEvent.Merged(clock.instant(), botLogin, repo.getFullName(), pr.getNumber(), mergeSha));
        String recorded = mergeSha;
        remediations.ifPresent(store -> store.findByPull(repo.getFullName(), pr.getNumber())
                .ifPresent(r -> store.merged(r.id(), recorded, clock.instant())));
        if (deleteBranch && config.automerge().deleteBranch()) {
            try {
                repo.getRef("heads/" + pr.getHead().getRef()).delete();
            } catch (IOException e) {
                LOG.atInfo().setMessage("could not delete the merged branch").addKeyValue("error", e.getMessage()).log();
            }
        }
    }

    /**
     * What {@link ApprovalCheck} decides on: the reviews (with the commit each was given on and when), the changed
     * files' code owners (CODEOWNERS on the base branch), team memberships of the reviewers for every team that
     * matters (configured or owning), and — only when nobody is configured — who of the reviewers can write.
     */
    /** Why the pull request's initiative is on hold (snoozed or ignored by command), if it is. */
    private Optional<String> held(String repo, int number) {
        if (chatops.isEmpty() || remediations.isEmpty()) {
            return Optional.empty();
        }
        Optional<RemediationStore.Remediation> r = remediations.get().findByPull(repo, number);
        if (r.isEmpty()) {
            return Optional.empty();
        }
        return chatops.get().holdsInForce(repo, clock.instant()).stream()
                .filter(h -> h.initiative().equals(r.get().initiative()) && h.target().isEmpty()
                        && h.kind() != ChatOpsStore.HoldKind.REJECT)
                .findFirst().map(h -> h.kind().name().toLowerCase(java.util.Locale.ROOT) + "d by @" + h.createdBy()
                        + h.until().map(u -> " until " + u).orElse(""));
    }

    /**
     * What {@link ApprovalCheck} decides on: the reviews (with the commit each was given on and when) and the
     * approvals given by command, the changed files' code owners (CODEOWNERS on the base branch), team memberships
     * of the reviewers (and of {@code alsoCheck}) for every team that matters (configured or owning), and — only
     * when nobody is configured — who of them can write.
     */
    public ApprovalCheck.Facts facts(long installationId, GHRepository repo, GHPullRequest pr, RepoConfig config,
                                     String sha, Set<String> alsoCheck) throws IOException {
        List<ApprovalCheck.Review> reviews = new ArrayList<>();
        Set<String> reviewers = new LinkedHashSet<>();
        for (GHPullRequestReview r : pr.listReviews()) {
            if (r.getUser() == null || r.getState() == null || r.getSubmittedAt() == null) {
                continue; // a pending review has not been given yet
            }
            String login = r.getUser().getLogin();
            reviewers.add(login);
            reviews.add(new ApprovalCheck.Review(login, r.getState().name(), r.getSubmittedAt().toInstant(),
                    r.getCommitId() == null ? "" : r.getCommitId()));
        }
        List<ApprovalCheck.Grant> grants = new ArrayList<>();
        if (chatops.isPresent()) {
            for (ChatOpsStore.Grant g : chatops.get().grants(repo.getFullName(), pr.getNumber())) {
                grants.add(new ApprovalCheck.Grant(g.grantor(), ApprovalCheck.Scope.PR, repo.getFullName() + "#"
                        + pr.getNumber(), g.commitSha(), g.grantedAt(), g.expiresAt()));
                reviewers.add(g.grantor());
            }
        }
        reviewers.addAll(alsoCheck);
        Map<String, Set<String>> codeowners = new LinkedHashMap<>();
        if (config.reviewers().codeowners() || config.reviewers().requireCodeownerReview()) {
            Optional<CodeownersFile> co = CodeownersFile.read(repo, pr.getBase().getRef());
            for (GHPullRequestFileDetail f : pr.listFiles()) {
                codeowners.put(f.getFilename(), co.map(c -> Set.copyOf(c.owners(f.getFilename()))).orElse(Set.of()));
            }
        }
        Set<String> teams = new LinkedHashSet<>(config.reviewers().teams());
        codeowners.values().forEach(o -> o.stream().filter(x -> x.contains("/"))
                .map(x -> x.startsWith("@") ? x.substring(1) : x).forEach(teams::add));
        Map<String, Set<String>> members = new LinkedHashMap<>();
        for (String team : teams) {
            Set<String> in = new LinkedHashSet<>();
            for (String login : reviewers) {
                try {
                    if (this.teams.isMember(installationId, team, login)) {
                        in.add(login);
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // fail closed: a membership GitHub cannot confirm does not count
                    LOG.atWarn().setMessage("team membership could not be read; not counting it")
                            .addKeyValue("team", team).addKeyValue("error", e.getMessage()).log();
                }
            }
            members.put(team, in);
        }
        Set<String> writers = new LinkedHashSet<>();
        boolean nobodyConfigured = config.reviewers().users().isEmpty() && config.reviewers().teams().isEmpty();
        if (nobodyConfigured) {
            for (String login : reviewers) {
                if (hasWrite(repo, login)) {
                    writers.add(login);
                }
            }
        }
        return new ApprovalCheck.Facts(repo.getFullName() + "#" + pr.getNumber(), "", pr.getUser().getLogin(), botLogin,
                sha, reviews, grants, members, codeowners, writers, clock.instant());
    }

    private static boolean hasWrite(GHRepository repo, String login) {
        try {
            GHPermissionType p = repo.getPermission(login);
            return p == GHPermissionType.ADMIN || p == GHPermissionType.WRITE;
        } catch (IOException e) {
            return false;
        }
    }

    /** Latest conclusion per check run name and commit status context; a check run wins over a status. */
    private static Map<String, String> checks(GHRepository repo, String sha, List<GHCheckRun> runs) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (GHCommitStatus s : repo.listCommitStatuses(sha)) {
            out.putIfAbsent(s.getContext(), s.getState().name().toLowerCase(java.util.Locale.ROOT));
        }
        out.putAll(runStates(runs));
        return out;
    }

    /** Check run name → its conclusion when completed, else {@code pending} (the last run listed per name). */
    private static Map<String, String> runStates(List<GHCheckRun> runs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (GHCheckRun run : runs) {
            out.put(run.getName(), state(run.getStatus() == null ? "" : run.getStatus().name(),
                    run.getConclusion() == null ? null : run.getConclusion().name()));
        }
        return out;
    }

    /** A check run's state as the decision reads it: its conclusion once completed, else {@code pending}. */
    static String state(String status, String conclusion) {
        return "completed".equalsIgnoreCase(status) && conclusion != null
                ? conclusion.toLowerCase(java.util.Locale.ROOT) : "pending";
    }

    /** App id → {check runs, completed ones} on the head. */
    private static Map<Long, int[]> appRuns(List<GHCheckRun> runs) {
        Map<Long, int[]> out = new LinkedHashMap<>();
        for (GHCheckRun run : runs) {
            long app = run.getApp() == null ? 0 : run.getApp().getId();
            int[] c = out.computeIfAbsent(app, k -> new int[2]);
            c[0]++;
            if (run.getStatus() == GHCheckRun.Status.COMPLETED) {
                c[1]++;
            }
        }
        return out;
    }

    /**
     * The required checks of {@code branch}, from the branch resource's {@code protection.required_status_checks}
     * (readable with contents permission; {@code /protection} needs administration). Empty when it cannot be read.
     */
    Optional<List<String>> requiredChecks(long installationId, String owner, String repo, String branch)
            throws GitHubRateLimitedException {
        try {
            URI uri = URI.create(clients.apiUrl().toString().replaceAll("/+$", "") + "/repos/" + enc(owner) + "/"
                    + enc(repo) + "/branches/" + enc(branch));
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/vnd.github+json")
                    .header("Authorization", "token " + clients.tokens().token(installationId).reveal()).GET().build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if ((r.statusCode() == 403 || r.statusCode() == 429)
                    && r.headers().firstValue("x-ratelimit-remaining").filter("0"::equals).isPresent()) {
                // the event is handled again after the reset rather than refused now and never looked at again
                long reset = r.headers().firstValue("x-ratelimit-reset").map(Long::parseLong)
                        .orElse(clock.instant().plusSeconds(60).getEpochSecond());
                throw new GitHubRateLimitedException(GitHubRateLimitedException.Limit.PRIMARY,
                        java.time.Instant.ofEpochSecond(reset), uri.toString());
            }
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode b = Json.mapper().readTree(r.body());
            JsonNode rsc = b.path("protection").path("required_status_checks");
            if (!b.path("protected").asBoolean(false) || !rsc.isObject()) {
                return Optional.of(List.of());
            }
            Set<String> names = new java.util.LinkedHashSet<>();
            rsc.path("contexts").forEach(c -> names.add(c.asText()));
            rsc.path("checks").forEach(c -> names.add(c.path("context").asText()));
            names.remove("");
            return Optional.of(List.copyOf(names));
        } catch (GitHubRateLimitedException e) {
            throw e;
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
