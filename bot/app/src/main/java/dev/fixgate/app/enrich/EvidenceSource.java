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

    /**
     * This source, answering only with evidence read at or after {@code instant} (a {@code /fixgate rescan}: "read it
     * again"); a source that cannot read again (a file) is itself.
     */
    default EvidenceSource readAfter(java.time.Instant instant) {
        return this;
    }

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
