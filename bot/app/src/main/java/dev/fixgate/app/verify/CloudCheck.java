package dev.fixgate.app.verify;

import dev.fixgate.app.enrich.Enrichment;
import dev.fixgate.app.enrich.EvidenceQuery;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.enrich.Observation;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.policy.Cel;
import dev.fixgate.policy.CelValues;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Step 2: once the change is deployed, the collectors read each deployed resource again — fresh, answering only with
 * what was read after the deployment ({@link EvidenceSource#readAfter}), never a stored answer — and every rule of the
 * playbook's {@code verify:} must hold on what they read. One step per kind; a resource whose evidence could not be
 * read makes the step unavailable (never passed); one that reads wrong makes it failed.
 */
public final class CloudCheck {

    private static final Cel CEL = Cel.over("value");
    private final Map<String, Cel.Condition> compiled = new ConcurrentHashMap<>();

    /**
     * @param targets    the deployed resources the fix is about (from its cloud findings)
     * @param source     the collectors, already restricted to reads after the deployment
     * @param noTargets  why there is no target, when {@code targets} is empty
     */
    public List<VerifyStep> check(Playbook playbook, List<CloudResource> targets, String noTargets,
                                  EvidenceSource source, Instant now) {
        if (playbook.verify().isEmpty()) {
            return List.of();
        }
        Set<String> kinds = new LinkedHashSet<>();
        playbook.verify().forEach(r -> kinds.add(r.kind()));
        List<VerifyStep> steps = new ArrayList<>();
        if (targets.isEmpty()) {
            for (String kind : kinds) {
                steps.add(new VerifyStep(VerifyStep.cloud(kind), VerifyStep.Status.UNAVAILABLE,
                        "no deployed resource to read: " + noTargets));
            }
            return steps;
        }
        List<Enrichment> read = new ArrayList<>();
        for (CloudResource target : targets) {
            read.add(source.observe(new EvidenceQuery(Optional.of(target), "", Set.of(target.id()), kinds, Set.of(),
                    Map.of(), now)));
        }
        for (Playbook.VerifyRule rule : playbook.verify()) {
            List<String> lines = new ArrayList<>();
            boolean failed = false;
            boolean unavailable = false;
            for (int i = 0; i < targets.size(); i++) {
                String id = targets.get(i).id();
                Observation o = read.get(i).resource().get(rule.kind());
                if (o == null) {
                    unavailable = true;
                    String why = read.get(i).unavailable().stream().filter(u -> u.startsWith(rule.kind()))
                            .findFirst().orElse(rule.kind() + ": not answered by any collector");
                    lines.add(id + ": " + why);
                    continue;
                }
                boolean holds;
                try {
                    holds = compiled.computeIfAbsent(rule.when(), CEL::compile).test(CelValues.of(o.value()));
                } catch (RuntimeException e) {
                    unavailable = true;
                    lines.add(id + ": could not evaluate `" + rule.when() + "` on " + rule.kind() + " = " + o.value()
                            + " (" + e.getMessage() + ")");
                    continue;
                }
                if (holds) {
                    lines.add(id + ": " + rule.kind() + " = " + o.value() + " (" + rule.reason() + ")");
                } else {
                    failed = true;
                    // no read time in the line: a step is recorded again only when what it says changes
                    lines.add(id + ": " + rule.kind() + " = " + o.value() + ", expected `" + rule.when() + "`"
                            + (o.source().isEmpty() ? "" : " (" + o.source() + ")"));
                }
            }
            VerifyStep.Status status = failed ? VerifyStep.Status.FAILED
                    : unavailable ? VerifyStep.Status.UNAVAILABLE : VerifyStep.Status.PASSED;
            steps.add(new VerifyStep(VerifyStep.cloud(rule.kind()), status, String.join("\n", lines)));
        }
        return steps;
    }

    /** The cloud steps before the deployment: pending, saying what is awaited. */
    public static List<VerifyStep> awaiting(Playbook playbook, String what) {
        Set<String> kinds = new LinkedHashSet<>();
        playbook.verify().forEach(r -> kinds.add(r.kind()));
        return kinds.stream().map(k -> new VerifyStep(VerifyStep.cloud(k), VerifyStep.Status.PENDING, what)).toList();
    }
}
