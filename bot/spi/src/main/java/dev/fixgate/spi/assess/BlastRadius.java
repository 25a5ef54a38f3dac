package dev.fixgate.spi.assess;

import dev.fixgate.spi.finding.ResourceRef;
import java.util.List;
import java.util.Objects;

/**
 * What a fix can affect besides the resource it changes.
 *
 * @param scope    how far it reaches
 * @param affected resources that depend on the changed ones (from ATTACHMENT/TRAFFIC evidence)
 * @param notes    human-readable findings for the PR body, e.g. "3 CloudFront distributions read this bucket"
 */
public record BlastRadius(BlastScope scope, List<ResourceRef> affected, List<String> notes) {

    public BlastRadius {
        Objects.requireNonNull(scope, "scope");
        affected = List.copyOf(affected);
        notes = List.copyOf(notes);
    }

    public static BlastRadius single() {
        return new BlastRadius(BlastScope.RESOURCE, List.of(), List.of());
    }
}
