package dev.fixgate.app.pipeline;

import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.spi.finding.InitiativeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evolving RCI: every {@code evidence.reassess_every_minutes}, each initiative with an open remediation is
 * remediated again — its evidence read again once the stored answers expired, its RCI and blast radius re-assessed
 * and the gate re-run — so its pull request follows the evidence: a RISKY fix whose evidence now supports SAFE
 * proceeds under the repository's mode, and one whose evidence turned UNSAFE is closed and routed to its owners.
 *
 * <p>One job per period, whichever replica queues it first: the next run is queued under a key naming its slot
 * ({@code fixgate.reassess@<epoch second>}), so replicas and restarts agree on one job per slot.
 */
public final class ReassessJobHandler implements JobHandler {

    public static final String KIND = "fixgate.reassess";
    private static final Logger LOG = LoggerFactory.getLogger(ReassessJobHandler.class);

    private final RemediationStore remediations;
    private final InitiativeStore initiatives;
    private final JobQueue queue;
    private final Duration every;
    private final Clock clock;
    private final Runnable queued;

    /** @param queued told after remediation jobs were queued (the service wakes its workers) */
    public ReassessJobHandler(RemediationStore remediations, InitiativeStore initiatives, JobQueue queue, Duration every,
                              Clock clock, Runnable queued) {
        this.remediations = Objects.requireNonNull(remediations, "remediations");
        this.initiatives = Objects.requireNonNull(initiatives, "initiatives");
        this.queue = Objects.requireNonNull(queue, "queue");
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("the re-assessment period must be positive");
        }
        this.every = every;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queued = Objects.requireNonNull(queued, "queued");
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(JobQueue.Job job) {
        Instant now = clock.instant();
        int n = reassessNow(now);
        LOG.atInfo().setMessage("re-assessing open remediations").addKeyValue("initiatives", n).log();
        schedule(queue, every, now);
    }

    /** Queues the remediation of every initiative with an open remediation; returns how many. */
    public int reassessNow(Instant now) {
        Set<InitiativeId> ids = new LinkedHashSet<>();
        remediations.open().forEach(r -> ids.add(r.initiative()));
        ids.forEach(id -> RemediateJobHandler.enqueue(queue, initiatives, id, now));
        if (!ids.isEmpty()) {
            queued.run();
        }
        return ids.size();
    }

    /** Queues the run of the next slot after {@code now}, unless it is queued already; returns when it runs. */
    public static Instant schedule(JobQueue queue, Duration every, Instant now) {
        long period = Math.max(1, every.toSeconds());
        long slot = (Math.floorDiv(now.getEpochSecond(), period) + 1) * period;
        Instant at = Instant.ofEpochSecond(slot);
        queue.enqueue(KIND, "{}", Optional.of(KIND + "@" + slot), 3, at);
        return at;
    }
}
