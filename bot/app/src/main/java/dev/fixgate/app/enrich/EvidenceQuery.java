package dev.fixgate.app.enrich;

import dev.fixgate.spi.finding.CloudResource;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the enrich stage asks an {@link EvidenceSource} about one resource.
 *
 * @param target  the deployed resource, when the finding or the code names it
 * @param noTarget why there is no target (for the PR's evidence section); empty when there is one
 * @param names   every name the resource is known by (its cloud id, its IaC address): how offline evidence is keyed
 * @param named   the kinds the playbook's risk rules name: each one missing is reported
 * @param context kinds asked besides, when a collector answers them (environment, tags, owner, incident)
 * @param hints   what the code knows about the resource ({@code terraform_type}, {@code address}, {@code name})
 * @param now     the decision's instant
 */
public record EvidenceQuery(Optional<CloudResource> target, String noTarget, Set<String> names, Set<String> named,
                            Set<String> context, Map<String, String> hints, Instant now) {

    public EvidenceQuery {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(noTarget, "noTarget");
        names = Set.copyOf(names);
        named = Set.copyOf(named);
        context = Set.copyOf(context);
        hints = Map.copyOf(hints);
        Objects.requireNonNull(now, "now");
    }

    /** The account, subscription or project of the target; empty when unknown. */
    public String account() {
        return target.map(CloudResource::account).orElse("");
    }
}
