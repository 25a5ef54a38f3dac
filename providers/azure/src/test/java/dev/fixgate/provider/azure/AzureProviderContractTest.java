package dev.fixgate.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fixgate.localazure.LocalAzure;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.EvidenceProvider;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The provider's contract: discoverable, every Azure kind answered (or documented unobservable), least privilege. */
class AzureProviderContractTest {

    static EvidenceProvider provider() {
        return ServiceLoader.load(EvidenceProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.cloud() == Cloud.AZURE).findFirst().orElseThrow();
    }

    static List<EvidenceCollector> collectors() {
        return provider().collectors(ProviderSettings.defaults(Clock.systemUTC()));
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndBuildsCollectorsWithoutConnecting() {
        try (LocalAzure azure = LocalAzure.start()) {
            var settings = new ProviderSettings(Map.of(AzureClients.MANAGEMENT, azure.managementEndpoint()), List.of(),
                    List.of(), Duration.ofSeconds(5), Clock.systemUTC(), Map.of());
            assertThat(provider()).isInstanceOf(AzureEvidenceProvider.class);
            assertThat(provider().collectors(settings)).isNotEmpty();
            assertThat(azure.calls()).isEmpty();
        }
    }

    @Test
    void everyAzureKindHasACollectorOrADocumentedReason() {
        Map<String, List<String>> answeredBy = new HashMap<>();
        for (EvidenceCollector c : collectors()) {
            assertThat(c.cloud()).isEqualTo(Cloud.AZURE);
            for (String kind : c.kinds()) {
                assertThat(EvidenceKinds.spec(kind)).as(c.id() + " answers a registered kind: " + kind).isPresent();
                assertThat(EvidenceKinds.spec(kind).orElseThrow().clouds()).as(kind + " is an Azure kind").contains(Cloud.AZURE);
                answeredBy.computeIfAbsent(kind, k -> new ArrayList<>()).add(c.id());
            }
        }
        List<String> missing = new ArrayList<>();
        for (EvidenceKinds.Spec spec : EvidenceKinds.all()) {
            if (!spec.clouds().contains(Cloud.AZURE) || answeredBy.containsKey(spec.name())) {
                continue;
            }
            String why = AzureEvidenceProvider.UNOBSERVABLE.get(spec.name());
            if (why == null || why.isBlank()) {
                missing.add(spec.name());
            }
        }
        assertThat(missing).as("Azure kinds with neither a collector nor a documented reason").isEmpty();
        assertThat(answeredBy).allSatisfy((kind, by) -> assertThat(by).as(kind + " has one collector").hasSize(1));
        assertThat(AzureEvidenceProvider.UNOBSERVABLE.keySet()).doesNotContainAnyElementsOf(answeredBy.keySet());
    }

    @Test
    void theCustomRoleHasExactlyTheDeclaredReadActions() throws Exception {
        var settings = new ProviderSettings(Map.of(), List.of(new ProviderSettings.AccountAccess("sub-1", "", ""),
                new ProviderSettings.AccountAccess("sub-2", "", "")), List.of(), Duration.ofSeconds(5), Clock.systemUTC(), Map.of());
        List<EvidenceCollector> collectors = provider().collectors(settings);

        JsonNode role = new ObjectMapper().readTree(provider().permissions(collectors));

        Set<String> declared = collectors.stream().flatMap(c -> c.reads().stream()).map(ReadAction::action)
                .collect(Collectors.toCollection(TreeSet::new));
        // the Defender pull runs under the same identity: its declared reads belong to the role too
        new AzureFindingSources().sources(settings).forEach(s -> s.reads().forEach(r -> declared.add(r.action())));
        List<String> actions = new ArrayList<>();
        role.path("Actions").forEach(a -> actions.add(a.asText()));
        assertThat(actions).containsExactlyElementsOf(declared)
                .contains("Microsoft.Insights/metrics/read", "Microsoft.ResourceGraph/resources/read",
                        "Microsoft.OperationalInsights/workspaces/query/read", "Microsoft.Security/assessments/read")
                .allSatisfy(a -> assertThat(a).endsWith("/read").doesNotContain("*"));
        assertThat(role.path("IsCustom").asBoolean()).isTrue();
        assertThat(role.path("DataActions")).isEmpty();
        assertThat(role.path("AssignableScopes").toString()).isEqualTo("[\"/subscriptions/sub-1\",\"/subscriptions/sub-2\"]");
    }

    @Test
    void withoutConfiguredSubscriptionsTheScopeIsAPlaceholder() throws Exception {
        JsonNode role = new ObjectMapper().readTree(provider().permissions(collectors()));
        assertThat(role.path("AssignableScopes").get(0).asText()).isEqualTo("/subscriptions/{subscription-id}");
    }
}
