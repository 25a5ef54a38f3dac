package dev.fixgate.app.audit;

import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.store.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #KIND} job: anchors the audit log's head ({@link AuditAnchors}) and queues the next run. Runs are
 * slots on a fixed grid (multiples of the interval since the epoch), one job per slot by its dedupe key, so a
 * restart, a second process or a retried run never starts a second chain of anchors. An unchanged head writes
 * nothing, so running twice is harmless (jobs run at least once).
 */
public final class AuditAnchorJobHandler implements JobHandler {

    public static final String KIND = "fixgate.audit.anchor";
    private static final Logger LOG = LoggerFactory.getLogger(AuditAnchorJobHandler.class);

    private final AuditAnchors anchors;
    private final JobQueue queue;
    private final Duration interval;
    private final Clock clock;

    public AuditAnchorJobHandler(AuditAnchors anchors, JobQueue queue, Duration interval, Clock clock) {
        this.anchors = Objects.requireNonNull(anchors, "anchors");
        this.queue = Objects.requireNonNull(queue, "queue");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("the anchoring interval must be positive");
        }
        this.interval = interval;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Queues the run of the next slot after {@code now} (a no-op when it is queued already); returns its time. */
    public static Instant schedule(JobQueue queue, Duration interval, Instant now) {
        long step = interval.toMillis();
        Instant slot = Instant.ofEpochMilli((Math.floorDiv(now.toEpochMilli(), step) + 1) * step);
        queue.enqueue(KIND, "{}", Optional.of(KIND + "@" + slot), 5, slot);
        return slot;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(JobQueue.Job job) {
        // the next slot first: a failing anchor (the repository down) is retried, and the schedule goes on
        schedule(queue, interval, clock.instant());
        AuditAnchors.Outcome outcome = anchors.anchor();
        LOG.atInfo().setMessage("audit log anchored").addKeyValue("where", anchors.location())
                .addKeyValue("entry", outcome.stored().anchor().seq())
                .addKeyValue("commit", outcome.stored().commit())
                .addKeyValue("new", outcome instanceof AuditAnchors.Outcome.Anchored).log();
    }
}
