package dev.fixgate.app.verify;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.CodeownersFile;
import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.deliver.RepoConfigs;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerificationStore;
import dev.fixgate.app.store.VerifyStore;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.audit.AuditEvent;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.iac.IacFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCheckRunBuilder;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTree;
import org.kohsuke.github.GHTreeEntry;
import org.kohsuke.github.GitHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the three steps of the verification of one merged fix ({@link CodeCheck}, {@link CloudCheck},
 * {@link SourceCheck}), records each step whose outcome changed ({@code remediation_verifications} and a
 * {@code verify.step} audit event), shows them in the {@code fixgate/verify} check run on the merge commit, and acts on
 * the verdict: verified (the remediation is marked VERIFIED, once), drift (the code is fixed, the cloud is not: said
 * once, plainly, on the pull request), past the deadline (escalated once: a comment on the pull request and an issue
 * for the owners). Every one-time action is claimed in {@link VerifyStore} and looked up on GitHub before it is made,
 * so a job run twice says nothing twice.
 */
public final class Verifier {

    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
    public static final String CHECK_NAME = "fixgate/verify";
    static final String DRIFT_MARKER = "<!-- fixgate:verify:drift -->";
    static final String DEADLINE_MARKER = "<!-- fixgate:verify:deadline -->";

    private final GitHubClients clients;
    private final long appId;
    private final String botLogin;
    private final RemediationStore remediations;
    private final FindingStore findings;
    private final VerificationStore verifications;
    private final VerifyStore store;
    private final PlaybookCatalog catalog;
    private final EvidenceSource evidence;
    private final CodeCheck code;
    private final CloudCheck cloud = new CloudCheck();
    private final AuditLog audit;
    private final Clock clock;
    private volatile java.util.function.BiConsumer<String, Long> changed = (repo, installation) -> { };

    public Verifier(GitHubClients clients, long appId, String botLogin, RemediationStore remediations,
                    FindingStore findings, VerificationStore verifications, VerifyStore store, PlaybookCatalog catalog,
                    EvidenceSource evidence, CodeCheck code, AuditLog audit, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.appId = appId;
        this.botLogin = Objects.requireNonNull(botLogin, "botLogin");
        this.remediations = Objects.requireNonNull(remediations, "remediations");
        this.findings = Objects.requireNonNull(findings, "findings");
        this.verifications = Objects.requireNonNull(verifications, "verifications");
        this.store = Objects.requireNonNull(store, "store");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.code = Objects.requireNonNull(code, "code");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Told (repository, installation) when a run verified, escalated or found drift for the first time (the service
     * refreshes the repository's Remediation Dashboard).
     */
    public Verifier onChange(java.util.function.BiConsumer<String, Long> listener) {
        this.changed = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * What one run found.
     *
     * @param next when to run again (the configured deploy delay, the deadline, or a recheck); empty when done
     */
    public record Result(VerifyStep.Verdict verdict, List<VerifyStep> steps, Optional<Instant> next) {
    }

    /** Verifies remediation {@code id} as things stand now; an unknown or untracked remediation is an error. */
    public Result run(long id) throws IOException {
        VerifyStore.Track track = store.find(id).orElseThrow(() -> new IllegalArgumentException(
                "remediation " + id + " is not under verification (no verify_tracks row)"));
        RemediationStore.Remediation r = remediations.find(id).orElseThrow(() -> new IllegalArgumentException(
                "no remediation " + id));
        FixProposal proposal = FixProposal.fromJson(r.planJson());
        Playbook playbook = catalog.byId(r.playbookId()).orElseThrow(() -> new IllegalArgumentException(
                "remediation " + id + ": playbook " + r.playbookId() + " is not in the catalog"));
        GitHub github = clients.installation(track.installationId());
        GHRepository repo = github.getRepository(track.repo());
        RepoConfig config;
        try {
            config = RepoConfigs.read(github, repo);
        } catch (ConfigException e) {
            // fail closed: the configured signal is unknown, so nothing counts as deployed but an actual deployment
            LOG.atWarn().setMessage("invalid fixgate configuration; verifying with the defaults")
                    .addKeyValue("repository", track.repo()).log();
            config = RepoConfig.defaults();
        }
        Instant now = clock.instant();
        RepoConfig.Verify.Deploy deploy = config.verify().deploy();
        if (track.deployedAt().isEmpty() && deploy.signal() == RepoConfig.Verify.Signal.DELAY
                && !now.isBefore(track.mergedAt().plus(deploy.delay()))) {
            store.deployed(id, track.mergedAt().plus(deploy.delay()), "the configured delay (" + deploy.delay()
                    + ") after the merge", now);
            track = store.find(id).orElseThrow();
        }

        List<VerifyStep> steps = new ArrayList<>();
        steps.add(code.check(playbook, proposal.files(), mergedFiles(repo, track.mergeSha(), proposal.files().keySet()),
                Map.of()));
        if (track.deployedAt().isPresent()) {
            List<CloudResource> targets = new ArrayList<>();
            for (Fingerprint f : remediations.covered(id)) {
                findings.find(f).ifPresent(s -> {
                    if (s.resource() instanceof CloudResource c) {
                        targets.add(c);
                    }
                });
            }
            steps.addAll(cloud.check(playbook, targets, "the fix's findings name only code, not a deployed resource",
                    evidence.readAfter(track.deployedAt().get()), now));
        } else {
            steps.addAll(CloudCheck.awaiting(playbook, awaiting(deploy, track)));
        }
        Map<Fingerprint, Optional<FindingStore.StoredFinding>> stored = new LinkedHashMap<>();
        Map<Fingerprint, List<FindingStore.Sighting>> sightings = new LinkedHashMap<>();
        for (Fingerprint f : remediations.covered(id)) {
            stored.put(f, findings.find(f));
            sightings.put(f, findings.sightings(f));
        }
        steps.add(SourceCheck.check(stored, sightings, track.mergedAt(), track.deployedAt()));

        record(track, steps, now);
        VerifyStep.Verdict verdict = VerifyStep.Verdict.of(steps);
        boolean late = !now.isBefore(track.deadline());
        String summary = summary(track, steps, verdict, late);
        store.summary(id, summary, now);
        if (verdict == VerifyStep.Verdict.VERIFIED && store.verified(id, now)) {
            verifications.record(id, now, VerificationStore.Outcome.RESOLVED, VerificationStore.VERDICT,
                    "every step passed");
            remediations.verified(id, now);
            audit.append(new AuditEvent.Verified(now, botLogin, r.initiative(), true, summary));
        }
        if (verdict == VerifyStep.Verdict.DRIFT) {
            drift(repo, track, steps, now);
        }
        if (verdict != VerifyStep.Verdict.VERIFIED && late) {
            escalate(repo, track, r, proposal, steps, now);
        }
        VerifyStore.Track after = store.find(id).orElseThrow();
        checkRun(repo, after, steps, verdict, late, summary);
        if (after.state() != track.state() || after.driftAt().isPresent() != track.driftAt().isPresent()) {
            changed.accept(track.repo(), track.installationId());
        }
        LOG.atInfo().setMessage("verification ran").addKeyValue("repository", track.repo())
                .addKeyValue("pull_request", track.pullNumber()).addKeyValue("verdict", verdict)
                .addKeyValue("steps", steps.stream().map(s -> s.method() + "=" + s.status().id()).toList()).log();
        return new Result(verdict, steps, next(verdict, after, deploy, now));
    }

    /** When to look again: at the deploy delay, then periodically until the deadline, once at it; never when done. */
    static Optional<Instant> next(VerifyStep.Verdict verdict, VerifyStore.Track t, RepoConfig.Verify.Deploy deploy,
                                  Instant now) {
        if (verdict == VerifyStep.Verdict.VERIFIED || t.escalatedAt().isPresent()) {
            return Optional.empty();
        }
        Instant recheck = now.plus(java.time.Duration.ofHours(1));
        Instant at = recheck.isAfter(t.deadline()) ? t.deadline() : recheck;
        if (t.deployedAt().isEmpty() && deploy.signal() == RepoConfig.Verify.Signal.DELAY) {
            Instant due = t.mergedAt().plus(deploy.delay());
            if (due.isAfter(now) && due.isBefore(at)) {
                at = due;
            }
        }
        return Optional.of(at.isAfter(now) ? at : now);
    }

    private static String awaiting(RepoConfig.Verify.Deploy deploy, VerifyStore.Track t) {
        return switch (deploy.signal()) {
            case DEPLOYMENT -> "waiting for a successful deployment of " + t.mergeSha().substring(0, 7)
                    + " or a later commit" + (deploy.environment().isEmpty() ? "" : " to " + deploy.environment());
            case WORKFLOW -> "waiting for a successful workflow run on the default branch"
                    + (deploy.workflow().isEmpty() ? "" : " (" + deploy.workflow() + ")");
            case DELAY -> "waiting until " + t.mergedAt().plus(deploy.delay()) + " (the configured deploy delay)";
        };
    }

    /** The IaC files at {@code sha} in the directories of {@code paths} (a Terraform module is its directory). */
    private static Map<String, String> mergedFiles(GHRepository repo, String sha, Set<String> paths) throws IOException {
        Set<String> dirs = new LinkedHashSet<>();
        paths.forEach(p -> dirs.add(CodeCheck.dir(p)));
        GHTree tree = repo.getTreeRecursive(sha, 1);
        Map<String, String> out = new LinkedHashMap<>();
        for (GHTreeEntry e : tree.getTree()) {
            String path = e.getPath();
            boolean wanted = paths.contains(path) || dirs.contains(CodeCheck.dir(path)) && path.endsWith(".tf");
            if (!"blob".equals(e.getType()) || !wanted || IacFormat.ofPath(path).isEmpty()) {
                continue;
            }
            try (InputStream in = repo.getFileContent(path, sha).read()) {
                out.put(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Records each step whose outcome or detail differs from the last one recorded for its method. */
    private void record(VerifyStore.Track t, List<VerifyStep> steps, Instant now) {
        Map<String, VerificationStore.Verification> last = new LinkedHashMap<>();
        verifications.of(t.remediationId()).forEach(v -> last.put(v.method(), v));
        for (VerifyStep s : steps) {
            VerificationStore.Verification before = last.get(s.method());
            String detail = s.status().id() + ": " + s.detail();
            if (before != null && before.outcome() == s.outcome() && before.detail().equals(clip(detail))) {
                continue;
            }
            verifications.record(t.remediationId(), now, s.outcome(), s.method(), detail);
            audit.append(new AuditEvent.VerificationStep(now, botLogin, t.repo(), t.pullNumber(), s.method(),
                    s.status().id(), clip(s.detail())));
        }
    }

    private static String clip(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    static String summary(VerifyStore.Track t, List<VerifyStep> steps, VerifyStep.Verdict verdict, boolean late) {
        StringBuilder b = new StringBuilder();
        b.append(switch (verdict) {
            case VERIFIED -> "Verified: the fix is in the code, in the cloud and reported resolved by the source.";
            case DRIFT -> "The fix is in code but not applied: the merged code is fixed, the deployed resource is not.";
            case PENDING -> late ? "Not verified by the deadline (" + t.deadline() + ")."
                    : "Verifying; the deadline is " + t.deadline() + ".";
        }).append("\n\n| step | status | detail |\n|---|---|---|\n");
        for (VerifyStep s : steps) {
            b.append("| `").append(s.method()).append("` | ").append(s.status().id()).append(" | ")
                    .append(s.detail().replace("|", "\\|").replace("\n", "<br>")).append(" |\n");
        }
        if (t.deployedAt().isPresent()) {
            b.append("\nDeployed: ").append(t.deploySignal()).append(" at ").append(t.deployedAt().get()).append('\n');
        }
        return b.toString();
    }

    private void checkRun(GHRepository repo, VerifyStore.Track t, List<VerifyStep> steps, VerifyStep.Verdict verdict,
                          boolean late, String summary) throws IOException {
        String title = switch (verdict) {
            case VERIFIED -> "Verified after merge";
            case DRIFT -> "The fix is in code but not applied";
            case PENDING -> late ? "Not verified by the deadline" : "Verifying: "
                    + steps.stream().filter(s -> s.status() == VerifyStep.Status.PASSED).count() + " of " + steps.size()
                    + " steps passed";
        };
        boolean done = verdict != VerifyStep.Verdict.PENDING || late;
        GHCheckRun.Conclusion conclusion = verdict == VerifyStep.Verdict.VERIFIED ? GHCheckRun.Conclusion.SUCCESS
                : GHCheckRun.Conclusion.FAILURE;
        String text = summary.length() > 60000 ? summary.substring(0, 60000) : summary;
        long runId = t.checkRunId().isPresent() ? t.checkRunId().getAsLong() : find(repo, t.mergeSha()).orElse(0L);
        GHCheckRunBuilder b = runId == 0 ? repo.createCheckRun(CHECK_NAME, t.mergeSha()) : repo.updateCheckRun(runId);
        b.withExternalID("remediation:" + t.remediationId()).add(new GHCheckRunBuilder.Output(title, text));
        if (done) {
            b.withStatus(GHCheckRun.Status.COMPLETED).withConclusion(conclusion).withCompletedAt(java.util.Date.from(
                    clock.instant()));
        } else {
            b.withStatus(GHCheckRun.Status.IN_PROGRESS);
        }
        GHCheckRun run = b.create();
        if (runId == 0) {
            store.checkRun(t.remediationId(), run.getId(), clock.instant());
        }
    }

    /** fixgate's own {@code fixgate/verify} run on {@code sha}, if one exists (a run created before a crash). */
    private Optional<Long> find(GHRepository repo, String sha) throws IOException {
        for (GHCheckRun run : repo.getCheckRuns(sha)) {
            if (CHECK_NAME.equals(run.getName()) && run.getApp() != null && run.getApp().getId() == appId) {
                return Optional.of(run.getId());
            }
        }
        return Optional.empty();
    }

    /** Says once, on the pull request, that the fix is in the code but not in the cloud (no second pull request). */
    private void drift(GHRepository repo, VerifyStore.Track t, List<VerifyStep> steps, Instant now) throws IOException {
        if (t.driftAt().isPresent()) {
            return;
        }
        String detail = steps.stream().filter(s -> s.isCloud() && s.status() == VerifyStep.Status.FAILED)
                .map(VerifyStep::line).reduce((a, b) -> a + "\n" + b).orElse("");
        String body = DRIFT_MARKER + "\n**The fix is in code but not applied.** The merged default branch passes the"
                + " check (merge commit " + t.mergeSha().substring(0, 7) + "), but the deployed resource still reads"
                + " non-compliant after the deployment (" + t.deploySignal() + "):\n\n```\n" + detail + "\n```\n\n"
                + "fixgate does not open a second pull request for it: the code is already fixed. Apply the merged"
                + " change (or find what overrides it, e.g. a manual change or another stack), then verification"
                + " continues until the deadline (" + t.deadline() + ").";
        commentOnce(repo, t.pullNumber(), DRIFT_MARKER, body);
        if (store.drift(t.remediationId(), detail, now)) {
            audit.append(new AuditEvent.Escalated(now, botLogin, t.repo(), t.pullNumber(), "drift", t.pullNumber(),
                    clip(detail)));
        }
    }

    /** Past the deadline without a verdict: a comment on the pull request and an issue for the owners, once. */
    private void escalate(GHRepository repo, VerifyStore.Track t, RemediationStore.Remediation r, FixProposal p,
                          List<VerifyStep> steps, Instant now) throws IOException {
        if (t.escalatedAt().isPresent()) {
            return;
        }
        String open = steps.stream().filter(s -> s.status() != VerifyStep.Status.PASSED).map(VerifyStep::line)
                .reduce((a, b) -> a + "\n" + b).orElse("");
        String title = "fixgate: the fix of " + p.control() + " in #" + t.pullNumber() + " is not verified";
        List<String> owners = owners(repo, p);
        String issueBody = DEADLINE_MARKER + "\nThe fix merged in #" + t.pullNumber() + " (" + t.mergeSha().substring(0, 7)
                + ") was not verified by its deadline, " + t.deadline() + " (`verify.deadline`).\n\n"
                + (owners.isEmpty() ? "" : "Owners: " + String.join(", ", owners.stream().map(o -> "@" + o).toList())
                + "\n\n") + "Steps not passed:\n\n```\n" + open + "\n```\n";
        GHIssue issue = null;
        for (GHIssue i : repo.getIssues(GHIssueState.OPEN)) {
            if (!i.isPullRequest() && title.equals(i.getTitle())) {
                issue = i;
                break;
            }
        }
        if (issue == null) {
            var builder = repo.createIssue(title).body(issueBody).label(PullRequestContent.LABEL);
            owners.forEach(builder::assignee);
            issue = builder.create();
        }
        commentOnce(repo, t.pullNumber(), DEADLINE_MARKER, DEADLINE_MARKER + "\nThis fix was not verified by its"
                + " deadline (" + t.deadline() + "); the owners are asked in #" + issue.getNumber() + ".\n\n```\n" + open
                + "\n```");
        if (store.escalated(t.remediationId(), java.util.OptionalInt.of(issue.getNumber()), now)) {
            verifications.record(t.remediationId(), now, VerificationStore.Outcome.STILL_FAILING,
                    VerificationStore.VERDICT, "not verified by the deadline " + t.deadline());
            audit.append(new AuditEvent.Escalated(now, botLogin, t.repo(), t.pullNumber(), "deadline",
                    issue.getNumber(), clip(open)));
        }
    }

    static List<String> owners(GHRepository repo, FixProposal p) throws IOException {
        Optional<CodeownersFile> co = CodeownersFile.read(repo, repo.getDefaultBranch());
        if (co.isEmpty()) {
            return List.of();
        }
        Set<String> owners = new LinkedHashSet<>();
        p.files().keySet().stream().sorted().forEach(f -> owners.addAll(co.get().userOwners(f)));
        return List.copyOf(owners);
    }

    /** Comments on issue or pull request {@code number} unless a comment carrying {@code marker} is there. */
    static void commentOnce(GHRepository repo, int number, String marker, String body) throws IOException {
        GHIssue issue = repo.getIssue(number);
        for (GHIssueComment c : issue.getComments()) {
            if (c.getBody() != null && c.getBody().startsWith(marker)) {
                return;
            }
        }
        issue.comment(body);
    }
}
