package dev.fixgate.app.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.DeliveryJob;
import dev.fixgate.app.deliver.DeliveryJobHandler;
import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.deliver.RepoConfigs;
import dev.fixgate.app.deliver.RepositoryLocks;
import dev.fixgate.app.gate.DecisionRecorder;
import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.locate.CloudMap;
import dev.fixgate.app.locate.FindingLocator;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.EvidenceStore;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerifyStore;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.InitiativeId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #KIND} job: one initiative from stored findings to queued deliveries. It selects each open finding's
 * playbook, finds the repositories that may own the resources, fetches what locate reads of each (default
 * branch), locates every finding in them, and runs the owning repository's {@link RemediationRun} (plan, assess,
 * gate — each decision recorded — and proposals); each proposal gets a {@code remediations} row and a delivery job. Ingest
 * queues this job for every new or changed initiative.
 *
 * <p>Which repositories: a code finding names its repository, and only that one is searched. A cloud finding
 * names an account: the repositories whose {@code .github/fixgate.yml} lists it under {@code accounts}, or every
 * installed repository when none lists any account (up to {@link #maxRepositories}). A resource found in more
 * than one repository is ambiguous and left alone, never guessed. A repository whose configuration is invalid
 * gets nothing (fail closed). A resource that another open remediation already fixes is not proposed twice.
 */
public final class RemediateJobHandler implements JobHandler {

    public static final String KIND = "fixgate.remediate";
    /** How many repositories one initiative may make fixgate clone when no repository lists its account. */
    public static final int DEFAULT_MAX_REPOSITORIES = 25;
    /** Who the audit log names for decisions the service makes by itself. */
    public static final String ACTOR = "fixgate";
    private static final Logger LOG = LoggerFactory.getLogger(RemediateJobHandler.class);

    /** An installed repository. */
    public record Repo(long installationId, String fullName) {
        public Repo {
            Objects.requireNonNull(fullName, "fullName");
        }
    }

    /** Where repositories come from: GitHub in serve ({@link InstalledRepositories}). */
    public interface Repositories {
        List<Repo> installed() throws IOException;

        /**
         * The repository's configuration files as read now (the delivery job is handed them, and parses them the
         * same way while they are fresh).
         *
         * @throws ConfigException when a file cannot be read as configuration (too large, not UTF-8)
         */
        RepoConfigs.Sources configSources(Repo repo) throws IOException;

        /** @throws ConfigException when the repository's configuration is invalid */
        default RepoConfig config(Repo repo) throws IOException {
            return configSources(repo).parse();
        }

        /** Clones the default branch into {@code dir} (which does not exist yet). */
        void checkout(Repo repo, Path dir) throws IOException;

        /**
         * The IaC of the default branch, read from files under {@code dir} (which does not exist yet): by default a
         * {@link #checkout} and a {@link RepoScan} of it; {@link InstalledRepositories} fetches only the files a scan
         * reads and reuses the scan of a tree it has already read.
         */
        default RepoScan scan(Repo repo, Path dir) throws IOException {
            checkout(repo, dir);
            return RepoScan.of(dir);
        }
    }

    /** What one job did, for logs, the demo and tests. */
    public record Report(InitiativeId initiative, List<Repo> searched, List<RemediationRun.Report> runs,
                         List<FixProposal> queued, List<String> problems) {
        public Report {
            searched = List.copyOf(searched);
            runs = List.copyOf(runs);
            queued = List.copyOf(queued);
            problems = List.copyOf(problems);
        }

        /** Every decided resource of every repository run. */
        public List<RemediationResult> results() {
            return runs.stream().flatMap(r -> r.results().stream()).toList();
        }
    }

    private final Repositories repositories;
    private final InitiativeStore initiatives;
    private final FindingStore findings;
    private final RemediationStore remediations;
    private final JobQueue queue;
    private final Remediation remediation;
    private final Optional<DecisionRecorder> recorder;
    private final EvidenceSource evidence;
    private final Path workDir;
    private final Clock clock;
    private final int maxRepositories;
    private final Consumer<Report> listener;
    private Optional<ChatOpsStore> chatops = Optional.empty();
    private Optional<VerifyStore> verification = Optional.empty();
    private Optional<EvidenceStore> history = Optional.empty();
    /**
     * One remediation run per repository at a time — across replicas, with the service's shared locks — so two
     * initiatives never propose one fix twice.
     */
    private final RepositoryLocks locks;

    /**
     * @param remediation the chain (wiring builds it with the configured gate)
     * @param recorder    where every decision is recorded ({@code gate_decisions} and the audit log)
     * @param evidence    what is known about cloud resources (read-only observations); an empty index makes every
     *                    playbook that needs evidence RISKY at best
     * @param workDir     where checkouts are made; each is deleted when the run ends
     */
    public RemediateJobHandler(Repositories repositories, InitiativeStore initiatives, FindingStore findings,
                               RemediationStore remediations, JobQueue queue, Remediation remediation,
                               Optional<DecisionRecorder> recorder, EvidenceSource evidence, Path workDir,
                               Clock clock, int maxRepositories, Consumer<Report> listener) {
        this(repositories, initiatives, findings, remediations, queue, remediation, recorder, evidence, workDir, clock,
                maxRepositories, listener, RepositoryLocks.inProcess());
    }

    /** @param locks the per-repository locks runs take (shared across processes in the service) */
    public RemediateJobHandler(Repositories repositories, InitiativeStore initiatives, FindingStore findings,
                               RemediationStore remediations, JobQueue queue, Remediation remediation,
                               Optional<DecisionRecorder> recorder, EvidenceSource evidence, Path workDir,
                               Clock clock, int maxRepositories, Consumer<Report> listener, RepositoryLocks locks) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.repositories = Objects.requireNonNull(repositories, "repositories");
        this.initiatives = Objects.requireNonNull(initiatives, "initiatives");
        this.findings = Objects.requireNonNull(findings, "findings");
        this.remediations = Objects.requireNonNull(remediations, "remediations");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.remediation = Objects.requireNonNull(remediation, "remediation");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxRepositories < 1) {
            throw new IllegalArgumentException("maxRepositories must be at least 1");
        }
        this.maxRepositories = maxRepositories;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Honours what people said with slash commands and the dashboard — snoozed and ignored initiatives and
     * resources, rejected plans — and leaves each run's notes (what was blocked, what went wrong) for the dashboard.
     */
    /**
     * Records each remediation's RCI when its level or blast radius changes ({@code rci_history}), and carries the
     * history into its pull request.
     */
    public RemediateJobHandler withRciHistory(EvidenceStore store) {
        this.history = Optional.of(store);
        return this;
    }

    public RemediateJobHandler withChatOps(ChatOpsStore store) {
        this.chatops = Optional.of(store);
        return this;
    }

    /**
     * Fixes merged and not verified yet ({@code verify_tracks}): a resource one of them fixes is not proposed again —
     * the fix is in the code and awaits its deployment, or the cloud drifted from it, which the verify stage says on
     * the merged pull request instead of a second one.
     */
    public RemediateJobHandler withVerification(VerifyStore store) {
        this.verification = Optional.of(store);
        return this;
    }

    /**
     * Queues the remediation of {@code initiative}. While a job for the same state of the initiative (its findings
     * and how many are open) is queued or running, another is not added; a change while one runs queues a new one,
     * so no change is lost to a run that started before it.
     */
    public static long enqueue(JobQueue queue, InitiativeStore initiatives, InitiativeId initiative, Instant now) {
        String state = initiatives.find(initiative).map(i -> i.findings() + "/" + i.openFindings()).orElse("new");
        return queue.enqueue(KIND, Json.write(Map.of("initiative", initiative.value())),
                Optional.of(KIND + ":" + initiative.value() + ":" + state), 5, now);
    }

    /**
     * Queues the remediation of {@code initiative} with its evidence read again, whatever is stored: no answer read
     * before {@code now} is reused ({@code /fixgate rescan}, the Rescan button).
     */
    public static long enqueueRescan(JobQueue queue, InitiativeStore initiatives, InitiativeId initiative, Instant now) {
        String state = initiatives.find(initiative).map(i -> i.findings() + "/" + i.openFindings()).orElse("new");
        return queue.enqueue(KIND, Json.write(Map.of("initiative", initiative.value(), "evidence_after", now.toString())),
                Optional.of(KIND + ":" + initiative.value() + ":" + state + ":rescan"), 5, now);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(Job job) throws Exception {
        InitiativeId id = initiativeOf(job.payload());
        EvidenceSource evidence = evidenceAfter(job.payload()).map(this.evidence::readAfter).orElse(this.evidence);
        InitiativeStore.StoredInitiative initiative = initiatives.find(id)
                .orElseThrow(() -> new PermanentJobFailure("no initiative " + id.value()));
        if (initiative.status() == InitiativeStore.Status.DONE || initiative.status() == InitiativeStore.Status.DISMISSED) {
            return;
        }
        List<Finding> open = new ArrayList<>();
        for (Fingerprint fp : initiatives.members(id)) {
            findings.latest(fp).filter(Finding::active).ifPresent(open::add);
        }
        if (open.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        Map<Finding, Playbook> selected = select(open, problems);
        List<Repo> installed = repositories.installed();
        RepositoryReads reads = new RepositoryReads(repositories, clock);
        List<Repo> candidates = selected.isEmpty() ? List.of() : candidates(initiative.scope(), installed, reads, problems);
        List<RemediationRun.Report> runs = new ArrayList<>();
        List<FixProposal> queued = new ArrayList<>();
        Path runDir = Files.createDirectories(workDir).resolve("remediate-" + job.id() + "-" + job.attempts());
        try {
            Map<Repo, CloudMap> scans = new LinkedHashMap<>();
            for (Repo repo : candidates) {
                Path dir = runDir.resolve(repo.fullName().replace('/', '_'));
                deleteTree(dir);
                RepoScan scan = repositories.scan(repo, dir);
                reads.scanned(repo, scan);
                // A file that cannot be read (not UTF-8, over a limit, hostile) costs only itself, and says so.
                scan.problems().forEach(p -> problems.add(repo.fullName() + ": " + p));
                // an invalid configuration is reported below, where nothing is proposed; locate uses the defaults
                RepoConfig forLocate = reads.config(repo, new ArrayList<>()).orElseGet(RepoConfig::defaults);
                scans.put(repo, remediation.map(scan, repo.fullName(), forLocate));
            }
            Map<Repo, List<Remediation.Subject>> owned = locate(selected, scans, problems);
            scans.forEach((repo, map) -> {
                if (map.stateRead()) {
                    map.problems().forEach(p -> problems.add(repo.fullName() + ": " + p));
                }
            });
            for (Map.Entry<Repo, List<Remediation.Subject>> e : owned.entrySet()) {
                Repo repo = e.getKey();
                Optional<RepoConfig> config = reads.config(repo, problems);
                if (config.isEmpty()) {
                    continue;
                }
                List<String> repoProblems = new ArrayList<>();
                List<Remediation.Subject> subjects = chatops.isEmpty() ? e.getValue()
                        : Holds.unheld(chatops.get(), repo.fullName(), id, e.getValue(), repoProblems, clock.instant());
                problems.addAll(repoProblems);
                if (subjects.isEmpty()) {
                    note(repo, id, List.of(), repoProblems);
                    continue;
                }
                try (RepositoryLocks.Held held = locks.hold("remediate", repo.fullName())) {
                    RemediationRun.Report run = new RemediationRun(remediation, recorder, ACTOR,
                            new RemediationRun.Target(repo.fullName(), repo.installationId(), Optional.of(id)),
                            scans.get(repo), new Remediation.Context(repo.fullName(), Optional.of(id), evidence,
                            config.get(), clock.instant())).remediate(subjects);
                    runs.add(run);
                    problems.addAll(run.problems());
                    repoProblems.addAll(run.problems());
                    List<RemediationStore.Remediation> superseded = superseded(repo, id, run.proposals());
                    List<Integer> numbers = superseded.stream().flatMap(r -> java.util.stream.Stream.of(r.pullNumber(),
                            r.issueNumber())).filter(java.util.OptionalInt::isPresent)
                            .map(java.util.OptionalInt::getAsInt).toList();
                    boolean any = false;
                    for (int i = 0; i < run.proposals().size(); i++) {
                        FixProposal p = run.proposals().get(i).superseding(numbers);
                        if (queue(p, run.playbookIds().get(i), reads.planned(repo), repoProblems)) {
                            queued.add(p);
                            any = true;
                        }
                    }
                    if (any) {
                        superseded.forEach(r -> remediations.setStatus(r.id(), RemediationStore.Status.ABANDONED,
                                clock.instant()));
                    }
                    repoProblems.stream().filter(p -> !problems.contains(p)).forEach(problems::add);
                    note(repo, id, run.results(), repoProblems);
                }
            }
        } finally {
            deleteTree(runDir);
        }
        if (!queued.isEmpty()) {
            initiatives.setStatus(id, InitiativeStore.Status.IN_PROGRESS, clock.instant());
        }
        Report report = new Report(id, candidates, runs, queued, problems);
        LOG.atInfo().setMessage("initiative remediated").addKeyValue("initiative", id.value())
                .addKeyValue("repositories", candidates.size()).addKeyValue("queued", queued.size())
                .addKeyValue("problems", problems).log();
        listener.accept(report);
    }

    /** The run's notes for the dashboard: what the gate held back, and what went wrong. */
    private void note(Repo repo, InitiativeId id, List<RemediationResult> results, List<String> problems) {
        if (chatops.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<ChatOpsStore.Note> notes = new ArrayList<>();
        for (RemediationResult r : results) {
            if (r.action() == dev.fixgate.app.gate.Action.RECORD_ONLY) {
                notes.add(new ChatOpsStore.Note(repo.fullName(), id, ChatOpsStore.NoteKind.BLOCKED, r.location() + " ("
                        + r.subject().playbook().id() + "): " + String.join("; ", r.restrictions()), now));
            }
        }
        problems.forEach(p -> notes.add(new ChatOpsStore.Note(repo.fullName(), id, ChatOpsStore.NoteKind.PROBLEM, p, now)));
        chatops.get().replaceNotes(repo.fullName(), id, notes);
    }

    /** Select: each open finding's playbook, once; a finding no playbook fixes is reported. */
    private Map<Finding, Playbook> select(List<Finding> open, List<String> problems) {
        Map<Finding, Playbook> out = new LinkedHashMap<>();
        for (Finding f : open) {
            Optional<Playbook> playbook = remediation.select(f);
            if (playbook.isPresent()) {
                out.put(f, playbook.get());
            } else {
                problems.add(f.resource().key() + ": no playbook fixes " + f.control().value());
            }
        }
        return out;
    }

    /** The repositories to search for the initiative's code. */
    private List<Repo> candidates(String scope, List<Repo> installed, RepositoryReads reads,
                                  List<String> problems) {
        List<Repo> out;
        if (scope.startsWith("repo:") && !scope.startsWith("repo:unknown:")) {
            String name = scope.substring("repo:".length(), scope.lastIndexOf(':'));
            out = installed.stream().filter(r -> r.fullName().equalsIgnoreCase(name)
                    || r.fullName().substring(r.fullName().indexOf('/') + 1).equalsIgnoreCase(name)).toList();
            if (out.isEmpty()) {
                problems.add("repository '" + name + "' named by the findings is not one the App is installed on");
            }
            return out;
        }
        if (scope.startsWith("account:")) {
            String account = scope.substring(scope.lastIndexOf(':') + 1);
            List<Repo> listing = new ArrayList<>();
            boolean anyListsAccounts = false;
            for (Repo r : installed) {
                Optional<RepoConfig> c = reads.config(r, new ArrayList<>());
                if (c.isPresent() && !c.get().accounts().isEmpty()) {
                    anyListsAccounts = true;
                    if (c.get().accounts().contains(account)) {
                        listing.add(r);
                    }
                }
            }
            if (anyListsAccounts) {
                if (listing.isEmpty()) {
                    problems.add("no installed repository lists account " + account + " under 'accounts' in "
                            + dev.fixgate.app.config.RepoConfigLoader.PATH);
                }
                out = listing;
            } else {
                out = installed;
            }
        } else {
            out = installed;
        }
        if (out.size() > maxRepositories) {
            problems.add(out.size() + " repositories would have to be searched (more than " + maxRepositories
                    + "); list the account under 'accounts' in the owning repository's "
                    + dev.fixgate.app.config.RepoConfigLoader.PATH);
            return List.of();
        }
        return out;
    }

    /**
     * Locate: each finding in each candidate checkout, once; its owner is the one repository where it is found.
     * Not found and ambiguous findings are reported; two findings of one resource and playbook are one subject.
     */
    private Map<Repo, List<Remediation.Subject>> locate(Map<Finding, Playbook> selected, Map<Repo, CloudMap> scans,
                                                        List<String> problems) {
        Map<Repo, Map<String, Remediation.Subject>> owned = new LinkedHashMap<>();
        selected.forEach((f, playbook) -> {
            Map<Repo, FindingLocator.Result.Found> found = new LinkedHashMap<>();
            Map<Repo, FindingLocator.Result.NotFound> missed = new LinkedHashMap<>();
            scans.forEach((repo, scan) -> {
                switch (remediation.locate(scan, f, playbook)) {
                    case FindingLocator.Result.Found hit -> found.put(repo, hit);
                    case FindingLocator.Result.NotFound nf -> missed.put(repo, nf);
                }
            });
            List<String> ambiguous = missed.entrySet().stream()
                    .filter(e -> e.getValue().code().equals(FindingLocator.AMBIGUOUS))
                    .map(e -> e.getKey().fullName() + ": " + e.getValue().reason()).toList();
            if (!ambiguous.isEmpty()) {
                // ambiguous anywhere is reported with its candidates and fixed nowhere, never guessed
                problems.add(f.resource().key() + ": " + String.join("; ", ambiguous) + "; left alone rather than guessed");
            } else if (found.size() == 1) {
                Map.Entry<Repo, FindingLocator.Result.Found> hit = found.entrySet().iterator().next();
                Remediation.Subject s = new Remediation.Subject(List.of(f), playbook, hit.getValue().located());
                owned.computeIfAbsent(hit.getKey(), k -> new LinkedHashMap<>()).merge(s.key(), s, (a, b) -> a.with(f));
            } else if (found.isEmpty()) {
                problems.add(f.resource().key() + ": not found in " + scans.keySet().stream().map(Repo::fullName).toList()
                        + (missed.size() == 1 ? " (" + missed.values().iterator().next().reason() + ")" : ""));
            } else {
                problems.add(f.resource().key() + ": found in more than one repository "
                        + found.keySet().stream().map(Repo::fullName).toList() + "; left alone rather than guessed");
            }
        });
        Map<Repo, List<Remediation.Subject>> out = new LinkedHashMap<>();
        owned.forEach((repo, subjects) -> out.put(repo, List.copyOf(subjects.values())));
        return out;
    }

    /**
     * Records the remediation and queues its delivery, unless another open remediation in the repository already
     * fixes one of its resources (two initiatives, e.g. a cloud finding and an IaC finding of one bucket).
     */
    private boolean queue(FixProposal p, String playbookId, DeliveryJob.Planned planned, List<String> problems) {
        String branch = PullRequestContent.branch(p);
        if (chatops.isPresent()) {
            String hash = p.planHash();
            Optional<ChatOpsStore.Hold> rejected = chatops.get().holds(p.repository(), new InitiativeId(p.initiativeId()))
                    .stream().filter(h -> h.kind() == ChatOpsStore.HoldKind.REJECT && h.target().equals(hash)
                            && h.liftedAt().isEmpty()).findFirst();
            if (rejected.isPresent()) {
                problems.add(String.join(", ", p.resources()) + ": this plan was rejected by @" + rejected.get().createdBy()
                        + " (" + rejected.get().reason() + "); it is not proposed again");
                return false;
            }
        }
        Set<String> resources = new LinkedHashSet<>(p.resources());
        for (RemediationStore.Remediation r : remediations.openIn(p.repository())) {
            if (r.branch().equals(branch) || r.initiative().value().equals(p.initiativeId())) {
                continue;
            }
            List<String> theirs = resourcesOf(r.planJson());
            Optional<String> overlap = theirs.stream().filter(resources::contains).findFirst();
            if (overlap.isPresent()) {
                problems.add(overlap.get() + ": already fixed by remediation " + r.id() + " (" + r.branch() + ")");
                return false;
            }
        }
        if (verification.isPresent()) {
            for (RemediationStore.Remediation r : remediations.inRepo(p.repository())) {
                if (r.status() != RemediationStore.Status.MERGED || verification.get().find(r.id())
                        .filter(t -> t.state() != VerifyStore.State.VERIFIED).isEmpty()) {
                    continue;
                }
                Optional<String> overlap = resourcesOf(r.planJson()).stream().filter(resources::contains).findFirst();
                if (overlap.isPresent()) {
                    problems.add(overlap.get() + ": fixed in code by remediation " + r.id() + " (#"
                            + r.pullNumber().orElse(0) + ", merged, not verified yet); not proposed again");
                    return false;
                }
            }
        }
        Instant now = clock.instant();
        // One open remediation per initiative, repository and branch — the database's unique key holds it, whichever
        // replica gets here first; a rerun re-plans the open one, a merged or closed one makes way for a new one.
        long remediation = remediations.createOrReplan(new InitiativeId(p.initiativeId()), playbookId, p.rci().level(),
                p.rci().confidence(), p.repository(), branch, p.toJson(), now);
        // which findings this pull request (or issue) fixes: what the evidence report measures time to merge for
        remediations.covers(remediation, p.findings().stream().map(f -> new Fingerprint(f.fingerprint())).toList());
        DeliveryJobHandler.enqueue(queue, history.isPresent() ? p.withRciHistory(history(remediation, p, now)) : p,
                planned, now);
        return true;
    }

    /**
     * The initiative's open remediations in {@code repo} that none of {@code proposals} continues (none has their
     * branch): every resource in them went to another group — its evidence changed — or left. Empty when nothing is
     * proposed at all (then where they went is not known, and they stay).
     */
    private List<RemediationStore.Remediation> superseded(Repo repo, InitiativeId id, List<FixProposal> proposals) {
        if (proposals.isEmpty()) {
            return List.of();
        }
        Set<String> branches = new LinkedHashSet<>();
        proposals.forEach(p -> branches.add(PullRequestContent.branch(p)));
        return remediations.forInitiative(id).stream()
                .filter(r -> r.repo().equals(repo.fullName()) && r.status().open() && !branches.contains(r.branch()))
                .toList();
    }

    /** The remediation's RCI history, with {@code p}'s assessment added when its level or blast radius changed. */
    private List<FixProposal.RciStep> history(long remediation, FixProposal p, Instant now) {
        EvidenceStore store = history.orElseThrow();
        List<EvidenceStore.RciEntry> entries = store.history(remediation);
        String blast = p.blastRadius().scope() + " (" + p.blastRadius().affected().size() + ")";
        EvidenceStore.RciEntry last = entries.isEmpty() ? null : entries.getLast();
        if (last == null || last.level() != p.rci().level() || !last.blast().equals(blast)) {
            EvidenceStore.RciEntry entry = new EvidenceStore.RciEntry(remediation, p.rci().level(), p.rci().confidence(),
                    blast, String.join("\n", p.evidence().stream().limit(20).toList()), now);
            store.record(entry);
            entries = new ArrayList<>(entries);
            entries.add(entry);
            if (last != null) {
                LOG.atInfo().setMessage("the RCI of an open remediation changed").addKeyValue("remediation", remediation)
                        .addKeyValue("from", last.level() + " " + last.blast()).addKeyValue("to", p.rci().level() + " " + blast)
                        .log();
            }
        }
        return entries.stream().map(e -> new FixProposal.RciStep(e.at(), e.level(), e.confidence(), e.blast(),
                e.evidence().isEmpty() ? List.of() : List.of(e.evidence().split("\n")))).toList();
    }

    private static List<String> resourcesOf(String planJson) {
        try {
            List<String> out = new ArrayList<>();
            Json.mapper().readTree(planJson).path("resources").forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<Instant> evidenceAfter(String payload) {
        try {
            String after = Json.mapper().readTree(payload).path("evidence_after").asText("");
            return after.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(after));
        } catch (IOException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static InitiativeId initiativeOf(String payload) throws PermanentJobFailure {
        try {
            JsonNode node = Json.mapper().readTree(payload).path("initiative");
            if (!node.isTextual() || node.asText().isBlank()) {
                throw new PermanentJobFailure("payload has no initiative (at /initiative): " + payload);
            }
            return new InitiativeId(node.asText());
        } catch (IOException e) {
            throw new PermanentJobFailure("payload is not JSON: " + e.getMessage(), e);
        }
    }

    /** Deletes {@code dir} and all below it, if it exists (a checkout, or what a failed fetch left). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
