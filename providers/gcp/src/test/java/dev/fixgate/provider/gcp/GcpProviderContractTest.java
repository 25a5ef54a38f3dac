package dev.fixgate.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.localgcp.LocalGcp;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.EvidenceProvider;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The provider's contract: discoverable, every GCP kind answered or documented, least privilege. */
class GcpProviderContractTest {

    static EvidenceProvider provider() {
        return ServiceLoader.load(EvidenceProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.cloud() == Cloud.GCP).findFirst().orElseThrow();
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndBuildsCollectorsWithoutConnecting() {
        try (LocalGcp gcp = LocalGcp.start()) {
            // The default credentials are looked up on first use only: building collectors needs none.
            List<EvidenceCollector> collectors = provider().collectors(StandIn.settings(gcp, java.time.Duration.ofSeconds(5)));
            assertThat(provider()).isInstanceOf(GcpEvidenceProvider.class);
            assertThat(collectors).isNotEmpty();
            assertThat(gcp.calls()).isEmpty();
        }
    }

    @Test
    void everyGcpKindHasACollectorOrADocumentedReason() {
        Map<String, List<String>> answeredBy = new HashMap<>();
        for (EvidenceCollector c : provider().collectors(ProviderSettings.defaults(Clock.systemUTC()))) {
            assertThat(c.cloud()).isEqualTo(Cloud.GCP);
            for (String kind : c.kinds()) {
                assertThat(EvidenceKinds.spec(kind)).as(c.id() + " answers a registered kind: " + kind).isPresent();
                assertThat(EvidenceKinds.spec(kind).orElseThrow().clouds()).as(kind + " is a GCP kind").contains(Cloud.GCP);
                answeredBy.computeIfAbsent(kind, k -> new ArrayList<>()).add(c.id());
            }
        }
        List<String> missing = EvidenceKinds.all().stream().filter(s -> s.clouds().contains(Cloud.GCP))
                .map(EvidenceKinds.Spec::name)
                .filter(k -> !answeredBy.containsKey(k) && GcpEvidenceProvider.UNANSWERED.getOrDefault(k, "").isBlank())
                .toList();
        assertThat(missing).as("GCP kinds with neither a collector nor a documented reason").isEmpty();
        assertThat(answeredBy).allSatisfy((kind, by) -> assertThat(by).as(kind + " has one collector").hasSize(1));
        assertThat(GcpEvidenceProvider.UNANSWERED.keySet()).doesNotContainAnyElementsOf(answeredBy.keySet())
                .allSatisfy(k -> assertThat(EvidenceKinds.spec(k).orElseThrow().clouds()).contains(Cloud.GCP));
        assertThat(GcpEvidenceProvider.UNANSWERED.values())
                .allSatisfy(reason -> assertThat(reason).matches("^(unobservable|not collected on GCP): .{40,}"));
    }

    @Test
    void theCustomRoleListsExactlyTheDeclaredPermissions() {
        List<EvidenceCollector> collectors = provider().collectors(ProviderSettings.defaults(Clock.systemUTC()));
        String yaml = provider().permissions(collectors);

        TreeSet<String> declared = collectors.stream().flatMap(c -> c.reads().stream()).map(ReadAction::action)
                .collect(Collectors.toCollection(TreeSet::new));
        // the SCC pull runs under the same identity: its declared reads belong to the role too
        SccFindings.READS.forEach(r -> declared.add(r.action()));
        List<String> listed = yaml.lines().filter(l -> l.startsWith("- ")).map(l -> l.substring(2)).toList();
        assertThat(listed).containsExactlyElementsOf(declared)
                .contains("cloudasset.assets.searchAllResources", "logging.logEntries.list", "storage.buckets.getIamPolicy",
                        "securitycenter.findings.list");
        assertThat(yaml).startsWith("title: fixgate evidence reader\n").contains("\nstage: GA\n", "\nincludedPermissions:\n");
        var parsed = new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(yaml);
        assertThat(parsed).containsKeys("title", "description", "stage", "includedPermissions");
    }
}
