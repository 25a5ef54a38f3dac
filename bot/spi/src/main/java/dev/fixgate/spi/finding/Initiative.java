package dev.fixgate.spi.finding;

import java.util.List;
import java.util.Objects;

/**
 * Findings grouped into one unit of work — what becomes one pull request (or one issue).
 *
 * @param id       deterministic from control and scope
 * @param control  the canonical control every member violates
 * @param scope    what the members share besides the control: {@code account:<id>} before locate,
 *                 {@code repo:<owner/name>:<module path>} after it
 * @param severity the most severe member's severity
 * @param findings fingerprints of the members, without duplicates
 */
public record Initiative(InitiativeId id, ControlId control, String scope, Severity severity,
                         List<Fingerprint> findings) {

    public Initiative {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(severity, "severity");
        findings = List.copyOf(findings);
        if (findings.isEmpty()) {
            throw new IllegalArgumentException("an initiative holds at least one finding");
        }
        if (findings.stream().distinct().count() != findings.size()) {
            throw new IllegalArgumentException("an initiative lists each finding once");
        }
    }

    public int size() {
        return findings.size();
    }
}
