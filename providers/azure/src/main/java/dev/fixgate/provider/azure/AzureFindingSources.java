package dev.fixgate.provider.azure;

import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.intake.FindingSource;
import dev.fixgate.spi.intake.FindingSourceProvider;
import java.util.List;

/**
 * Azure's pull sources: Defender for Cloud assessments through Resource Graph ({@link DefenderAssessments}), one per
 * configured subscription, on the same endpoints and credentials as the evidence collectors ({@code clouds.azure}).
 */
public final class AzureFindingSources implements FindingSourceProvider {

    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    public List<FindingSource> sources(ProviderSettings settings) {
        return sources(settings, AzureAccess.defaults(settings));
    }

    /** The sources with a given credential and HTTP client (tests: a static token, a client trusting the stand-in). */
    public List<FindingSource> sources(ProviderSettings settings, AzureAccess access) {
        return List.of(new DefenderAssessments(new AzureClients(settings, access), settings));
    }
}
