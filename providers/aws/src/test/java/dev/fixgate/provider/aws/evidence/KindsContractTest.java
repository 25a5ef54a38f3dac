package dev.fixgate.provider.aws.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.EvidenceProvider;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every kind EvidenceKinds registers for AWS has a collector, or a documented reason no API can observe it. */
class KindsContractTest {

    @Test
    void everyAwsKindIsAnsweredOrExplained() {
        List<EvidenceCollector> collectors = new AwsEvidenceProvider().collectors(ProviderSettings.defaults(Clock.systemUTC()));
        Set<String> answered = new HashSet<>();
        collectors.forEach(c -> answered.addAll(c.kinds()));
        for (EvidenceKinds.Spec spec : EvidenceKinds.all()) {
            if (!spec.clouds().contains(Cloud.AWS)) {
                continue;
            }
            assertThat(answered.contains(spec.name()) || new AwsEvidenceProvider().unobservable().containsKey(spec.name()))
                    .as(spec.name() + " has a collector or a reason").isTrue();
        }
        for (String kind : answered) {
            assertThat(EvidenceKinds.spec(kind)).as(kind + " is registered").isPresent();
            assertThat(EvidenceKinds.spec(kind).get().clouds()).as(kind).contains(Cloud.AWS);
        }
        assertThat(new AwsEvidenceProvider().unobservable().keySet()).doesNotContainAnyElementsOf(answered);
    }

    @Test
    void idsAreUniqueAndTheProviderIsRegistered() {
        List<EvidenceCollector> collectors = new AwsEvidenceProvider().collectors(ProviderSettings.defaults(Clock.systemUTC()));
        assertThat(collectors.stream().map(EvidenceCollector::id)).doesNotHaveDuplicates().allMatch(id -> id.startsWith("aws."));
        assertThat(collectors).allMatch(c -> c.cloud() == Cloud.AWS && !c.reads().isEmpty());
        assertThat(ServiceLoader.load(EvidenceProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(AwsEvidenceProvider.class);
    }
}
