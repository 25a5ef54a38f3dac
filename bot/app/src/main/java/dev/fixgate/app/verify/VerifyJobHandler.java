package dev.fixgate.app.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerifyStore;
import dev.fixgate.spi.finding.InitiativeId;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The verify stage's job ({@value #KIND}). Payload {@code {"remediation": id}}: one run of {@link Verifier} for a
 * merged fix, then the next run queued for when it is due (the deploy delay, a recheck, the deadline) unless the fix
 * is verified or escalated. Payload {@code {"initiative": id}}: the initiative changed (its remediation job ran) —
 * its fixes under verification are run now, and recurrences of verified fixes in its repositories are escalated
 * ({@link Recurrences}).
 *
 * <p>Each queued run has a dedupe key naming its remediation and its instant (or what triggered it), so replicas,
 * redeliveries and retries agree on one job per slot; a run repeated anyway says nothing twice ({@link Verifier}).
 */
public final class VerifyJobHandler implements JobHandler {

    public static final String KIND = "fixgate.verify";

    private final Verifier verifier;
    private final Recurrences recurrences;
    private final VerifyStore store;
    private final RemediationStore remediations;
    private final JobQueue queue;
    private final Runnable queued;

    /** @param queued told after a run is queued to be due now (the service wakes its workers) */
    public VerifyJobHandler(Verifier verifier, Recurrences recurrences, VerifyStore store,
                            RemediationStore remediations, JobQueue queue, Runnable queued) {
        this.remediations = Objects.requireNonNull(remediations, "remediations");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.recurrences = Objects.requireNonNull(recurrences, "recurrences");
        this.store = Objects.requireNonNull(store, "store");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.queued = Objects.requireNonNull(queued, "queued");
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(JobQueue.Job job) throws Exception {
        JsonNode p;
        try {
            p = Json.mapper().readTree(job.payload());
        } catch (IOException e) {
            throw new PermanentJobFailure("payload is not JSON: " + e.getMessage(), e);
        }
        if (p.path("remediation").canConvertToLong() && p.path("remediation").asLong() > 0) {
            long id = p.path("remediation").asLong();
            if (store.find(id).isEmpty()) {
                throw new PermanentJobFailure("remediation " + id + " is not under verification (at /remediation)");
            }
            Verifier.Result r = verifier.run(id);
            r.next().ifPresent(at -> enqueue(queue, id, at, "at"));
        } else if (p.path("initiative").isTextual() && !p.path("initiative").asText().isBlank()) {
            InitiativeId initiative = new InitiativeId(p.path("initiative").asText());
            boolean any = false;
            for (RemediationStore.Remediation r : remediations.forInitiative(initiative)) {
                if (store.find(r.id()).filter(t -> t.state() != VerifyStore.State.VERIFIED).isPresent()) {
                    enqueue(queue, r.id(), job.createdAt(), "changed" + job.id());
                    any = true;
                }
            }
            if (any) {
                queued.run();
            }
            recurrences.escalate(initiative);
        } else {
            throw new PermanentJobFailure("payload names neither /remediation nor /initiative: " + job.payload());
        }
    }

    /** Queues a run of remediation {@code id}'s verification at {@code at}; {@code trigger} tells runs apart. */
    public static long enqueue(JobQueue queue, long id, Instant at, String trigger) {
        return queue.enqueue(KIND, Json.write(Map.of("remediation", id)),
                Optional.of(KIND + ":" + id + ":" + trigger + "@" + at.getEpochSecond()), 5, at);
    }

    /** Queues the check of {@code initiative} after its remediation job ran (at most one per initiative and second). */
    public static long enqueueInitiative(JobQueue queue, InitiativeId initiative, Instant now) {
        return queue.enqueue(KIND, Json.write(Map.of("initiative", initiative.value())),
                Optional.of(KIND + ":initiative:" + initiative.value() + "@" + now.toEpochMilli()), 3, now);
    }
}
