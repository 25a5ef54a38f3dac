package dev.fixgate.app.pipeline;

import dev.fixgate.app.assess.Assessment;
import dev.fixgate.app.gate.Action;
import dev.fixgate.app.gate.LayerVerdict;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.gate.GateDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything fixgate decided about one resource's fix, once: the plan, the assessment (RCI and blast radius), the
 * gate's decision and the action, and — once stored — the decision's id in {@code gate_decisions}.
 *
 * @param subject     the resource and the findings that reported it
 * @param unavailable the evidence the playbook names that could not be read, with the reason (enrich stage)
 * @param decisionId  the {@code gate_decisions} row, when the run records decisions
 */
public record RemediationResult(InitiativeId initiative, Remediation.Subject subject, Planner.Item plan,
                                List<String> unavailable, Assessment assessment,
                                RemediationSafety.ResourceDecision decision, OptionalLong decisionId) {

    public RemediationResult {
        Objects.requireNonNull(initiative, "initiative");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(plan, "plan");
        unavailable = List.copyOf(unavailable);
        Objects.requireNonNull(assessment, "assessment");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(decisionId, "decisionId");
    }

    public RemediationResult recorded(long id) {
        return new RemediationResult(initiative, subject, plan, unavailable, assessment, decision, OptionalLong.of(id));
    }

    public Action action() {
        return decision.gate().action();
    }

    public Rci rci() {
        return assessment.rci();
    }

    /** The resource as the decision names it: the ARN or id a cloud finding gave, else the IaC address. */
    public String resource() {
        return decision.resource();
    }

    /** {@code file:address}. */
    public String location() {
        return subject.located().resource().file() + ":" + subject.located().resource().address();
    }

    /**
     * What held the fix back, one line per restricting policy hit (engine, policy id, message), e.g.
     * {@code cel acme.versioning-freeze: no versioning changes this week}; empty for a fix every engine allowed.
     */
    public List<String> restrictions() {
        List<String> out = new ArrayList<>();
        for (LayerVerdict v : decision.gate().layers()) {
            if (v.verdict() instanceof GateDecision.Allow) {
                continue;
            }
            if (v.hits().isEmpty()) {
                v.verdict().reasons().forEach(r -> out.add(v.engine() + ": " + r));
            }
            v.hits().forEach(h -> out.add(v.engine() + " " + h.policyId() + ": " + h.message()));
        }
        return out;
    }

    /** Why: the RCI's sentences, then the gate's. */
    public List<String> reasons() {
        List<String> out = new ArrayList<>();
        rci().reasons().stream().map(RciReason::message).forEach(out::add);
        out.addAll(decision.gate().decision().reasons());
        return out;
    }
}
