package dev.fixgate.provider.gcp;

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
 * What every GCP collector does around its reads: parse the resource name (the type only for bare names), one budget
 * per resource, one answer per requested kind, any failure an unavailable answer rather than a crashed worker.
 */
abstract class GcpCollector implements EvidenceCollector {

    final GcpClients clients;
    final ProviderSettings settings;
    private final String id;
    private final Set<String> kinds;
    private final List<ReadAction> reads;
    private final Set<GcpResource.Kind> resourceKinds;

    GcpCollector(String id, Set<String> kinds, List<ReadAction> reads, Set<GcpResource.Kind> resourceKinds,
                 GcpClients clients, ProviderSettings settings) {
        this.id = id;
        this.kinds = Set.copyOf(kinds);
        this.reads = List.copyOf(reads);
        this.resourceKinds = Set.copyOf(resourceKinds);
        this.clients = clients;
        this.settings = settings;
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

        Provenance provenance(ReadAction... used) {
            return new Provenance(Arrays.stream(used).map(ReadAction::action).distinct().collect(Collectors.joining(", ")),
                    resource.project(), sdk.role(), resource.location().isEmpty() ? request.resource().region()
                    : resource.location(), observedAt);
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
        return Cloud.GCP;
    }

    @Override
    public Set<String> kinds() {
        return kinds;
    }

    @Override
    public List<ReadAction> reads() {
        return reads;
    }

    @Override
    public boolean supports(CloudResource resource) {
        return resource.cloud() == Cloud.GCP
                && GcpResource.tryParse(resource).map(r -> resourceKinds.contains(r.kind())).orElse(false);
    }

    @Override
    public List<Observed> collect(EvidenceRequest request) {
        Answers answers = new Answers(request, kinds);
        Instant at = settings.clock().instant();
        CloudResource r = request.resource();
        GcpResource resource;
        try {
            resource = GcpResource.parse(r);
        } catch (IllegalArgumentException e) {
            answers.rest(e.getMessage(), new Provenance(id, r.account(), "", r.region(), at));
            return answers.list();
        }
        Provenance none = new Provenance(id, resource.project(), "", r.region(), at);
        if (!resourceKinds.contains(resource.kind())) {
            answers.rest(id + " does not read a " + resource.kind(), none);
            return answers.list();
        }
        if (resource.project().isBlank()) {
            answers.rest("the project of " + r.id() + " is unknown: the finding names none", none);
            return answers.list();
        }
        Ctx ctx = new Ctx(resource, request, CallBudget.of(settings.budget()), clients.forProject(resource.project()),
                answers, at);
        try {
            answer(ctx);
        } catch (CallFailedException e) {
            answers.rest(e.reason(), ctx.provenance(e.read()));
        } catch (RuntimeException e) {
            // A bug or a client surprise: evidence missing, never a crashed worker; the class, not the message.
            answers.rest("internal error in " + id + ": " + e.getClass().getSimpleName(), none);
        }
        answers.rest("not observed by " + id, none);
        return answers.list();
    }
}
