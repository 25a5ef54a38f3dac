package dev.fixgate.provider.gcp;

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

/** A GCP collector: resources by their full resource name (the type only for bare names), read per project. */
abstract class GcpCollector extends CollectorSkeleton<GcpResource> {

    final GcpClients clients;
    private final Set<GcpResource.Kind> resourceKinds;

    GcpCollector(String id, Set<String> kinds, List<ReadAction> reads, Set<GcpResource.Kind> resourceKinds,
                 GcpClients clients, ProviderSettings settings) {
        super(id, Cloud.GCP, kinds, reads, settings);
        this.resourceKinds = Set.copyOf(resourceKinds);
        this.clients = clients;
    }

    /** One collection: the parsed resource, the request, the budget, the project's clients, the answers. */
    record Ctx(GcpResource resource, EvidenceRequest request, CallBudget budget, GcpClients.PerProject sdk,
               Answers answers, Instant observedAt) {

        Instant from(Duration window) {
            return request.now().minus(window);
        }

        String project() {
            return resource.project();
        }

        String region() {
            return resource.location().isEmpty() ? request.resource().region() : resource.location();
        }

        Provenance provenance(ReadAction... used) {
            return new Provenance(Arrays.stream(used).map(ReadAction::action).distinct().collect(Collectors.joining(", ")),
                    resource.project(), sdk.role(), region(), observedAt);
        }

        void unavailable(CallFailedException e, String... kinds) {
            for (String k : kinds) {
                answers.unavailable(k, e.reason(), provenance(e.read()));
            }
        }
    }

    abstract void answer(Ctx ctx) throws CallFailedException;

    @Override
    public boolean supports(CloudResource resource) {
        return resource.cloud() == Cloud.GCP
                && GcpResource.tryParse(resource).map(r -> resourceKinds.contains(r.kind())).orElse(false);
    }

    /**
     * The resource name parsed; a bucket name carries no project (CAI names it {@code //storage.googleapis.com/b},
     * findings often {@code projects/_}), so without one in the finding the only configured project is taken.
     */
    @Override
    protected GcpResource parse(CloudResource resource) {
        GcpResource r = GcpResource.parse(resource);
        if (r.project().isBlank() && settings.accounts().size() == 1) {
            return new GcpResource(r.kind(), settings.accounts().getFirst().account(), r.location(), r.name());
        }
        return r;
    }

    @Override
    protected Optional<String> refuse(GcpResource r) {
        if (!resourceKinds.contains(r.kind())) {
            return Optional.of(id() + " does not read a " + r.kind());
        }
        return r.project().isBlank() ? Optional.of("the project of " + r.name() + " is unknown: the finding names none and"
                + " the settings name " + settings.accounts().size() + " projects, not one")
                : Optional.empty();
    }

    @Override
    protected String account(GcpResource r, EvidenceRequest request) {
        return r.project();
    }

    @Override
    protected void answer(GcpResource r, EvidenceRequest request, Answers answers, CallBudget budget, Instant at)
            throws CallFailedException {
        answer(new Ctx(r, request, budget, clients.forProject(r.project()), answers, at));
    }

    @Override
    protected Provenance provenance(GcpResource r, EvidenceRequest request, ReadAction read, Instant at) {
        return new Provenance(read.action(), r.project(), clients.role(r.project()),
                r.location().isEmpty() ? request.resource().region() : r.location(), at);
    }
}
