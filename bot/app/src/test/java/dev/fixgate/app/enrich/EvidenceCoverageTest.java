package dev.fixgate.app.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceProvider;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The catalog's contract with the clouds, across the providers on fixgate's class path: every evidence kind a
 * playbook's risk rules name is read by a collector of the playbook's cloud, or its provider says why no API can
 * observe it. A playbook added with a new kind fails here until its cloud can read it.
 */
class EvidenceCoverageTest {

    @Test
    void everyKindThePlaybooksNameHasACollectorOnItsCloudOrADocumentedReason() {
        Map<Cloud, EvidenceProvider> providers = Wiring.evidenceProviders();
        assertThat(providers).containsKeys(Cloud.AWS, Cloud.AZURE, Cloud.GCP);
        Set<String> missing = new TreeSet<>();
        for (Playbook p : PlaybookCatalog.builtIn().all()) {
            EvidenceProvider provider = providers.get(p.cloud());
            List<EvidenceCollector> collectors = provider.collectors(ProviderSettings.defaults(Clock.systemUTC()));
            Set<String> read = new LinkedHashSet<>();
            collectors.forEach(c -> read.addAll(c.kinds()));
            for (Playbook.EvidenceRule rule : p.risk().evidence()) {
                if (!read.contains(rule.kind()) && !provider.unobservable().containsKey(rule.kind())) {
                    missing.add(p.cloud().id() + " " + rule.kind() + " (" + p.id() + ")");
                }
            }
        }
        assertThat(missing).as("kinds no collector reads and no provider explains").isEmpty();
    }

    @Test
    void everyUnobservableKindSaysWhy() {
        Wiring.evidenceProviders().forEach((cloud, provider) -> provider.unobservable().forEach((kind, why) ->
                assertThat(why).as("%s %s", cloud, kind).hasSizeGreaterThan(20)));
    }
}
