package dev.fixgate.app.assess;

import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.PipelineStep;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Playbook;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Stage 6's entry point: the RCI ({@link RciAssessor}) and the blast radius ({@link BlastRadiusCalculator}) of one
 * planned fix, from the plan's outcome and the evidence about the resource.
 */
public final class Assessor {

    private final RciAssessor rci = new RciAssessor();

    /**
     * @param playbook the fix's playbook (risk rules, rollback)
     * @param resource the located resource
     * @param module   every resource of its module or template
     * @param evidence per kind, the newest observation about the resource
     * @param patch    what the plan stage could do; {@code patchCode} its refusal code
     * @param now      the decision's instant
     * @param maxAge   the repository's {@code evidence.max_age}
     */
    @PipelineStep
    public Assessment assess(Playbook playbook, ModelResource resource, List<ModelResource> module,
                             Map<String, Observation> evidence, Planner.Status patch, String patchCode, Instant now,
                             Duration maxAge) {
        return new Assessment(
                rci.assess(playbook.risk(), playbook.rollback(), resource.type(), evidence, patch, patchCode, now, maxAge),
                BlastRadiusCalculator.compute(resource.address(), module, evidence));
    }
}
