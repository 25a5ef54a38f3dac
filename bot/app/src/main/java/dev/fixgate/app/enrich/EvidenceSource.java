package dev.fixgate.app.enrich;

import dev.fixgate.app.enrich.EvidenceIndex;
import java.util.Set;

/**
 * Where the enrich stage gets evidence: the providers' collectors ({@link CollectedEvidence}, what {@code serve}
 * and the demo use) or an evidence file ({@code fixgate assess --evidence}, {@link #of(EvidenceIndex)}).
 * Never throws for a read that failed: that is an {@linkplain Enrichment#unavailable() unavailable} line.
 */
@FunctionalInterface
public interface EvidenceSource {

    Enrichment observe(EvidenceQuery query);

    /** Nothing is known: every fix whose SAFE depends on evidence stays at its playbook's default. */
    static EvidenceSource none() {
        return q -> Enrichment.none();
    }

    /** Offline evidence, looked up under every name of the resource and its account. */
    static EvidenceSource of(EvidenceIndex index) {
        return q -> new Enrichment(index.latest(q.names()),
                q.account().isEmpty() ? java.util.Map.of() : index.latest(Set.of(q.account())), java.util.List.of());
    }
}
