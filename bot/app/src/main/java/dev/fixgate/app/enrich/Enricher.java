package dev.fixgate.app.enrich;

import dev.fixgate.app.PipelineStep;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.Finding;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Stage 4's entry point: what is known about the resource a fix is about — the kinds its playbook's risk rules
 * name, and its environment, tags, owner and any open incident — from an {@link EvidenceSource}.
 */
public final class Enricher {

    /** Asked about every resource, whatever its playbook names: they feed the gate and the blast radius. */
    public static final Set<String> CONTEXT_KINDS = Set.of(EvidenceKinds.ENVIRONMENT, EvidenceKinds.TAGS,
            EvidenceKinds.OWNER, EvidenceKinds.INCIDENT_ACTIVE);

    @PipelineStep
    public Enrichment enrich(EvidenceSource source, Finding finding, ModelResource resource, Playbook playbook,
                             Instant now) {
        Set<String> named = new LinkedHashSet<>();
        playbook.risk().evidence().forEach(r -> named.add(r.kind()));
        Targets.Target target = Targets.of(finding, resource);
        Set<String> names = new LinkedHashSet<>();
        if (finding.resource() instanceof CloudResource c) {
            names.add(c.id());
        }
        target.resource().ifPresent(c -> names.add(c.id()));
        names.add(resource.address());
        names.remove("");
        Set<String> context = new LinkedHashSet<>(CONTEXT_KINDS);
        context.removeAll(named);
        return source.observe(new EvidenceQuery(target.resource(), target.why(), names, named, context,
                target.hints(), now));
    }
}
