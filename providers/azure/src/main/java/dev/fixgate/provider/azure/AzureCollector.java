package dev.fixgate.provider.azure;

import dev.fixgate.provider.common.evidence.Answers;
import dev.fixgate.provider.common.evidence.CallBudget;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.provider.common.evidence.CollectorSkeleton;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.Provenance;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** An Azure collector: resources by their ARM id, read with the subscription's SDK clients. */
abstract class AzureCollector extends CollectorSkeleton<ArmId> {

    final AzureClients clients;
    private final List<String> types;

    AzureCollector(String id, Set<String> kinds, List<ReadAction> reads, List<String> types, AzureClients clients,
                   ProviderSettings settings) {
        super(id, Cloud.AZURE, kinds, reads, settings);
        this.types = List.copyOf(types);
        this.clients = clients;
    }

    /** One collection: the parsed id, the request, the budget, the subscription's clients, the answers. */
    record Ctx(ArmId id, EvidenceRequest request, CallBudget budget, AzureClients.PerSubscription sdk, Answers answers,
               String region, Instant observedAt) {

        Instant from(Duration window) {
            return request.now().minus(window);
        }

        Provenance provenance(ReadAction... used) {
            return new Provenance(Arrays.stream(used).map(ReadAction::action).distinct().collect(Collectors.joining(", ")),
                    id.subscription(), sdk.role(), region, observedAt);
        }

        void unavailable(CallFailedException e, String... kinds) {
            for (String k : kinds) {
                answers.unavailable(k, e.reason(), provenance(e.read()));
            }
        }
    }

    abstract void answer(Ctx ctx) throws CallFailedException;

    /** The subscriptions the settings name, for the role's assignable scopes. */
    List<String> subscriptions() {
        return settings.accounts().stream().map(ProviderSettings.AccountAccess::account).toList();
    }

    /** The resource types (lower case, {@code namespace/type}) whose ids, or whose children's ids, it reads. */
    List<String> types() {
        return types;
    }

    @Override
    public boolean supports(CloudResource resource) {
        return resource.cloud() == Cloud.AZURE
                && ArmId.tryParse(resource.id()).map(a -> types.stream().anyMatch(a::within)).orElse(false);
    }

    @Override
    protected ArmId parse(CloudResource resource) {
        return ArmId.parse(resource.id());
    }

    @Override
    protected Optional<String> refuse(ArmId id) {
        return types.stream().anyMatch(id::within) ? Optional.empty() : Optional.of(id() + " does not read " + id.type());
    }

    @Override
    protected String account(ArmId id, EvidenceRequest request) {
        return id.subscription();
    }

    @Override
    protected void answer(ArmId id, EvidenceRequest request, Answers answers, CallBudget budget, Instant at)
            throws CallFailedException {
        answer(new Ctx(id, request, budget, clients.forSubscription(id.subscription()), answers,
                request.resource().region(), at));
    }

    @Override
    protected Provenance provenance(ArmId id, EvidenceRequest request, ReadAction read, Instant at) {
        return new Provenance(read.action(), id.subscription(), clients.role(id.subscription()), request.resource().region(), at);
    }
}
