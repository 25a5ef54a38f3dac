package dev.fixgate.provider.common.evidence;

import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.Provenance;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What every cloud collector does around its reads: parse the resource's id (never trusting its type), refuse what
 * it does not read, one {@link CallBudget} per resource, one answer per requested kind it answers — and any failure,
 * a bug included, an unavailable answer rather than an exception that would stop the worker.
 *
 * @param <T> the parsed resource (an ARM id, a GCP resource name)
 */
public abstract class CollectorSkeleton<T> implements EvidenceCollector {

    private final String id;
    private final Cloud cloud;
    private final Set<String> kinds;
    private final List<ReadAction> reads;
    protected final ProviderSettings settings;

    protected CollectorSkeleton(String id, Cloud cloud, Set<String> kinds, List<ReadAction> reads, ProviderSettings settings) {
        this.id = id;
        this.cloud = cloud;
        this.kinds = Set.copyOf(kinds);
        this.reads = List.copyOf(reads);
        this.settings = settings;
    }

    /** The resource's id parsed; an {@link IllegalArgumentException} whose message names the id and the problem. */
    protected abstract T parse(dev.fixgate.spi.finding.CloudResource resource);

    /** Why this collector does not read {@code resource}; empty when it does. */
    protected abstract Optional<String> refuse(T resource);

    /** The account (subscription, project) of {@code resource}, for provenance. */
    protected abstract String account(T resource, EvidenceRequest request);

    /** The reads and the answers; a read that fails for good may be thrown: every unanswered kind gets its reason. */
    protected abstract void answer(T resource, EvidenceRequest request, Answers answers, CallBudget budget, Instant at)
            throws CallFailedException;

    /** Where a failed read was tried. */
    protected abstract Provenance provenance(T resource, EvidenceRequest request, ReadAction read, Instant at);

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Cloud cloud() {
        return cloud;
    }

    @Override
    public final Set<String> kinds() {
        return kinds;
    }

    @Override
    public final List<ReadAction> reads() {
        return reads;
    }

    @Override
    public final List<Observed> collect(EvidenceRequest request) {
        Answers answers = new Answers(request, kinds);
        Instant at = settings.clock().instant();
        var r = request.resource();
        T resource;
        try {
            resource = parse(r);
        } catch (IllegalArgumentException e) {
            answers.rest(e.getMessage(), new Provenance(id, r.account(), "", r.region(), at));
            return answers.list();
        }
        Provenance none = new Provenance(id, account(resource, request), "", r.region(), at);
        Optional<String> refused = refuse(resource);
        if (refused.isPresent()) {
            answers.rest(refused.get(), none);
            return answers.list();
        }
        try {
            answer(resource, request, answers, CallBudget.of(settings.budget()), at);
        } catch (CallFailedException e) {
            answers.rest(e.reason(), provenance(resource, request, e.read(), at));
        } catch (RuntimeException e) {
            // A bug or an SDK surprise: the class says what went wrong without echoing what the SDK put in its message.
            answers.rest("internal error in " + id + ": " + e.getClass().getSimpleName(), none);
        }
        answers.rest("not observed by " + id, none);
        return answers.list();
    }
}
