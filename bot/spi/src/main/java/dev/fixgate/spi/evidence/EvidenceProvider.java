package dev.fixgate.spi.evidence;

import dev.fixgate.spi.finding.Cloud;
import java.util.List;
import java.util.Map;

/**
 * One cloud's collectors, built from the service configuration. Discovered with {@link java.util.ServiceLoader}
 * by the wiring; each provider module ({@code providers/aws|azure|gcp}) registers one.
 */
public interface EvidenceProvider {

    Cloud cloud();

    /** The collectors, configured; never opens a connection before one is asked. */
    List<EvidenceCollector> collectors(ProviderSettings settings);

    /**
     * The least-privilege role that lets every collector read what it declares, in the cloud's own format: an IAM
     * policy JSON (AWS), a custom role definition JSON (Azure), a custom role YAML (GCP).
     */
    String permissions(List<EvidenceCollector> collectors);

    /**
     * Kinds {@link EvidenceKinds} registers for this cloud that no read API of the cloud can observe, each with the
     * reason; a provider's contract test accepts an entry here in place of a collector. Empty by default.
     */
    default Map<String, String> unobservable() {
        return Map.of();
    }
}
