package dev.fixgate.provider.azure;

import dev.fixgate.provider.common.evidence.Answers;
import dev.fixgate.provider.common.evidence.CallBudget;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.Provenance;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every Azure collector does around its reads: parse the ARM id (never trusting the resource's type), one
 * budget per resource, one answer per requested kind, and any failure — including a bug — an unavailable answer
 * rather than an exception that would stop the worker.
 */
abstract class AzureCollector implements EvidenceCollector {

    final AzureClients clients;
    final ProviderSettings settings;
    private final String id;
    private final Set<String> kinds;
    private final List<ReadAction> reads;
    private final List<String> types;

    AzureCollector(String id, Set<String> kinds, List<ReadAction> reads, List<String> types, AzureClients clients,
                   ProviderSettings settings) {
        this.id = id;
        this.kinds = Set.copyOf(kinds);
        this.reads = List.copyOf(reads);
        this.types = List.copyOf(types);
        this.clients = clients;
        this.settings = settings;
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

    @Override
    public String id() {
        return id;
    }

    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    public Set<String> kinds() {
        return kinds;
    }

    @Override
    public List<ReadAction> reads() {
        return reads;
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
    public List<Observed> collect(EvidenceRequest request) {
        Answers answers = new Answers(request, kinds);
        Instant at = settings.clock().instant();
        ArmId arm;
        try {
            arm = ArmId.parse(request.resource().id());
        } catch (IllegalArgumentException e) {
            answers.rest(e.getMessage(), new Provenance(id, request.resource().account(), "", request.resource().region(), at));
            return answers.list();
        }
        if (types.stream().noneMatch(arm::within)) {
            answers.rest(id + " does not read " + arm.type(), new Provenance(id, arm.subscription(), "", request.resource().region(), at));
            return answers.list();
        }
        Ctx ctx = new Ctx(arm, request, CallBudget.of(settings.budget()), clients.forSubscription(arm.subscription()),
                answers, request.resource().region(), at);
        try {
            answer(ctx);
        } catch (CallFailedException e) {
            answers.rest(e.reason(), ctx.provenance(e.read()));
        } catch (RuntimeException e) {
            // A bug or an SDK surprise: evidence missing, never a crashed worker. The class says what went wrong
            // without echoing anything the SDK may have put in the message.
            answers.rest("internal error in " + id + ": " + e.getClass().getSimpleName(),
                    new Provenance(id, arm.subscription(), "", ctx.region(), at));
        }
        answers.rest("not observed by " + id, new Provenance(id, arm.subscription(), "", ctx.region(), at));
        return answers.list();
    }
}
