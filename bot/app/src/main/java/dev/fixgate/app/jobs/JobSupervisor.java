package dev.fixgate.app.jobs;

import dev.fixgate.app.store.JobQueue.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link JobWorkers} pool whole: a worker thread that died is replaced (it cannot, short of a bug, but a pool
 * that silently shrinks to nothing is how a service stops working), a handler past its time budget is interrupted,
 * and one that ignores that for {@link #ABANDON_AFTER} is given up on — its attempt is recorded as failed and a new
 * worker takes its slot. The lease keeper is restarted the same way. It also answers the pool's liveness.
 */
final class JobSupervisor {

    /** The pool's logger: the supervisor's messages have always been the pool's, and dashboards filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);

    /**
     * How long after its budget a handler that ignores the interruption keeps its worker before it is replaced (at
     * most; half the budget when that is shorter, but at least a second).
     */
    static final Duration ABANDON_AFTER = Duration.ofSeconds(30);
    /** How often the supervisor looks at the workers. */
    static final Duration SUPERVISE_EVERY = Duration.ofMillis(250);
    /** More worker restarts than this within {@link #RESTART_WINDOW} and the pool is not live any more. */
    static final int MAX_RESTARTS = 10;
    static final Duration RESTART_WINDOW = Duration.ofMinutes(1);

    private final JobWorkers pool;
    private final WorkerSettings settings;
    /** Handler threads given up on: they ignored the interruption at the end of their budget and still run. */
    private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();
    private final Deque<Long> restarts = new ConcurrentLinkedDeque<>();
    private volatile Thread thread;

    JobSupervisor(JobWorkers pool, WorkerSettings settings, MeterRegistry metrics) {
        this.pool = pool;
        this.settings = settings;
        Gauge.builder("fixgate_job_workers_abandoned", abandoned, Set::size)
                .description("handler threads that ignored the interruption at the end of their time budget").register(metrics);
    }

    void start() {
        thread = JobWorkers.platform("fixgate-job-supervisor", this::superviseLoop);
    }

    /** The supervisor's thread (null before start). */
    Thread thread() {
        return thread;
    }

    /**
     * False when the workers cannot run: the supervisor itself died, workers keep dying faster than it can replace
     * them, or more handler threads ignored the end of their budget than there are workers.
     */
    boolean live() {
        Thread supervisor = thread;
        return supervisor != null && supervisor.isAlive() && recentRestarts() <= MAX_RESTARTS
                && abandoned.size() <= settings.workers();
    }

    /** An abandoned handler finished at last: its thread no longer counts against liveness. */
    void abandonedFinished(Thread handler) {
        abandoned.remove(handler);
    }

    private void superviseLoop() {
        while (!pool.stopping()) {
            try {
                supervise();
            } catch (Throwable t) {
                LOG.atError().setMessage("job supervisor recovered from an error")
                        .addKeyValue("error", JobWorkers.describe(t)).log();
            }
            pool.pauseUpkeep(SUPERVISE_EVERY);
        }
    }

    private void supervise() {
        JobWorkers.Worker[] slots = pool.slots();
        for (int i = 0; i < slots.length; i++) {
            JobWorkers.Worker w = slots[i];
            JobWorkers.Running r = w.running;
            if (r != null && !r.timedOut && r.elapsed().compareTo(settings.jobTimeout()) > 0) {
                pool.interrupts().lock();
                try {
                    if (w.running == r) {
                        r.timedOut = true;
                        r.thread.interrupt();
                    }
                } finally {
                    pool.interrupts().unlock();
                }
                LOG.atWarn().setMessage("job exceeded its time budget; interrupting it").addKeyValue("job", r.job.id())
                        .addKeyValue("kind", r.job.kind()).addKeyValue("budget", settings.jobTimeout()).log();
            } else if (r != null && r.timedOut
                    && r.elapsed().compareTo(settings.jobTimeout().plus(abandonAfter())) > 0 && w.running == r) {
                w.retired = true;
                abandoned.add(r.thread);
                String error = "exceeded its time budget of " + settings.jobTimeout()
                        + " and did not stop when interrupted; its thread was abandoned";
                Optional<Status> next = pool.failAbandoned(r.job, error);
                LOG.atError().setMessage("job handler abandoned; its worker is replaced").addKeyValue("job", r.job.id())
                        .addKeyValue("kind", r.job.kind()).addKeyValue("next", next.map(Status::name).orElse("lease lost"))
                        .log();
                replace(i, "its handler was abandoned");
            } else if (!w.thread.isAlive() && !w.retired) {
                replace(i, "its thread died");
            }
        }
        if (pool.leaseKeeperDied()) {
            restarts.add(System.nanoTime());
            pool.startLeaseKeeper();
            LOG.atError().setMessage("job lease keeper restarted").log();
        }
    }

    /** How long a handler that ignores the interruption at the end of its budget keeps its worker. */
    private Duration abandonAfter() {
        Duration half = settings.jobTimeout().dividedBy(2);
        return half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : half.compareTo(ABANDON_AFTER) > 0 ? ABANDON_AFTER : half;
    }

    private void replace(int slot, String why) {
        restarts.add(System.nanoTime());
        pool.startWorker(slot);
        LOG.atError().setMessage("job worker replaced").addKeyValue("worker", slot).addKeyValue("reason", why).log();
    }

    private int recentRestarts() {
        long since = System.nanoTime() - RESTART_WINDOW.toNanos();
        while (!restarts.isEmpty() && restarts.peekFirst() != null && restarts.peekFirst() - since < 0) {
            restarts.pollFirst();
        }
        return restarts.size();
    }
}
