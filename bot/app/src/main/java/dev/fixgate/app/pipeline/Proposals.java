package dev.fixgate.app.pipeline;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.gate.Action;
import dev.fixgate.app.gate.LayerVerdict;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.policy.PolicyHit;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * From decided resources to the fixes to deliver: the resources of one initiative that got the same gate action
 * share one {@link FixProposal} (SAFE ones one pull request, RISKY ones another, denied ones an issue) — per
 * directory of the changed file too when the repository asks for {@code grouping: control_directory}. Their
 * planned fixes are put together ({@link Planner#compose}), not planned again. RECORD_ONLY resources are decided
 * and reported but proposed nowhere.
 */
final class Proposals {

    /** A proposal, the playbook of its first resource, and the results it carries. */
    record Proposed(FixProposal proposal, String playbookId, List<RemediationResult> results) {
        Proposed {
            Objects.requireNonNull(proposal, "proposal");
            Objects.requireNonNull(playbookId, "playbookId");
            results = List.copyOf(results);
        }
    }

    /**
     * @param proposed    the proposals
     * @param overlapping resources whose fix could not be put together with the others in their proposal: left
     *                    for a later run (after the others merge), with the reason
     */
    record Built(List<Proposed> proposed, Map<RemediationResult, String> overlapping) {
        Built {
            proposed = List.copyOf(proposed);
            overlapping = Map.copyOf(overlapping);
        }
    }

    private Proposals() {
    }

    /**
     * @param compose puts planned fixes together ({@link Remediation#compose})
     */
    static Built build(RemediationRun.Target target, List<RemediationResult> results, RepoConfig config,
                       Function<List<Planner.Item>, Planner.Result> compose) {
        // initiative → gate action → group (the whole initiative, or a directory under grouping: control_directory)
        Map<InitiativeId, Map<Action, Map<String, List<RemediationResult>>>> groups = new LinkedHashMap<>();
        for (RemediationResult r : results) {
            if (r.plan().status() != Planner.Status.PATCHED || r.action() == Action.RECORD_ONLY) {
                continue;
            }
            groups.computeIfAbsent(r.initiative(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.action(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(config.grouping().groupOf(r.subject().located().resource().file()),
                            k -> new ArrayList<>())
                    .add(r);
        }
        List<Proposed> proposed = new ArrayList<>();
        Map<RemediationResult, String> overlapping = new LinkedHashMap<>();
        // each group is composed on its own, from the checkout's text: in parallel, then taken in order
        List<List<RemediationResult>> all = new ArrayList<>();
        groups.values().forEach(byAction -> byAction.values().forEach(byGroup -> all.addAll(byGroup.values())));
        Map<List<RemediationResult>, Planner.Result> composedByGroup = new java.util.IdentityHashMap<>();
        List<Planner.Result> composedAll = all.parallelStream()
                .map(items -> compose.apply(items.stream().map(RemediationResult::plan).toList())).toList();
        for (int i = 0; i < all.size(); i++) {
            composedByGroup.put(all.get(i), composedAll.get(i));
        }
        groups.forEach((initiative, byAction) -> byAction.forEach((action, byGroup) -> byGroup.forEach((key, items) -> {
            Planner.Result composed = composedByGroup.get(items);
            List<RemediationResult> kept = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Planner.Item item = composed.items().get(i);
                if (item.status() == Planner.Status.PATCHED) {
                    kept.add(items.get(i));
                } else {
                    overlapping.put(items.get(i), item.reason());
                }
            }
            if (!kept.isEmpty() && !composed.changed().isEmpty()) {
                // the group names the branch (and the issue): it stays while resources join or leave it
                proposed.add(new Proposed(proposal(target, initiative, kept, composed).inGroup(action.id() + ":" + key),
                        kept.getFirst().subject().playbook().id(), kept));
            }
        })));
        return new Built(proposed, overlapping);
    }

    private static FixProposal proposal(RemediationRun.Target target, InitiativeId initiative,
                                        List<RemediationResult> items, Planner.Result plan) {
        RemediationResult first = items.getFirst();
        Finding primary = first.subject().finding();
        // The proposal is as careful as its most careful resource.
        Rci rci = items.stream().map(RemediationResult::rci)
                .reduce((a, b) -> a.level().compareTo(b.level()) >= 0 ? a : b).orElseThrow();
        List<FixProposal.LayerDecision> decisions = new ArrayList<>();
        Set<String> decided = new LinkedHashSet<>();
        List<FixProposal.EngineVerdict> verdicts = new ArrayList<>();
        Set<FixProposal.EngineVerdict> seenVerdicts = new LinkedHashSet<>();
        for (RemediationResult r : items) {
            FixProposal.LayerDecision ld = FixProposal.LayerDecision.of(r.decision().gate().decision());
            if (decided.add(ld.toString())) {
                decisions.add(ld);
            }
            for (LayerVerdict v : r.decision().gate().layers()) {
                FixProposal.EngineVerdict ev = new FixProposal.EngineVerdict(v.layer(), v.engine(), v.verdictId(),
                        v.hits().stream().map(PolicyHit::policyId).distinct().toList(), v.verdict().reasons());
                if (seenVerdicts.add(ev)) {
                    verdicts.add(ev);
                }
            }
        }
        List<String> evidenceLines = new ArrayList<>();
        for (RemediationResult r : items) {
            if (r.decision().input() != null) {
                r.decision().input().evidence().forEach(e -> evidenceLines.add(r.resource() + ": " + e.kind() + " = "
                        + e.value() + " (observed " + e.observedAt() + ")"));
            }
            // what could not be read is evidence too: a reviewer sees why a fix stayed RISKY
            r.unavailable().forEach(u -> evidenceLines.add(r.resource() + ": " + u));
        }
        List<FixProposal.FindingSummary> findings = new ArrayList<>();
        for (RemediationResult r : items) {
            for (Finding f : r.subject().findings()) {
                findings.add(new FixProposal.FindingSummary(f.fingerprint().value(), f.sourceTool(), f.title(), 1,
                        f.firstSeen()));
            }
        }
        List<Long> decisionIds = items.stream().map(RemediationResult::decisionId)
                .filter(id -> id.isPresent()).map(id -> id.getAsLong()).toList();
        return new FixProposal(target.repository(), target.installationId(), initiative.value(),
                primary.control().value(), primary.severity().name().toLowerCase(Locale.ROOT), findings,
                items.stream().map(RemediationResult::location).toList(), plan.changed(), plan.diff(), rci,
                new FixProposal.Blast("resource", items.stream().map(r -> r.subject().located().resource().address()).toList(),
                        items.stream().flatMap(r -> r.decision().blastRadius().references().stream()).distinct().toList()),
                decisions, first.subject().playbook().rollback().how(), first.subject().playbook().compliance(),
                evidenceLines, decisionIds, verdicts);
    }

    /** The proposal a result went into, if any. */
    static Optional<Proposed> of(List<Proposed> proposed, RemediationResult r) {
        return proposed.stream().filter(p -> p.results().contains(r)).findFirst();
    }
}
