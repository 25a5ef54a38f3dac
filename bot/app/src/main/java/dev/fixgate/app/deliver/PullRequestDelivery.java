package dev.fixgate.app.deliver;

import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.gate.ApprovalCheck;
import dev.fixgate.app.jobs.RetryLater;
import dev.fixgate.spi.gate.GateDecision;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCheckRunBuilder;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRef;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a {@link FixProposal} to GitHub with the unmodified github-api client: the commit on
 * {@code refs/heads/fixgate/<control>/<short-fingerprint>} (the proposal's files on the default branch's head), then
 * the pull request with its body and labels, then the {@code fixgate/safety} check run on the head. A denied fix gets
 * an issue for the file's CODEOWNERS instead. The commit is made by a {@link BranchCommitter}: without cloning
 * through the Git Data API ({@link GitDataApiCommitter}) for small changes, with a shallow fetch and a push
 * ({@link JGitCommitter}) for the changes {@link LargeChange} matches; both write the same tree and message.
 *
 * <p>Idempotent, because jobs run at least once: the open pull request (or issue) for the initiative is looked up
 * first, a branch already holding the same files is not committed to again, and the check run is updated in place.
 * A branch whose head commit fixgate did not author (a human pushed) is left alone: {@link Outcome.HumanPushed}.
 *
 * <p>The repository's configuration ({@link RepoConfigs}: its {@code .github/fixgate.yml} over its organisation's
 * defaults) decides between a pull request and an issue, and its caps ({@link DeliveryCaps}) whether a new pull
 * request may be opened now.
 */
public final class PullRequestDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(PullRequestDelivery.class);
    public static final String BOT_NAME = "fixgate[bot]";
    public static final String BOT_EMAIL = "fixgate[bot]@users.noreply.github.com";

    /** What a delivery did. */
    public sealed interface Outcome {
        /**
         * How the audit log names it: {@code pull_request} (opened), {@code pull_request_updated},
         * {@code pull_request_unchanged}, {@code issue}, {@code issue_updated}, {@code left_to_human}.
         */
        default String auditKind() {
            return switch (this) {
                case PullRequestOpened pr -> pr.created() ? "pull_request" : pr.branchUpdated() ? "pull_request_updated"
                        : "pull_request_unchanged";
                case IssueOpened issue -> issue.created() ? "issue" : "issue_updated";
                case HumanPushed h -> "left_to_human";
            };
        }

        /** The pull request or issue number; for a branch left to a human, its pull request's (0 without one). */
        default int number() {
            return switch (this) {
                case PullRequestOpened pr -> pr.number();
                case IssueOpened issue -> issue.number();
                case HumanPushed h -> h.pullRequest().orElse(0);
            };
        }

        /**
         * A pull request is open on {@code headSha}; {@code created}: opened now, else found and updated — or found
         * merged with the fix on the default branch (the job ran again after its pull request merged).
         */
        record PullRequestOpened(int number, String branch, String headSha, boolean created, boolean branchUpdated)
                implements Outcome {
        }

        /** Someone else committed to the branch: fixgate does not touch it (until {@code /fixgate recreate}). */
        record HumanPushed(String branch, String headSha, String author, Optional<Integer> pullRequest) implements Outcome {
        }

        /**
         * No pull request — the fix was denied, the repository is in detect mode or its configuration is invalid,
         * or the fix is too large — but an issue for the owners; {@code created}: opened now, else found and updated.
         */
        record IssueOpened(int number, List<String> assignees, boolean created) implements Outcome {
        }
    }

    /**
     * When a change is large enough to go through {@link JGitCommitter} rather than {@link GitDataApiCommitter}:
     * more than {@code files} files, or more than {@code bytes} bytes of new content (UTF-8, all files together).
     * The Git Data API costs one request per file (plus one read per file to see whether a branch already holds
     * them) and counts against GitHub's limits on content-creating requests; its blobs travel as JSON strings. Past a
     * handful of files or a megabyte, one shallow fetch and one push of a compressed pack is cheaper.
     */
    public record LargeChange(int files, long bytes) {
        /** More than 10 files or more than 1 MiB. */
        public static final LargeChange DEFAULT = new LargeChange(10, 1L << 20);

        public LargeChange {
            if (files < 0 || bytes < 0) {
                throw new IllegalArgumentException("thresholds are not negative");
            }
        }

        public boolean matches(Map<String, String> changed) {
            if (changed.size() > files) {
                return true;
            }
            long total = 0;
            for (String text : changed.values()) {
                total += text.getBytes(StandardCharsets.UTF_8).length;
                if (total > bytes) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Asks people and teams to review a pull request ({@code GitHubTeams#requestReviewers} in the service). */
    @FunctionalInterface
    public interface ReviewRequests {
        void request(long installationId, String repository, int number, List<String> users, List<String> teamSlugs)
                throws IOException;

        ReviewRequests NONE = (installationId, repository, number, users, teamSlugs) -> { };
    }

    /**
     * Whether fixgate may move its branch over a commit a human pushed: only after {@code /fixgate recreate} by
     * someone allowed to discard it, and only over exactly that head.
     */
    @FunctionalInterface
    public interface BranchOverrides {
        boolean mayOverwrite(String repository, String branch, String humanHeadSha);

        BranchOverrides NONE = (repository, branch, sha) -> false;
    }

    /** The buttons of the {@code fixgate/safety} check run, and the identifiers GitHub sends back when one is clicked. */
    public static final String ACTION_APPROVE = "approve";
    public static final String ACTION_RESCAN = "rescan";

    private final Clock clock;
    private final ReviewRequests reviewRequests;
    private BranchOverrides overrides = BranchOverrides.NONE;
    private final BranchCommitter small;
    private final BranchCommitter large;
    private final LargeChange threshold;
    /**
     * One delivery per repository at a time — in every replica, when the service shares the locks on its database —
     * so two workers cannot both count the same free slot of a cap and both open a pull request.
     */
    private final RepositoryLocks locks;

    /** The Git Data API for small changes, JGit (authenticated with {@code tokens}) past {@link LargeChange#DEFAULT}. */
    public PullRequestDelivery(Clock clock, JGitCommitter.Tokens tokens) {
        this(clock, new GitDataApiCommitter(), new JGitCommitter(tokens), LargeChange.DEFAULT, ReviewRequests.NONE);
    }

    /**
     * @param reviewRequests how the configured reviewers are asked to review a new pull request that needs approval
     */
    public PullRequestDelivery(Clock clock, JGitCommitter.Tokens tokens, ReviewRequests reviewRequests) {
        this(clock, new GitDataApiCommitter(), new JGitCommitter(tokens), LargeChange.DEFAULT, reviewRequests);
    }

    /** As the service builds it: with the per-repository locks every replica shares. */
    public PullRequestDelivery(Clock clock, JGitCommitter.Tokens tokens, ReviewRequests reviewRequests,
                               RepositoryLocks locks) {
        this(clock, new GitDataApiCommitter(), new JGitCommitter(tokens), LargeChange.DEFAULT, reviewRequests, locks);
    }

    /** {@code large} commits the changes {@code threshold} matches, {@code small} all others. */
    public PullRequestDelivery(Clock clock, BranchCommitter small, BranchCommitter large, LargeChange threshold) {
        this(clock, small, large, threshold, ReviewRequests.NONE);
    }

    public PullRequestDelivery(Clock clock, BranchCommitter small, BranchCommitter large, LargeChange threshold,
                               ReviewRequests reviewRequests) {
        this(clock, small, large, threshold, reviewRequests, RepositoryLocks.inProcess());
    }

    /** @param locks the per-repository locks deliveries take (shared across processes in the service) */
    public PullRequestDelivery(Clock clock, BranchCommitter small, BranchCommitter large, LargeChange threshold,
                               ReviewRequests reviewRequests, RepositoryLocks locks) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.reviewRequests = Objects.requireNonNull(reviewRequests, "reviewRequests");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.small = Objects.requireNonNull(small, "small");
        this.large = Objects.requireNonNull(large, "large");
        this.threshold = Objects.requireNonNull(threshold, "threshold");
    }


    /** Lets fixgate move its branch over a human's commit where {@code overrides} allows it (recreate). */
    public PullRequestDelivery withBranchOverrides(BranchOverrides overrides) {
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        return this;
    }

    /**
     * Delivers {@code proposal}: an issue when the gate denied it, the repository is in detect mode (or its
     * configuration is invalid: fail closed) or the fix changes more files than {@code caps.max_files_per_pull_request};
     * else its pull request, opened or updated.
     *
     * Then closes what the proposal {@linkplain FixProposal#supersedes supersedes}, pointing to it.
     *
     * @throws RetryLater when a new pull request would exceed a cap ({@link DeliveryCaps}): nothing was written
     */
    public Outcome deliver(GitHub github, FixProposal proposal) throws IOException, RetryLater {
        return deliver(github, proposal, PullRequestContent.of(proposal));
    }

    /**
     * {@link #deliver(GitHub, FixProposal)} for a delivery job: {@code planned} is what its remediation job read —
     * the configuration, used while it is {@linkplain DeliveryJob.Planned#freshConfig fresh}, and the commit the
     * files were computed from, which the fix's commit is built on — and {@code retry} says an earlier attempt may
     * have created the branch before it failed, so the branch is looked at before anything is written.
     */
    public Outcome deliver(GitHub github, FixProposal proposal, DeliveryJob.Planned planned, boolean retry)
            throws IOException, RetryLater {
        return deliver(github, proposal, PullRequestContent.of(proposal), planned, retry);
    }

    /**
     * Delivers {@code proposal} as {@link #deliver(GitHub, FixProposal)} does, with {@code content} — branch, title,
     * body, labels, commit message — written for it by its stage (a guardrail's pull request says what it denies
     * and how much room its policies have left) instead of a fix's.
     */
    public Outcome deliver(GitHub github, FixProposal proposal, PullRequestContent content) throws IOException, RetryLater {
        return deliver(github, proposal, content, DeliveryJob.Planned.NOTHING, false);
    }

    private Outcome deliver(GitHub github, FixProposal proposal, PullRequestContent content,
                            DeliveryJob.Planned planned, boolean retry) throws IOException, RetryLater {
        GHRepository repo = github.getRepository(proposal.repository());
        Outcome outcome = route(github, repo, proposal, content, planned, retry);
        closeSuperseded(repo, proposal, outcome);
        return outcome;
    }

    private Outcome route(GitHub github, GHRepository repo, FixProposal proposal, PullRequestContent content,
                          DeliveryJob.Planned planned, boolean retry) throws IOException, RetryLater {
        if (proposal.decision() instanceof GateDecision.Deny) {
            return openIssue(repo, proposal, PullRequestContent.DENIED);
        }
        RepoConfig config;
        try {
            Optional<RepoConfigs.Sources> carried = planned.freshConfig(clock.instant());
            config = carried.isPresent() ? carried.get().parse() : RepoConfigs.read(github, repo);
        } catch (ConfigException e) {
            // fail closed: an invalid configuration (the repository's or its organisation's) counts as detect
            String where = e.problems().getFirst().location().toString();
            LOG.atWarn().setMessage("invalid fixgate configuration; reporting the fix as an issue")
                    .addKeyValue("repository", proposal.repository()).addKeyValue("problem", where).log();
            return openIssue(repo, proposal, "the fixgate configuration is invalid (" + where
                    + "), so the repository is treated as detect-only until it is fixed");
        }
        // detect mode: report only — an issue with the proposed patch, never a branch
        if (config.mode() == RepoConfig.Mode.DETECT) {
            LOG.atInfo().setMessage("repository is in detect mode; reporting the fix as an issue")
                    .addKeyValue("repository", proposal.repository()).log();
            return openIssue(repo, proposal, "the repository is in detect mode (report only; mode set at "
                    + config.origin().describe("/mode") + ")");
        }
        Optional<String> tooMany = DeliveryCaps.tooManyFiles(config, proposal.files().size());
        if (tooMany.isPresent()) {
            LOG.atInfo().setMessage("fix changes more files than a pull request may; reporting it as an issue")
                    .addKeyValue("repository", proposal.repository()).addKeyValue("files", proposal.files().size())
                    .log();
            return openIssue(repo, proposal, tooMany.get());
        }
        try (RepositoryLocks.Held held = locks.hold("deliver", repo.getFullName())) {
            return pullRequest(repo, proposal, config, content, planned.plannedOn(), retry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the repository's delivery lock");
        }
    }

    private Outcome pullRequest(GHRepository repo, FixProposal proposal, RepoConfig config, PullRequestContent content,
                                Optional<DeliveryJob.Base> plannedOn, boolean retry) throws IOException, RetryLater {
        String base = repo.getDefaultBranch();
        DeliveryCaps.Listing pulls = DeliveryCaps.list(repo, clock.instant());
        Optional<GHPullRequest> existing = pulls.openFor(repo, content.branch());
        if (existing.isEmpty()) {
            // the job ran before, its process died before the job was done, and the pull request merged meanwhile
            Optional<GHPullRequest> merged = mergedWithTheFix(repo, pulls, content.branch(), base, proposal);
            if (merged.isPresent()) {
                LOG.atInfo().setMessage("the fix's pull request is merged already; not opening another")
                        .addKeyValue("repository", proposal.repository())
                        .addKeyValue("pull_request", merged.get().getNumber()).log();
                return new Outcome.PullRequestOpened(merged.get().getNumber(), content.branch(),
                        merged.get().getHead().getSha(), false, false);
            }
            DeliveryCaps.admit(config, pulls, clock.instant()); // a new pull request: only within the caps
        }
        BranchCommitter committer = threshold.matches(proposal.files()) ? large : small;
        // With no open pull request the branch is usually absent: on a first attempt the REST committer creates it
        // without a look first, and a branch that does exist (left by a closed pull request, or a person's) makes
        // that fail with nothing moved, so the branch is read and judged as it would have been. A retry looks first:
        // the failed attempt may have created it.
        boolean look = retry || existing.isPresent() || !(committer instanceof GitDataApiCommitter);
        Branch branch;
        try {
            branch = commitOnBranch(repo, proposal, content, base, plannedOn, committer,
                    look ? ref(repo, content.branch()) : Optional.empty());
        } catch (BranchCommitter.BranchExists e) {
            branch = commitOnBranch(repo, proposal, content, base, plannedOn, committer, ref(repo, content.branch()));
        }
        if (branch.humanPushed().isPresent()) {
            Outcome.HumanPushed h = branch.humanPushed().get();
            return new Outcome.HumanPushed(h.branch(), h.headSha(), h.author(), existing.map(GHPullRequest::getNumber));
        }
        Optional<String> current = branch.previous();
        BranchCommitter.Result committed = branch.result().orElseThrow();
        String head = committed.head();
        boolean updated = current.isPresent() && committed.committed();
        GHPullRequest pr;
        boolean created = existing.isEmpty();
        if (existing.isPresent()) {
            pr = existing.get();
            if (!content.body().equals(pr.getBody())) {
                pr.setBody(content.body());
            }
            if (!content.title().equals(pr.getTitle())) {
                pr.setTitle(content.title());
            }
        } else {
            pr = repo.createPullRequest(content.title(), content.branch(), base, content.body());
        }
        Set<String> have = new LinkedHashSet<>();
        pr.getLabels().forEach(l -> have.add(l.getName()));
        String[] missing = content.labels().stream().filter(l -> !have.contains(l)).toArray(String[]::new);
        if (missing.length > 0) {
            pr.addLabels(missing);
        }
        // the RCI moved (the evidence was read again): the old level's label goes
        String[] stale = have.stream().filter(l -> l.startsWith("rci:") && !content.labels().contains(l))
                .toArray(String[]::new);
        if (stale.length > 0) {
            pr.removeLabels(stale);
        }
        List<String> mayApprove = List.of();
        if (proposal.decision() instanceof GateDecision.NeedsApproval) {
            mayApprove = ApprovalCheck.whoMayApprove(config.reviewers(), codeowners(repo, base, proposal));
            if (created || updated) {
                // a new head voids the approvals given on the old one: ask the reviewers again
                requestReviewers(repo, proposal, pr, config);
            }
        }
        checkRun(repo, head, proposal, mayApprove, !committed.committed());
        return new Outcome.PullRequestOpened(pr.getNumber(), content.branch(), head, created, updated);
    }

    /** The branch after {@link #commitOnBranch}: its previous head, and the commit made or the person's push found. */
    private record Branch(Optional<String> previous, Optional<BranchCommitter.Result> result,
                          Optional<Outcome.HumanPushed> humanPushed) {
    }

    /**
     * Commits the proposal's files on fixgate's branch whose ref is {@code ref} (empty: believed absent), unless a
     * person's commit is its head and no {@code /fixgate recreate} allows moving over it.
     */
    private Branch commitOnBranch(GHRepository repo, FixProposal proposal, PullRequestContent content, String base,
                                  Optional<DeliveryJob.Base> plannedOn, BranchCommitter committer, Optional<GHRef> ref)
            throws IOException {
        Optional<String> current = Optional.empty();
        boolean rebuild = false;
        if (ref.isPresent()) {
            String sha = ref.get().getObject().getSha();
            GHCommit commit = repo.getCommit(sha);
            String email = commit.getCommitShortInfo().getAuthor().getEmail();
            if (!BOT_EMAIL.equalsIgnoreCase(email) && overrides.mayOverwrite(repo.getFullName(), content.branch(), sha)) {
                LOG.atInfo().setMessage("rebuilding fixgate's branch over a human's commit, as recreate asked")
                        .addKeyValue("repository", proposal.repository()).addKeyValue("branch", content.branch()).log();
                rebuild = true;
            } else if (!BOT_EMAIL.equalsIgnoreCase(email)) {
                LOG.atWarn().setMessage("a human pushed to fixgate's branch; leaving it alone")
                        .addKeyValue("repository", proposal.repository()).addKeyValue("branch", content.branch()).log();
                return new Branch(Optional.of(sha), Optional.empty(), Optional.of(new Outcome.HumanPushed(
                        content.branch(), sha, commit.getCommitShortInfo().getAuthor().getName(), Optional.empty())));
            }
            current = Optional.of(sha);
        }
        BranchCommitter.Result committed = committer.commit(new BranchCommitter.Change(repo, proposal.installationId(),
                base, content.branch(), current, proposal.files(), content.commitMessage(), clock.instant(), rebuild,
                plannedOn));
        return new Branch(current, Optional.of(committed), Optional.empty());
    }

    /**
     * Asks the configured reviewers — users, and teams of the repository's organisation — to review a new pull
     * request that needs approval. A request GitHub refuses is logged, not retried: the pull request stands.
     */
    private void requestReviewers(GHRepository repo, FixProposal proposal, GHPullRequest pr, RepoConfig config) {
        List<String> users = config.reviewers().users().stream()
                .filter(u -> !u.equalsIgnoreCase(BOT_NAME) && !u.endsWith("[bot]")).toList();
        String org = repo.getOwnerName();
        List<String> teams = config.reviewers().teams().stream().filter(t -> t.regionMatches(true, 0, org + "/", 0,
                org.length() + 1)).map(t -> t.substring(t.indexOf('/') + 1)).toList();
        try {
            reviewRequests.request(proposal.installationId(), repo.getFullName(), pr.getNumber(), users, teams);
        } catch (IOException e) {
            LOG.atWarn().setMessage("could not request reviewers").addKeyValue("repository", repo.getFullName())
                    .addKeyValue("pull_request", pr.getNumber()).addKeyValue("error", e.getMessage()).log();
        }
    }

    /** Per changed file, its owners in CODEOWNERS on {@code ref}. */
    private static Map<String, Set<String>> codeowners(GHRepository repo, String ref, FixProposal p) throws IOException {
        Optional<CodeownersFile> co = CodeownersFile.read(repo, ref);
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        p.files().keySet().forEach(f -> out.put(f, co.map(c -> Set.copyOf(c.owners(f))).orElse(Set.of())));
        return out;
    }

    /**
     * A merged pull request from {@code branch} whose fix {@code base} holds: every file of the proposal is on the
     * default branch as the proposal writes it. A fix reverted since, or changed, is delivered again. Looked for in
     * the caps' listing; only when that did not see every pull request, in GitHub's closed ones from that branch
     * ({@code head=owner:branch}, one request). The files are read only for a merged candidate.
     */
    private static Optional<GHPullRequest> mergedWithTheFix(GHRepository repo, DeliveryCaps.Listing pulls, String branch,
                                                            String base, FixProposal proposal) throws IOException {
        Optional<GHPullRequest> candidate = pulls.mergedFrom(repo, branch);
        if (candidate.isEmpty() && !pulls.complete()) {
            for (GHPullRequest pr : repo.queryPullRequests().state(GHIssueState.CLOSED)
                    .head(repo.getOwnerName() + ":" + branch).list().withPageSize(DeliveryCaps.PAGE)) {
                if (pr.getMergedAt() != null && branch.equals(pr.getHead().getRef())
                        && DeliveryCaps.sameRepository(repo, pr)) {
                    candidate = Optional.of(pr);
                    break;
                }
            }
        }
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> f : proposal.files().entrySet()) {
            try (java.io.InputStream in = repo.getFileContent(f.getKey(), base).read()) {
                if (!f.getValue().equals(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))) {
                    return Optional.empty();
                }
            } catch (FileNotFoundException e) {
                return Optional.empty();
            }
        }
        return candidate;
    }

    private static Optional<GHRef> ref(GHRepository repo, String branch) throws IOException {
        try {
            return Optional.of(repo.getRef("heads/" + branch));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates or updates {@code fixgate/safety} on {@code sha}; {@code mayExist} false (a commit fixgate has just
     * made) skips looking for one to update.
     */
    static void checkRun(GHRepository repo, String sha, FixProposal p, List<String> mayApprove, boolean mayExist)
            throws IOException {
        String[] out = PullRequestContent.checkOutput(p, mayApprove);
        GHCheckRun.Conclusion conclusion = switch (p.decision()) {
            case GateDecision.Allow a -> GHCheckRun.Conclusion.SUCCESS;
            case GateDecision.NeedsApproval n -> GHCheckRun.Conclusion.ACTION_REQUIRED;
            case GateDecision.Deny d -> GHCheckRun.Conclusion.FAILURE;
        };
        String externalId = SafetyCheck.externalId(p.decision());
        Optional<GHCheckRun> existing = mayExist ? SafetyCheck.find(repo, sha, Optional.empty()) : Optional.empty();
        GHCheckRunBuilder b = existing.isPresent() ? repo.updateCheckRun(existing.get().getId())
                : repo.createCheckRun(PullRequestContent.CHECK_NAME, sha);
        b.withStatus(GHCheckRun.Status.COMPLETED).withConclusion(conclusion).withExternalID(externalId)
                .withCompletedAt(new Date())
                .add(new GHCheckRunBuilder.Output(out[0], out[1]));
        // Buttons GitHub shows to people with write access; a click comes back as check_run.requested_action.
        if (p.decision() instanceof GateDecision.NeedsApproval) {
            b.add(new GHCheckRunBuilder.Action("Approve", "Approve this commit's fix", ACTION_APPROVE));
        }
        b.add(new GHCheckRunBuilder.Action("Rescan", "Re-collect evidence, re-plan, re-gate", ACTION_RESCAN));
        b.create();
    }

    /**
     * Closes the initiative's earlier pull requests and issues that {@code p} supersedes ({@link FixProposal#supersedes}):
     * their resources are all elsewhere now — the evidence turned against a fix, so it is routed to the owners in
     * {@code successor}, or a routed fix became a pull request. Each gets a comment saying why and where it went.
     */
    private void closeSuperseded(GHRepository repo, FixProposal p, Outcome successor) throws IOException {
        if (p.supersedes().isEmpty()) {
            return;
        }
        String where = switch (successor) {
            case Outcome.PullRequestOpened o -> "#" + o.number();
            case Outcome.IssueOpened o -> "#" + o.number();
            case Outcome.HumanPushed h -> h.pullRequest().map(n -> "#" + n).orElse("branch " + h.branch());
        };
        for (int number : p.supersedes()) {
            GHIssue old;
            try {
                old = repo.getIssue(number);
            } catch (FileNotFoundException e) {
                continue;
            }
            if (old.getState() != GHIssueState.OPEN || old.getBody() == null
                    || !old.getBody().startsWith(PullRequestContent.marker(p))) {
                continue; // closed already, or not fixgate's record of this initiative
            }
            old.comment(PullRequestContent.superseded(p, old.isPullRequest(), where));
            old.close();
            LOG.atInfo().setMessage("closed what a later proposal supersedes").addKeyValue("repository", p.repository())
                    .addKeyValue("closed", number).addKeyValue("successor", where).log();
        }
    }

    /** @param why why there is no pull request, for the issue's first sentence */
    private Outcome.IssueOpened openIssue(GHRepository repo, FixProposal p, String why) throws IOException {
        String title = PullRequestContent.issueTitle(p);
        List<String> owners = owners(repo, p);
        String body = PullRequestContent.issueBody(p, owners.stream().map(o -> "@" + o).toList(), why);
        for (GHIssue issue : repo.getIssues(GHIssueState.OPEN)) {
            if (!issue.isPullRequest() && sameIssue(issue, p, title)
                    && issue.getLabels().stream().anyMatch(l -> PullRequestContent.LABEL.equals(l.getName()))) {
                if (!body.equals(issue.getBody())) {
                    issue.setBody(body);
                }
                if (!title.equals(issue.getTitle())) {
                    issue.setTitle(title);
                }
                return new Outcome.IssueOpened(issue.getNumber(), owners, false);
            }
        }
        var builder = repo.createIssue(title).body(body);
        PullRequestContent.labels(p).forEach(builder::label);
        owners.forEach(builder::assignee);
        GHIssue issue = builder.create();
        return new Outcome.IssueOpened(issue.getNumber(), owners, true);
    }

    /**
     * Whether {@code issue} is the one fixgate keeps for {@code p}: of a group, the issue marked with its initiative and
     * group (whichever resources it lists now); else the one with the same title.
     */
    private static boolean sameIssue(GHIssue issue, FixProposal p, String title) {
        if (p.group().isEmpty()) {
            return title.equals(issue.getTitle());
        }
        String body = issue.getBody() == null ? "" : issue.getBody();
        return body.startsWith(PullRequestContent.marker(p)) && body.contains(PullRequestContent.groupMarker(p));
    }

    /** The CODEOWNERS users of the changed files, read from the default branch; empty when there is no file. */
    static List<String> owners(GHRepository repo, FixProposal p) throws IOException {
        Optional<CodeownersFile> co = CodeownersFile.read(repo, repo.getDefaultBranch());
        if (co.isEmpty()) {
            return List.of();
        }
        Set<String> owners = new LinkedHashSet<>();
        p.files().keySet().stream().sorted().forEach(f -> owners.addAll(co.get().userOwners(f)));
        return List.copyOf(owners);
    }
}
