package dev.fixgate.app.jobs;

import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.JobQueue.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of workers that run the durable {@link JobQueue}: each claims a due job, runs the {@link JobHandler}
 * registered for its kind, and completes, retries or dead-letters it. One more thread keeps the leases of running
 * jobs fresh (a heartbeat), requeues jobs whose worker stopped heart-beating (a crashed or killed process: a restart
 * mid-job loses nothing), purges old DONE jobs and refreshes the queue-depth gauges.
 *
 * <p>Workers cannot die: whatever a handler throws — an exception, an {@code OutOfMemoryError} from one hostile
 * input, a {@code StackOverflowError} — fails that attempt of that job (DEAD after its last one, with the reason),
 * never the worker. Each attempt has a time budget ({@link WorkerSettings#jobTimeout()}): past it the handler is
 * interrupted and the attempt fails. A supervisor replaces a worker whose thread died or whose handler ignored that
 * interruption, and {@link #live()} turns false when the pool cannot be kept running, so an orchestrator restarts
 * the process.
 *
 * <pre>{@code
 * JobWorkers workers = JobWorkers.builder(new JobQueue(db))
 *         .register(new WebhookJobHandler(...))      // one handler per job kind
 *         .metrics(registry)
 *         .build()
 *         .start();
 * ...
 * workers.close();                                  // graceful: in-flight jobs finish or go back to the queue
 * }</pre>
 *
 * Metrics: {@code fixgate_jobs_processed_total{kind}} (completed), {@code fixgate_jobs_failed_total{kind}} (failed
 * attempts, including last ones), {@code fixgate_jobs_dead_total{kind}} (parked as DEAD),
 * {@code fixgate_job_duration_seconds{kind}}, {@code fixgate_jobs_queue_depth{status}} (queued, running, dead).
 */
public final class JobWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);
    private static final Duration MAX_IDLE_BACKOFF = Duration.ofSeconds(30);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    private static final Duration UPKEEP_AT_MOST_EVERY = Duration.ofSeconds(10);

    private final JobQueue queue;
    private final Map<String, JobHandler> handlers;
    private final WorkerSettings settings;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final String workerId;
    private final Map<Status, AtomicLong> depth = new EnumMap<>(Status.class);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /** What the lease keeper and the supervisor wait on: not {@link #wake()}, which a busy intake calls per delivery. */
    private final Condition upkeep = lock.newCondition();
    /** The worker slots; the supervisor puts a new worker in a slot whose worker died or was abandoned. */
    private final Worker[] slots;
    private volatile Thread leaseThread;
    private final JobSupervisor supervisor;
    /** Serialises interrupting handlers with a worker leaving its handler, so no interrupt reaches a database call. */
    private final ReentrantLock interrupts = new ReentrantLock();
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile Instant lastPurge = Instant.EPOCH;
    /** The database's clock minus this process's, measured by the lease keeper: leases are timed by the database. */
    private volatile Duration databaseOffset = Duration.ZERO;

    /** One worker: the thread of a slot, and the job it runs now. */
    final class Worker {
        final int slot;
        final Thread thread;
        volatile Running running;
        /** Replaced by the supervisor: finish quietly, record nothing, exit. */
        volatile boolean retired;

        Worker(int slot) {
            this.slot = slot;
            this.thread = Thread.ofPlatform().daemon().name("fixgate-job-" + slot).unstarted(() -> workLoop(this));
        }
    }

    /** A job inside its handler. */
    static final class Running {
        final Job job;
        final Thread thread;
        final long startedNanos = System.nanoTime();
        volatile boolean timedOut;

        Running(Job job, Thread thread) {
            this.job = job;
            this.thread = thread;
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
    }

    public static JobWorkersBuilder builder(JobQueue queue) {
        return new JobWorkersBuilder(queue);
    }

    JobWorkers(JobWorkersBuilder b) {
        this.queue = b.queue;
        this.handlers = Map.copyOf(b.handlers);
        this.settings = b.settings;
        this.clock = b.clock;
        this.metrics = b.metrics;
        this.workerId = b.workerId;
        this.slots = new Worker[settings.workers()];
        for (Status s : List.of(Status.QUEUED, Status.RUNNING, Status.DEAD)) {
            AtomicLong value = new AtomicLong();
            depth.put(s, value);
            Gauge.builder("fixgate_jobs_queue_depth", value, AtomicLong::doubleValue)
                    .description("jobs in the durable queue, by status (refreshed by the workers)")
                    .tag("status", s.name().toLowerCase(Locale.ROOT)).register(metrics);
        }
        this.supervisor = new JobSupervisor(this, settings, metrics);
    }

    /** Starts the workers, the lease keeper and the supervisor; returns {@code this}. */
    public JobWorkers start() {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("already started");
            }
            started = true;
            for (int i = 0; i < slots.length; i++) {
                startWorker(i);
            }
            startLeaseKeeper();
            supervisor.start();
        } finally {
            lock.unlock();
        }
        LOG.atInfo().setMessage("job workers started").addKeyValue("workers", settings.workers())
                .addKeyValue("worker_id", workerId).addKeyValue("kinds", new TreeSet<>(handlers.keySet()))
                .addKeyValue("job_timeout", settings.jobTimeout()).log();
        return this;
    }

    /** True while started, not shutting down, and every worker thread is alive (readiness). */
    public boolean running() {
        return started && !stopping && threads().stream().allMatch(Thread::isAlive);
    }

    /**
     * Liveness: false when the workers cannot run and restarting the process is the cure — the supervisor itself
     * died, workers keep dying faster than it can replace them, or more handler threads ignored the end of their
     * budget than there are workers (they still take CPU and memory). True before start and while stopping.
     */
    public boolean live() {
        if (!started || stopping) {
            return true;
        }
        return supervisor.live();
    }

    /** Puts a new worker in the slot and starts it (at start, and when the supervisor replaces one). */
    void startWorker(int slot) {
        Worker fresh = new Worker(slot);
        slots[slot] = fresh;
        fresh.thread.start();
    }

    void startLeaseKeeper() {
        leaseThread = platform("fixgate-job-leases", this::leaseLoop);
    }

    /** True when the lease keeper's thread died while the pool still runs. */
    boolean leaseKeeperDied() {
        Thread leases = leaseThread;
        return leases != null && !leases.isAlive() && !stopping;
    }

    Worker[] slots() {
        return slots;
    }

    ReentrantLock interrupts() {
        return interrupts;
    }

    boolean stopping() {
        return stopping;
    }

    /** Records the attempt of a handler the supervisor gave up on as failed; empty when the lease was lost. */
    Optional<Status> failAbandoned(Job job, String error) {
        counter("fixgate_jobs_failed", "failed job attempts", job.kind()).increment();
        return queue.fail(job.id(), workerId, error, settings.backoff().delay(job.attempts()), clock.instant());
    }

    private List<Thread> threads() {
        List<Thread> out = new ArrayList<>();
        for (Worker w : slots) {
            if (w != null) {
                out.add(w.thread);
            }
        }
        if (leaseThread != null) {
            out.add(leaseThread);
        }
        return out;
    }

    /** The {@code locked_by} value of the jobs this pool runs. */
    public String workerId() {
        return workerId;
    }

    /** The job kinds with a handler. */
    public Set<String> kinds() {
        return handlers.keySet();
    }

    /** Tells idle workers to look for work now (after something was queued), instead of at their next poll. */
    public void wake() {
        lock.lock();
        try {
            work.signalAll();
            if (stopping) {
                upkeep.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops claiming, lets running jobs finish for {@link WorkerSettings#shutdownGrace()}, then interrupts them; a job
     * ended by that interruption goes back to the queue without using an attempt. A handler that ignores the
     * interruption keeps its job RUNNING; the lease brings it back after this process is gone.
     */
    @Override
    public void close() {
        if (!started || stopping) {
            return;
        }
        stopping = true;
        wake();
        join(supervisor.thread(), TimeUnit.SECONDS.toNanos(5));
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        for (Thread t : threads()) {
            join(t, Math.max(0, deadline - System.nanoTime()));
        }
        interrupts.lock();
        try {
            for (Worker w : slots) {
                Running r = w == null ? null : w.running;
                if (r != null) {
                    r.thread.interrupt();
                }
            }
        } finally {
            interrupts.unlock();
        }
        for (Thread t : threads()) {
            join(t, TimeUnit.SECONDS.toNanos(5));
        }
        long stuck = threads().stream().filter(Thread::isAlive).count();
        LOG.atInfo().setMessage("job workers stopped").addKeyValue("still_running", stuck).log();
    }

    private static void join(Thread t, long nanos) {
        if (t == null) {
            return;
        }
        try {
            t.join(Duration.ofNanos(Math.max(1, nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void workLoop(Worker self) {
        int idleFailures = 0;
        while (!stopping && !self.retired) {
            try {
                Optional<Job> job;
                try {
                    Instant now = clock.instant();
                    job = queue.claim(workerId, now, now.plus(databaseOffset));
                    idleFailures = 0;
                } catch (RuntimeException e) {
                    // The database is unreachable: say so once, then wait longer each time until it is back.
                    if (idleFailures++ == 0) {
                        LOG.atWarn().setMessage("cannot claim jobs; retrying").setCause(e).log();
                    }
                    pause(longer(settings.pollInterval(), idleFailures));
                    continue;
                }
                if (job.isEmpty()) {
                    pause(settings.pollInterval());
                } else {
                    run(self, job.get());
                }
            } catch (Throwable t) {
                // Nothing ends a worker but shutdown: not an error of ours, not an OutOfMemoryError while claiming.
                // The job it held (if any) comes back after its lease.
                LOG.atError().setMessage("job worker recovered from an error").addKeyValue("worker", self.slot)
                        .addKeyValue("error", describe(t)).log();
                pause(settings.pollInterval());
            }
        }
    }

    private static Duration longer(Duration d, int failures) {
        Duration longer = d.multipliedBy(1L << Math.min(failures, 10));
        return longer.compareTo(MAX_IDLE_BACKOFF) > 0 ? MAX_IDLE_BACKOFF : longer;
    }

    void pause(Duration d) {
        pause(d, work);
    }

    /** The lease keeper's and the supervisor's wait: woken by closing, not by {@link #wake()}. */
    void pauseUpkeep(Duration d) {
        pause(d, upkeep);
    }

    private void pause(Duration d, Condition until) {
        lock.lock();
        try {
            if (!stopping) {
                until.await(d.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            // Not expected (only handlers are interrupted); the loop checks `stopping`.
        } finally {
            lock.unlock();
        }
    }

    private void run(Worker self, Job job) {
        JobHandler handler = handlers.get(job.kind());
        if (handler == null) {
            String error = "no handler is registered for job kind '" + job.kind() + "' (known kinds: "
                    + new TreeSet<>(handlers.keySet()) + ")";
            if (queue.bury(job.id(), workerId, error, clock.instant())) {
                counter("fixgate_jobs_dead", "jobs parked as DEAD", job.kind()).increment();
            }
            LOG.atError().setMessage("job parked as DEAD: unknown kind").addKeyValue("job", job.id())
                    .addKeyValue("kind", job.kind()).log();
            return;
        }
        Timer.Sample sample = Timer.start(metrics);
        Throwable failure = null;
        Running running = new Running(job, Thread.currentThread());
        self.running = running;
        try {
            handler.handle(job);
        } catch (Throwable t) {
            // Everything, OutOfMemoryError and StackOverflowError included: one input's failure is its job's, and
            // the memory it took is free again once the handler's frames are gone.
            failure = t;
        }
        // Leave the handler under the lock close() and the supervisor interrupt with, so no interrupt can arrive
        // after this point: the database calls below must not see one (H2 closes its file when a read is interrupted).
        interrupts.lock();
        try {
            self.running = null;
        } finally {
            interrupts.unlock();
        }
        boolean interrupted = Thread.interrupted();
        if (self.retired) {
            // The supervisor gave up on this handler at the end of its budget and recorded the attempt as failed.
            supervisor.abandonedFinished(Thread.currentThread());
            LOG.atWarn().setMessage("an abandoned job handler finished at last").addKeyValue("job", job.id())
                    .addKeyValue("kind", job.kind()).addKeyValue("ran_for", running.elapsed()).log();
            return;
        }
        sample.stop(Timer.builder("fixgate_job_duration").description("time spent running jobs")
                .tag("kind", job.kind()).register(metrics));
        try {
            if (running.timedOut && (failure != null || interrupted)) {
                failed(job, new TimeBudgetExceeded(settings.jobTimeout(), failure));
            } else if (failure == null) {
                completed(job);
            } else if (stopping && (interrupted || causedByInterrupt(failure))) {
                queue.release(job.id(), workerId, clock.instant());
                LOG.atInfo().setMessage("job interrupted by shutdown; queued again").addKeyValue("job", job.id())
                        .addKeyValue("kind", job.kind()).log();
            } else {
                failed(job, failure);
            }
        } catch (RuntimeException e) {
            // The outcome could not be stored; the lease brings the job back, so it runs again (at least once).
            LOG.atError().setMessage("cannot record the outcome of a job; it will run again after its lease")
                    .addKeyValue("job", job.id()).addKeyValue("kind", job.kind()).setCause(e).log();
        }
    }

    /** An attempt that ran past {@link WorkerSettings#jobTimeout()}: the reason a job fails with. */
    static final class TimeBudgetExceeded extends Exception {
        private static final long serialVersionUID = 1L;

        TimeBudgetExceeded(Duration budget, Throwable cause) {
            super("exceeded its time budget of " + budget + " and was interrupted"
                    + (cause == null ? "" : " (" + describe(cause) + ")"));
        }
    }

    private void completed(Job job) {
        if (queue.complete(job.id(), workerId, clock.instant())) {
            counter("fixgate_jobs_processed", "jobs completed", job.kind()).increment();
        } else {
            LOG.atWarn().setMessage("job finished after its lease was lost; another attempt may run it again")
                    .addKeyValue("job", job.id()).addKeyValue("kind", job.kind()).log();
        }
    }

    private void failed(Job job, Throwable failure) {
        Instant now = clock.instant();
        String error = Redactor.redact(describe(failure));
        Optional<WaitUntil> waiting = find(failure, WaitUntil.class);
        if (waiting.isPresent()) {
            Instant until = waiting.get().notBefore().isAfter(now) ? waiting.get().notBefore() : now;
            if (queue.postpone(job.id(), workerId, error, until, now)) {
                LOG.atInfo().setMessage("job waits; the attempt is not counted").addKeyValue("job", job.id())
                        .addKeyValue("kind", job.kind()).addKeyValue("until", until).addKeyValue("reason", error).log();
            }
            return;
        }
        counter("fixgate_jobs_failed", "failed job attempts", job.kind()).increment();
        if (find(failure, PermanentJobFailure.class).isPresent()) {
            if (queue.bury(job.id(), workerId, error, now)) {
                counter("fixgate_jobs_dead", "jobs parked as DEAD", job.kind()).increment();
            }
            LOG.atError().setMessage("job failed permanently; parked as DEAD").addKeyValue("job", job.id())
                    .addKeyValue("kind", job.kind()).addKeyValue("error", error).log();
            return;
        }
        Duration delay = settings.backoff().delay(job.attempts());
        Optional<RetryAfter> asked = find(failure, RetryAfter.class);
        if (asked.isPresent()) {
            Duration until = Duration.between(now, asked.get().notBefore());
            delay = until.compareTo(delay) > 0 ? until : delay;
        }
        Optional<Status> next = queue.fail(job.id(), workerId, error, delay, now);
        // A VirtualMachineError's stack says where memory or stack ran out, not why: the message is the reason.
        Throwable logged = failure instanceof VirtualMachineError ? null : failure;
        if (next.isEmpty()) {
            LOG.atWarn().setMessage("job failed after its lease was lost").addKeyValue("job", job.id())
                    .addKeyValue("kind", job.kind()).log();
        } else if (next.get() == Status.DEAD) {
            counter("fixgate_jobs_dead", "jobs parked as DEAD", job.kind()).increment();
            LOG.atError().setMessage("job failed on its last attempt; parked as DEAD").addKeyValue("job", job.id())
                    .addKeyValue("kind", job.kind()).addKeyValue("attempts", job.attempts())
                    .addKeyValue("error", error).setCause(logged).log();
        } else {
            LOG.atWarn().setMessage("job failed; will retry").addKeyValue("job", job.id())
                    .addKeyValue("kind", job.kind()).addKeyValue("attempt", job.attempts())
                    .addKeyValue("max_attempts", job.maxAttempts()).addKeyValue("retry_in", delay)
                    .addKeyValue("error", error).log();
        }
    }

    /**
     * Workers, the lease keeper and the supervisor are platform threads: the OS time-slices them, so a handler stuck
     * in a CPU-bound loop (a parser fed something hostile) cannot starve the supervisor that has to stop it, as it
     * would on virtual threads, which only yield when they block. There are only a handful of them.
     */
    static Thread platform(String name, Runnable body) {
        return Thread.ofPlatform().daemon().name(name).start(body);
    }

    private void leaseLoop() {
        // A third of the lease keeps leases safe; at most 10 s keeps the queue-depth gauges current.
        Duration third = settings.lease().dividedBy(3);
        Duration every = third.compareTo(UPKEEP_AT_MOST_EVERY) < 0 ? third : UPKEEP_AT_MOST_EVERY;
        while (!stopping) {
            try {
                Instant now = clock.instant();
                // Leases are timed by the database's clock, which every replica shares, never by this host's.
                Instant databaseNow = queue.databaseNow();
                databaseOffset = Duration.between(clock.instant(), databaseNow);
                queue.heartbeat(workerId, databaseNow);
                int released = queue.releaseStale(settings.lease(), databaseNow);
                if (released > 0) {
                    LOG.atWarn().setMessage("took back jobs whose worker stopped heart-beating")
                            .addKeyValue("jobs", released).log();
                }
                if (Duration.between(lastPurge, now).compareTo(PURGE_EVERY) >= 0) {
                    queue.purgeDone(now.minus(settings.doneRetention()));
                    lastPurge = now;
                }
                Map<Status, Long> counts = queue.counts();
                depth.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
            } catch (Throwable e) {
                LOG.atWarn().setMessage("job lease upkeep failed; retrying").addKeyValue("error", describe(e)).log();
            }
            pauseUpkeep(every);
        }
    }

    private Counter counter(String name, String description, String kind) {
        return Counter.builder(name).description(description).tag("kind", kind).register(metrics);
    }

    private static boolean causedByInterrupt(Throwable t) {
        return find(t, InterruptedException.class).isPresent() || find(t, InterruptedIOException.class).isPresent()
                || find(t, ClosedByInterruptException.class).isPresent();
    }

    private static <T> Optional<T> find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
        }
        return Optional.empty();
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
