package dev.fixgate.app.verify;

import dev.fixgate.app.store.FindingStore;
import dev.fixgate.spi.finding.FindingState;
import dev.fixgate.spi.finding.Fingerprint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Step 3: the finding source reports each finding the fix covers resolved — the finding is RESOLVED and a sighting
 * the source recorded after the merge says so (inactive: archived, passed, resolved). A resolution older than the merge
 * does not count (it was not this fix); a finding still reported active after the deployment fails the step.
 */
public final class SourceCheck {

    private SourceCheck() {
    }

    /**
     * @param findings   the fix's findings as stored (absent: unknown fingerprint)
     * @param sightings  per fingerprint, its sightings oldest first
     * @param deployedAt when the change was deployed, if it was
     */
    public static VerifyStep check(Map<Fingerprint, Optional<FindingStore.StoredFinding>> findings,
                                   Map<Fingerprint, List<FindingStore.Sighting>> sightings, Instant mergedAt,
                                   Optional<Instant> deployedAt) {
        if (findings.isEmpty()) {
            return new VerifyStep(VerifyStep.SOURCE, VerifyStep.Status.UNAVAILABLE,
                    "the remediation records no finding it fixes");
        }
        List<String> lines = new ArrayList<>();
        boolean failed = false;
        boolean pending = false;
        for (Map.Entry<Fingerprint, Optional<FindingStore.StoredFinding>> e : findings.entrySet()) {
            String name = e.getValue().map(f -> f.control().value() + " on " + f.resource().key())
                    .orElse(e.getKey().value());
            if (e.getValue().isEmpty()) {
                pending = true;
                lines.add(name + ": not known to the finding store");
                continue;
            }
            FindingStore.StoredFinding f = e.getValue().get();
            List<FindingStore.Sighting> seen = sightings.getOrDefault(e.getKey(), List.of());
            Optional<FindingStore.Sighting> resolvedAfter = seen.stream()
                    .filter(s -> !s.active() && !s.lastSeen().isBefore(mergedAt)).reduce((a, b) -> b);
            Optional<FindingStore.Sighting> activeAfterDeploy = deployedAt.flatMap(d -> seen.stream()
                    .filter(s -> s.active() && s.lastSeen().isAfter(d)).reduce((a, b) -> b));
            if (f.state() == FindingState.RESOLVED && resolvedAfter.isPresent()) {
                lines.add(name + ": resolved by " + resolvedAfter.get().sourceTool() + " at "
                        + resolvedAfter.get().lastSeen());
            } else if (f.state().isActive() && activeAfterDeploy.isPresent()) {
                failed = true;
                lines.add(name + ": still reported by " + activeAfterDeploy.get().sourceTool() + " at "
                        + activeAfterDeploy.get().lastSeen() + ", after the deployment");
            } else {
                pending = true;
                lines.add(name + ": " + f.state().name().toLowerCase(java.util.Locale.ROOT)
                        + "; no resolution reported since the merge");
            }
        }
        VerifyStep.Status status = failed ? VerifyStep.Status.FAILED
                : pending ? VerifyStep.Status.PENDING : VerifyStep.Status.PASSED;
        return new VerifyStep(VerifyStep.SOURCE, status, String.join("\n", lines));
    }
}
