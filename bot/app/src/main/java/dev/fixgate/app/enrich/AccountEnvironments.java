package dev.fixgate.app.enrich;

import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.Provenance;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment of every resource of an account, subscription or project the service configuration declares
 * ({@code clouds.<cloud>.accounts[].environment}): one account per environment is the usual layout, and the
 * operator's word for it is evidence. Reads nothing from the cloud.
 */
public final class AccountEnvironments implements EvidenceCollector {

    private final Cloud cloud;
    private final Map<String, String> environments;
    private final Clock clock;

    /** @param environments account id → one of {@link EvidenceKinds#ENVIRONMENTS} */
    public AccountEnvironments(Cloud cloud, Map<String, String> environments, Clock clock) {
        this.cloud = cloud;
        this.environments = Map.copyOf(environments);
        this.clock = clock;
    }

    @Override
    public String id() {
        return cloud.id() + ".config.environment";
    }

    @Override
    public Cloud cloud() {
        return cloud;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(EvidenceKinds.ENVIRONMENT);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of();
    }

    @Override
    public boolean supports(CloudResource resource) {
        return resource.cloud() == cloud && environments.containsKey(resource.account());
    }

    @Override
    public List<Observed> collect(EvidenceRequest request) {
        String account = request.resource().account();
        return List.of(Observed.of(EvidenceKinds.ENVIRONMENT, environments.get(account),
                new Provenance("fixgate.yml clouds." + cloud.id() + ".accounts", account, "", "", clock.instant())));
    }
}
