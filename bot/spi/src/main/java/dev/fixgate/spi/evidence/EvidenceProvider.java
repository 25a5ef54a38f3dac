package dev.fixgate.spi.evidence;

import dev.fixgate.spi.finding.Cloud;
import java.util.List;

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
     * The kinds of its cloud ({@link EvidenceKinds.Spec#clouds()}) no API lets it observe, each with the documented
     * reason; the catalog contract fails for a kind that is neither collected nor listed here.
     */
    default java.util.Map<String, String> unobservable() {
        return java.util.Map.of();
    }
}
