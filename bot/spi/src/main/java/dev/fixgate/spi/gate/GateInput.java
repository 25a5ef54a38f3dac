package dev.fixgate.spi.gate;

import dev.fixgate.spi.assess.BlastRadius;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.evidence.Evidence;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.plan.RemediationPlan;
import java.util.List;
import java.util.Objects;

/** Everything a gate may look at: the initiative, its findings, the evidence, the assessment and the plan. */
public record GateInput(Initiative initiative, List<Finding> findings, List<Evidence> evidence, Rci rci,
                        BlastRadius blastRadius, RemediationPlan plan) {

    public GateInput {
        Objects.requireNonNull(initiative, "initiative");
        Objects.requireNonNull(rci, "rci");
        Objects.requireNonNull(blastRadius, "blastRadius");
        Objects.requireNonNull(plan, "plan");
        findings = List.copyOf(findings);
        evidence = List.copyOf(evidence);
    }
}
