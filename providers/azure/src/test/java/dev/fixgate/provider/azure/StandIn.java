package dev.fixgate.provider.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import dev.fixgate.localazure.LocalAzure;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/** The real SDK clients pointed at a {@link LocalAzure}: a static token, a JDK client trusting its certificate. */
final class StandIn {

    static final String SUB = "00000000-0000-0000-0000-0000000000a1";
    static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg-app";
    static final String WS = RG + "/providers/Microsoft.OperationalInsights/workspaces/ws-main";
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private StandIn() {
    }

    /** A credential that hands out the stand-in's token: no identity platform is reachable in tests. */
    static final class StaticToken implements TokenCredential {
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.just(new AccessToken(LocalAzure.TOKEN, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
        }
    }

    static ProviderSettings settings(LocalAzure azure, Duration budget) {
        return new ProviderSettings(Map.of(AzureClients.MANAGEMENT, azure.managementEndpoint()),
                List.of(new ProviderSettings.AccountAccess(SUB, "11111111-2222-3333-4444-555555555555", "")),
                List.of("westeurope"), budget, Clock.fixed(NOW, ZoneOffset.UTC), Map.of());
    }

    static List<EvidenceCollector> collectors(LocalAzure azure, Duration budget) {
        var client = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(azure.clientSslContext()))
                .responseTimeout(budget).readTimeout(budget).build();
        return new AzureEvidenceProvider().collectors(settings(azure, budget), new AzureAccess(a -> new StaticToken(), client));
    }

    static EvidenceCollector collector(List<EvidenceCollector> all, String id) {
        return all.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    static Map<String, Observed> collect(EvidenceCollector c, String id, String... kinds) {
        CloudResource r = new CloudResource(Cloud.AZURE, SUB, "westeurope", "as the source says", id);
        List<Observed> out = c.collect(new EvidenceRequest(r, Set.of(kinds), NOW, Map.of()));
        return out.stream().collect(java.util.stream.Collectors.toMap(Observed::kind, o -> o));
    }
}
