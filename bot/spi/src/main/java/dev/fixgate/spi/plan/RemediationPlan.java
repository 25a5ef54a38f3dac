package dev.fixgate.spi.plan;

import dev.fixgate.spi.finding.InitiativeId;
import java.util.List;
import java.util.Objects;

/**
 * What a remediation would change, computed in memory before anything is pushed.
 *
 * @param initiative the initiative it fixes
 * @param playbookId the playbook whose operations produced the edits
 * @param edits      the changed files; never empty
 * @param diff       unified diff of {@code edits}, as it will appear in the PR
 * @param rollback   how to undo it
 * @param guardrails preventive controls to propose with it
 */
public record RemediationPlan(InitiativeId initiative, String playbookId, List<FileEdit> edits, String diff,
                              Rollback rollback, List<Guardrail> guardrails) {

    public RemediationPlan {
        Objects.requireNonNull(initiative, "initiative");
        Objects.requireNonNull(playbookId, "playbookId");
        Objects.requireNonNull(diff, "diff");
        Objects.requireNonNull(rollback, "rollback");
        edits = List.copyOf(edits);
        guardrails = List.copyOf(guardrails);
        if (edits.isEmpty()) {
            throw new IllegalArgumentException("a plan changes at least one file");
        }
    }
}
