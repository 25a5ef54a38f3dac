package dev.fixgate.app.deliver;

import dev.fixgate.app.assess.EvidenceIndex;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.gate.Action;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.gate.RemediationSafety.ResourceDecision;
import dev.fixgate.app.gate.ResourceCases;
import dev.fixgate.app.locate.FindingLocator;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * From findings and a repository checkout to the fixes to deliver: each finding's resource is located, planned
 * and gated ({@link RemediationSafety}), and the resources of one initiative that got the same gate action share
 * one {@link FixProposal} (SAFE ones one pull request, RISKY ones another, denied ones an issue) — per directory
 * of the changed file too when the repository asks for {@code grouping: control_directory}. RECORD_ONLY
 * resources are decided and reported but proposed nowhere.
 */
public final class Proposals {

    /**
     * @param repository  {@code owner/name}
     * @param initiative  the initiative every proposal belongs to; empty: each resource's own (as {@code assess}
     *                    computes it from the located file)
     */
    public record Target(String repository, long installationId, Optional<InitiativeId> initiative) {
        public Target {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(initiative, "initiative");
        }
    }

    /**
     * @param decisions  every located resource's decision, in finding order
     * @param notLocated findings with a playbook whose resource is not in this checkout
     * @param noPlaybook findings no playbook fixes
     */
    public record Result(List<Proposed> proposed, List<ResourceDecision> decisions, List<Finding> notLocated,
                         List<Finding> noPlaybook) {
        public Result {
            proposed = List.copyOf(proposed);
            decisions = List.copyOf(decisions);
            notLocated = List.copyOf(notLocated);
            noPlaybook = List.copyOf(noPlaybook);
        }

        public List<FixProposal> proposals() {
            return proposed.stream().map(Proposed::proposal).toList();
        }
    }

    /** A proposal and the playbook of its first resource. */
    public record Proposed(FixProposal proposal, String playbookId) {
    }

    private record Item(Finding finding, Playbook playbook, FindingLocator.Result.Found found, ResourceDecision decision) {
    }

    private final PlaybookCatalog catalog;
    private final RemediationSafety safety;

    public Proposals(PlaybookCatalog catalog, RemediationSafety safety) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.safety = Objects.requireNonNull(safety, "safety");
    }

    public Result build(Target target, RepoScan scan, List<Finding> findings, EvidenceIndex evidence, RepoConfig config,
                        Instant now) {
        // initiative → gate action → group (the whole initiative, or a directory under grouping: control_directory)
        Map<InitiativeId, Map<Action, Map<String, List<Item>>>> groups = new LinkedHashMap<>();
        List<ResourceDecision> decisions = new ArrayList<>();
        List<Finding> notLocated = new ArrayList<>();
        List<Finding> noPlaybook = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Finding finding : findings) {
            Optional<Playbook> playbook = catalog.select(finding);
            if (playbook.isEmpty()) {
                noPlaybook.add(finding);
                continue;
            }
            if (!(FindingLocator.locate(scan, finding, playbook.get()) instanceof FindingLocator.Result.Found found)) {
                notLocated.add(finding);
                continue;
            }
            RemediationSafety.ResourceCase c = ResourceCases.of(finding, playbook.get(), scan, target.repository(),
                    evidence, config, now);
            // Two tools reporting the same resource (a cloud scanner and an IaC scanner) make one fix, not two.
            if (!seen.add(c.playbook().id() + "|" + c.file() + "|" + c.address())) {
                continue;
            }
            ResourceDecision d = safety.decide(c);
            decisions.add(d);
            InitiativeId initiative = target.initiative().orElse(c.initiative());
            groups.computeIfAbsent(initiative, k -> new LinkedHashMap<>())
                    .computeIfAbsent(d.gate().action(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(config.grouping().groupOf(found.located().resource().file()), k -> new ArrayList<>())
                    .add(new Item(finding, playbook.get(), found, d));
        }
        List<Proposed> proposals = new ArrayList<>();
        groups.forEach((initiative, byAction) -> byAction.forEach((action, byGroup) -> {
            if (action != Action.RECORD_ONLY) {
                byGroup.values().forEach(items -> proposal(target, initiative, items)
                        .ifPresent(p -> proposals.add(new Proposed(p, items.getFirst().playbook().id()))));
            }
        }));
        return new Result(proposals, decisions, notLocated, noPlaybook);
    }

    private static Optional<FixProposal> proposal(Target target, InitiativeId initiative, List<Item> items) {
        Planner.Result plan = Planner.standard().plan(items.stream()
                .map(i -> new Planner.Request(i.playbook(), i.found().located(), i.finding().sourceTool())).toList(), Map.of());
        if (plan.changed().isEmpty()) {
            return Optional.empty();
        }
        Item first = items.getFirst();
        // The proposal is as careful as its most careful resource.
        Rci rci = items.stream().map(i -> i.decision().rci())
                .reduce((a, b) -> a.level().compareTo(b.level()) >= 0 ? a : b).orElseThrow();
        List<FixProposal.LayerDecision> decisions = new ArrayList<>();
        Set<String> decided = new LinkedHashSet<>();
        for (Item i : items) {
            FixProposal.LayerDecision ld = FixProposal.LayerDecision.of(i.decision().gate().decision());
            if (decided.add(ld.toString())) {
                decisions.add(ld);
            }
        }
        List<String> evidenceLines = new ArrayList<>();
        for (Item i : items) {
            if (i.decision().input() != null) {
                i.decision().input().evidence().forEach(e -> evidenceLines.add(i.decision().resource() + ": "
                        + e.kind() + " = " + e.value() + " (observed " + e.observedAt() + ")"));
            }
        }
        return Optional.of(new FixProposal(target.repository(), target.installationId(), initiative.value(),
                first.finding().control().value(), first.finding().severity().name().toLowerCase(Locale.ROOT),
                items.stream().map(i -> new FixProposal.FindingSummary(i.finding().fingerprint().value(),
                        i.finding().sourceTool(), i.finding().title(), 1, i.finding().firstSeen())).toList(),
                items.stream().map(i -> i.found().located().resource().file() + ":"
                        + i.found().located().resource().address()).toList(),
                plan.changed(), plan.diff(), rci,
                new FixProposal.Blast("resource", items.stream().map(i -> i.found().located().resource().address()).toList(),
                        items.stream().flatMap(i -> i.decision().blastRadius().references().stream()).distinct().toList()),
                decisions, first.playbook().rollback().how(), first.playbook().compliance(), evidenceLines));
    }
}
