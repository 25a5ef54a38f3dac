package dev.fixgate.app.pipeline;

import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.gate.DecisionRecorder;
import dev.fixgate.app.locate.CloudMap;
import dev.fixgate.app.locate.FindingLocator;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.prevent.Checker;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of the chain over one repository checkout: an initiative's findings in the service, a findings file in
 * {@code fixgate assess} and {@code fixgate plan}. Its {@link #run} reads as the pipeline does — select, locate,
 * plan, assess, gate, record, propose — and every resource passes each stage once. Single use.
 */
public final class RemediationRun {

    /**
     * Where the fixes go.
     *
     * @param repository  {@code owner/name} (a directory name offline)
     * @param initiative  the initiative every result belongs to (the service's job); empty: each resource's own,
     *                    computed from its located file as {@code assess} shows it
     */
    public record Target(String repository, long installationId, Optional<InitiativeId> initiative) {
        public Target {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(initiative, "initiative");
        }
    }

    /** A finding that went no further than select or locate, and why. */
    public record Skipped(Finding finding, String playbookId, String code, String reason) {
        public Skipped {
            Objects.requireNonNull(finding, "finding");
            Objects.requireNonNull(playbookId, "playbookId");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * What the run did.
     *
     * @param results  every decided resource, in finding order
     * @param skipped  findings without a playbook, or whose resource is not in the checkout
     * @param problems resources left out of a proposal, with the reason
     */
    public record Report(List<RemediationResult> results, List<Skipped> skipped, List<FixProposal> proposals,
                         List<String> playbookIds, List<String> problems) {
        public Report {
            results = List.copyOf(results);
            skipped = List.copyOf(skipped);
            proposals = List.copyOf(proposals);
            playbookIds = List.copyOf(playbookIds);
            problems = List.copyOf(problems);
            if (playbookIds.size() != proposals.size()) {
                throw new IllegalArgumentException("one playbook id per proposal");
            }
        }
    }

    private final Remediation remediation;
    private final Optional<DecisionRecorder> recorder;
    private final String actor;
    private final Target target;
    private final CloudMap map;
    private final Remediation.Context context;
    private final List<Skipped> skipped = new ArrayList<>();
    private boolean propose = true;

    /**
     * @param recorder stores each decision ({@code gate_decisions} and the audit log) as {@code actor}; empty: the
     *                 decisions are only returned (a dry run)
     */
    public RemediationRun(Remediation remediation, Optional<DecisionRecorder> recorder, String actor, Target target,
                          CloudMap map, Remediation.Context context) {
        this.remediation = Objects.requireNonNull(remediation, "remediation");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.target = Objects.requireNonNull(target, "target");
        this.map = Objects.requireNonNull(map, "map");
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Stops the run after record: each resource is decided (planned, assessed, gated, recorded as configured), but no
     * proposal is put together, so the report has no proposals and no problems. For the commands that show the
     * decisions and compose their own change ({@code fixgate plan} puts every fix into one fixed copy, {@code fixgate
     * assess} composes none): composing each pull request's fixes as well was a fifth of {@code plan}'s time, for
     * proposals nobody reads.
     *
     * @return this run
     */
    public RemediationRun withoutProposals() {
        propose = false;
        return this;
    }

    /** The whole chain for {@code findings}. */
    public Report run(List<Finding> findings) {
        Map<Finding, Playbook> selected = select(findings);
        List<Remediation.Subject> located = locate(selected);
        return remediate(located);
    }

    /**
     * Plan, assess, gate, record and propose for resources already located (the remediation job locates each
     * finding once across the candidate repositories, then runs the owning one from here).
     */
    public Report remediate(List<Remediation.Subject> subjects) {
        List<RemediationResult> decided = new ArrayList<>();
        List<Planner.Item> plans = remediation.plan(subjects, context); // each on its own, so in parallel
        for (int i = 0; i < subjects.size(); i++) {
            decided.add(remediation.remediate(subjects.get(i), context, plans.get(i))); // assess → gate, once each
        }
        List<RemediationResult> recorded = record(decided);
        if (!propose) {
            return new Report(recorded, skipped, List.of(), List.of(), List.of());
        }
        Proposals.Built built = Proposals.build(target, recorded, context.config(), items -> remediation.compose(items, context.config()));
        List<String> problems = new ArrayList<>();
        built.overlapping().forEach((r, why) -> problems.add(r.location() + ": " + why
                + "; it is proposed again once the other fix has merged"));
        return new Report(recorded, skipped, built.proposed().stream().map(Proposals.Proposed::proposal).toList(),
                built.proposed().stream().map(Proposals.Proposed::playbookId).toList(), problems);
    }

    /** Select: a playbook for each finding; those without one are skipped. */
    private Map<Finding, Playbook> select(List<Finding> findings) {
        Map<Finding, Playbook> out = new LinkedHashMap<>();
        for (Finding f : findings) {
            Optional<Playbook> p = remediation.select(f);
            if (p.isPresent()) {
                out.put(f, p.get());
            } else {
                skipped.add(new Skipped(f, "", "plan.no-playbook", "no playbook fixes " + f.control().value() + " ("
                        + f.sourceTool() + " " + f.sourceControlId() + ")"));
            }
        }
        return out;
    }

    /** Locate: each finding's resource block; two findings of one resource and playbook become one subject. */
    private List<Remediation.Subject> locate(Map<Finding, Playbook> selected) {
        Map<String, Remediation.Subject> subjects = new LinkedHashMap<>();
        selected.forEach((f, p) -> {
            switch (remediation.locate(map, f, p)) {
                case FindingLocator.Result.NotFound nf -> skipped.add(new Skipped(f, p.id(), nf.code(), nf.reason()));
                case FindingLocator.Result.Found found -> subjects.merge(
                        new Remediation.Subject(List.of(f), p, found.located()).key(),
                        new Remediation.Subject(List.of(f), p, found.located()), (a, b) -> a.with(f));
            }
        });
        return List.copyOf(subjects.values());
    }

    /** Record: each decision as a {@code gate_decisions} row and its audit events, when the run records. */
    private List<RemediationResult> record(List<RemediationResult> decided) {
        if (recorder.isEmpty()) {
            return decided;
        }
        List<RemediationResult> out = new ArrayList<>();
        for (RemediationResult r : decided) {
            List<Finding> findings = r.subject().findings();
            out.add(r.recorded(recorder.get().record(r.decision(), actor, new DecisionRecorder.Where(
                    target.repository(), findings.stream().map(Finding::fingerprint).toList(),
                    findings.getFirst().control().value()))));
        }
        return out;
    }

    /**
     * The chain for the resources {@code fixgate check} finds failing, when there is no findings file: each failure
     * stands in for a code finding of the playbook's control on that block (source {@code fixgate}).
     */
    public Report runChecks(List<Checker.Result> failures) {
        Map<String, Remediation.Subject> subjects = new LinkedHashMap<>();
        for (Checker.Result r : failures) {
            Playbook p = r.playbook();
            var res = r.target().resource();
            Finding f = new Finding("fixgate", p.id() + ":" + res.file() + ":" + res.address(), p.controls().getFirst(),
                    p.id(), p.severity(), p.severity().name(),
                    new CodeResource(target.repository(), res.file(), res.address(), res.type(), res.line()),
                    p.title(), true, context.now(), context.now(), SourceLocation.at(res.file(), res.line()));
            Remediation.Subject s = new Remediation.Subject(List.of(f), p, r.target());
            subjects.putIfAbsent(s.key(), s);
        }
        return remediate(List.copyOf(subjects.values()));
    }
}
