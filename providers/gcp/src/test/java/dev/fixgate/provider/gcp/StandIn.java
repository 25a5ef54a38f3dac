package dev.fixgate.provider.gcp;

import com.google.cloud.NoCredentials;
import dev.fixgate.localgcp.LocalGcp;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The real Google clients (HTTP/JSON transport, no credentials) pointed at a {@link LocalGcp}. */
final class StandIn {

    static final String PROJECT = "shop-prod";
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private StandIn() {
    }

    static ProviderSettings settings(LocalGcp gcp, Duration budget) {
        String e = gcp.endpoint();
        return new ProviderSettings(Map.of(GcpClients.ASSET, e, GcpClients.COMPUTE, e, GcpClients.STORAGE, e,
                GcpClients.LOGGING, e, GcpClients.SERVICE_HEALTH, e, GcpClients.BINARY_AUTHORIZATION, e),
                List.of(new ProviderSettings.AccountAccess(PROJECT, "fixgate-reader@shop-prod.iam.gserviceaccount.com", "")),
                List.of("europe-west1"), budget, Clock.fixed(NOW, ZoneOffset.UTC), Map.of());
    }

    static List<EvidenceCollector> collectors(LocalGcp gcp, Duration budget) {
        return new GcpEvidenceProvider().collectors(settings(gcp, budget), new GcpAccess(a -> NoCredentials.getInstance()));
    }

    static EvidenceCollector collector(List<EvidenceCollector> all, String id) {
        return all.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    static Map<String, Observed> collect(EvidenceCollector c, CloudResource r, String... kinds) {
        return c.collect(new EvidenceRequest(r, Set.of(kinds), NOW, Map.of())).stream()
                .collect(Collectors.toMap(Observed::kind, o -> o));
    }

    static CloudResource resource(String id) {
        return new CloudResource(Cloud.GCP, PROJECT, "", "as the source says", id);
    }
}
