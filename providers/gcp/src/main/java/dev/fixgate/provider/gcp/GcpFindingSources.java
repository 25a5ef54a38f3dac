package dev.fixgate.provider.gcp;

import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.intake.FindingSource;
import dev.fixgate.spi.intake.FindingSourceProvider;
import java.util.List;

/**
 * GCP's pull sources: Security Command Center findings through ListFindings ({@link SccFindings}), one per configured
 * project, with the credentials and endpoints of {@code clouds.gcp} ({@code endpoints.securitycenter} for a stand-in).
 */
public final class GcpFindingSources implements FindingSourceProvider {

    @Override
    public Cloud cloud() {
        return Cloud.GCP;
    }

    @Override
    public List<FindingSource> sources(ProviderSettings settings) {
        return sources(settings, GcpAccess.defaults());
    }

    /** The sources with given credentials (tests: {@code NoCredentials} against the stand-in). */
    public List<FindingSource> sources(ProviderSettings settings, GcpAccess access) {
        return List.of(new SccFindings(settings, access));
    }
}
