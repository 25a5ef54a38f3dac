package dev.fixgate.app.jobs;

import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.JobQueue.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
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
 * never the worker. Each attempt has a time budget ({@link Settings#jobTimeout()}): past it the handler is
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

    /**
     * @param workers       how many jobs run at once
     * @param pollInterval  how long an idle worker waits before looking again ({@link #wake()} cuts it short)
     * @param lease         how long a job may go without a heartbeat before another worker may take it over;
     *                      heartbeats run every third of it (at most every 10 s)
     * @param backoff       the delay before a failed job's next attempt
     * @param shutdownGrace how long {@link #close()} lets running jobs finish before interrupting them
     * @param doneRetention how long DONE jobs are kept (they hold whole webhook payloads)
     * @param jobTimeout    the time budget of one attempt: past it the handler is interrupted and the attempt fails
     *                      (a handler that ignores the interruption is abandoned after a further
     *                      {@link #ABANDON_AFTER} and its worker replaced)
     */
    public record Settings(int workers, Duration pollInterval, Duration lease, Backoff backoff, Duration shutdownGrace,
                           Duration doneRetention, Duration jobTimeout) {
        /** How long a job may go without a heartbeat before another worker, in any process, takes it back. */
        public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

        public Settings {
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(shutdownGrace, "shutdownGrace");
            Objects.requireNonNull(doneRetention, "doneRetention");
            Objects.requireNonNull(jobTimeout, "jobTimeout");
            if (jobTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("jobTimeout must be at least 100 ms");
            }
            if (workers < 1 || workers > 256) {
                throw new IllegalArgumentException("workers must be between 1 and 256");
            }
            if (lease.toMillis() < 300) {
                throw new IllegalArgumentException("lease must be at least 300 ms");
            }
        }

        /**
         * One-second polling, a 30-second lease (heart-beaten every 10 s, so a dead replica's jobs are taken back
         * within about 40 s), the standard backoff, 30 s to finish, DONE jobs kept 7 days, 15 minutes per attempt.
         */
        public static Settings defaults(int workers) {
            return new Settings(workers, Duration.ofSeconds(1), DEFAULT_LEASE, Backoff.standard(),
                    Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofMinutes(15));
        }

        public Settings withPollInterval(Duration d) {
            return new Settings(workers, d, lease, backoff, shutdownGrace, doneRetention, jobTimeout);
        }

        public Settings withLease(Duration d) {
            return new Settings(workers, pollInterval, d, backoff, shutdownGrace, doneRetention, jobTimeout);
        }

        public Settings withBackoff(Backoff b) {
            return new Settings(workers, pollInterval, lease, b, shutdownGrace, doneRetention, jobTimeout);
        }

        public Settings withShutdownGrace(Duration d) {
            return new Settings(workers, pollInterval, lease, backoff, d, doneRetention, jobTimeout);
        }

        public Settings withWorkers(int n) {
            return new Settings(n, pollInterval, lease, backoff, shutdownGrace, doneRetention, jobTimeout);
        }

        public Settings withJobTimeout(Duration d) {
            return new Settings(workers, pollInterval, lease, backoff, shutdownGrace, doneRetention, d);
        }
    }

    /** Collects the handlers and settings; handlers are registered here, by whoever owns the kind of work. */
    public static final class Builder {
        private final JobQueue queue;
        private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
        private Settings settings = Settings.defaults(2);
        private Clock clock = Clock.systemUTC();
        private MeterRegistry metrics = new SimpleMeterRegistry();
        private String workerId = defaultWorkerId();

        private Builder(JobQueue queue) {
            this.queue = Objects.requireNonNull(queue, "queue");
        }

        /** Registers the handler for {@code handler.kind()}; a kind has exactly one handler. */
        public Builder register(JobHandler handler) {
            String kind = Objects.requireNonNull(handler.kind(), "kind");
            if (kind.isBlank() || kind.length() > 64) {
                throw new IllegalArgumentException("a job kind is 1 to 64 characters: '" + kind + "'");
            }
            JobHandler before = handlers.putIfAbsent(kind, handler);
            if (before != null) {
                throw new IllegalArgumentException("job kind '" + kind + "' already has a handler: "
                        + before.getClass().getName());
            }
            return this;
        }

        public Builder settings(Settings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder metrics(MeterRegistry metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The name recorded as {@code locked_by} on the jobs this pool runs; unique per process by default. */
        public Builder workerId(String workerId) {
            if (workerId.isBlank() || workerId.length() > 128) {
                throw new IllegalArgumentException("a worker id is 1 to 128 characters");
            }
            this.workerId = workerId;
            return this;
        }

        public JobWorkers build() {
            return new JobWorkers(this);
        }
    }

    public static Builder builder(JobQueue queue) {
        return new Builder(queue);
    }

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

    private final JobQueue queue;
    private final Map<String, JobHandler> handlers;
    private final Settings settings;
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
    private volatile Thread supervisorThread;
    /** Serialises interrupting handlers with a worker leaving its handler, so no interrupt reaches a database call. */
    private final ReentrantLock interrupts = new ReentrantLock();
    /** Handler threads given up on: they ignored the interruption at the end of their budget and still run. */
    private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();
    private final java.util.Deque<Long> restarts = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile Instant lastPurge = Instant.EPOCH;
    /** The database's clock minus this process's, measured by the lease keeper: leases are timed by the database. */
    private volatile Duration databaseOffset = Duration.ZERO;

    /** One worker: the thread of a slot, and the job it runs now. */
    private final class Worker {
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
    private static final class Running {
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

    private JobWorkers(Builder b) {
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
        Gauge.builder("fixgate_job_workers_abandoned", abandoned, Set::size)
                .description("handler threads that ignored the interruption at the end of their time budget").register(metrics);
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
                slots[i] = new Worker(i);
                slots[i].thread.start();
            }
            leaseThread = platform("fixgate-job-leases", this::leaseLoop);
            supervisorThread = platform("fixgate-job-supervisor", this::superviseLoop);
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
        Thread supervisor = supervisorThread;
        return supervisor != null && supervisor.isAlive() && recentRestarts() <= MAX_RESTARTS
                && abandoned.size() <= settings.workers();
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
     * Stops claiming, lets running jobs finish for {@link Settings#shutdownGrace()}, then interrupts them; a job
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
        join(supervisorThread, TimeUnit.SECONDS.toNanos(5));
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

    private void pause(Duration d) {
        pause(d, work);
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
            abandoned.remove(Thread.currentThread());
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

    /** An attempt that ran past {@link Settings#jobTimeout()}: the reason a job fails with. */
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
     * Keeps the pool whole: a worker thread that died is replaced (it cannot, short of a bug, but a pool that
     * silently shrinks to nothing is how a service stops working), a handler past its time budget is interrupted,
     * and one that ignores that for {@link #ABANDON_AFTER} is given up on — its attempt is recorded as failed and a
     * new worker takes its slot. The lease keeper is restarted the same way.
     */
    private void superviseLoop() {
        while (!stopping) {
            try {
                supervise();
            } catch (Throwable t) {
                LOG.atError().setMessage("job supervisor recovered from an error").addKeyValue("error", describe(t)).log();
            }
            pause(SUPERVISE_EVERY, upkeep);
        }
    }

    private void supervise() {
        for (int i = 0; i < slots.length; i++) {
            Worker w = slots[i];
            Running r = w.running;
            if (r != null && !r.timedOut && r.elapsed().compareTo(settings.jobTimeout()) > 0) {
                interrupts.lock();
                try {
                    if (w.running == r) {
                        r.timedOut = true;
                        r.thread.interrupt();
                    }
                } finally {
                    interrupts.unlock();
                }
                LOG.atWarn().setMessage("job exceeded its time budget; interrupting it").addKeyValue("job", r.job.id())
                        .addKeyValue("kind", r.job.kind()).addKeyValue("budget", settings.jobTimeout()).log();
            } else if (r != null && r.timedOut
                    && r.elapsed().compareTo(settings.jobTimeout().plus(abandonAfter())) > 0 && w.running == r) {
                w.retired = true;
                abandoned.add(r.thread);
                String error = "exceeded its time budget of " + settings.jobTimeout()
                        + " and did not stop when interrupted; its thread was abandoned";
                counter("fixgate_jobs_failed", "failed job attempts", r.job.kind()).increment();
                Optional<Status> next = queue.fail(r.job.id(), workerId, error,
                        settings.backoff().delay(r.job.attempts()), clock.instant());
                LOG.atError().setMessage("job handler abandoned; its worker is replaced").addKeyValue("job", r.job.id())
                        .addKeyValue("kind", r.job.kind()).addKeyValue("next", next.map(Status::name).orElse("lease lost"))
                        .log();
                replace(i, "its handler was abandoned");
            } else if (!w.thread.isAlive() && !w.retired) {
                replace(i, "its thread died");
            }
        }
        Thread leases = leaseThread;
        if (leases != null && !leases.isAlive() && !stopping) {
            restarts.add(System.nanoTime());
            leaseThread = platform("fixgate-job-leases", this::leaseLoop);
            LOG.atError().setMessage("job lease keeper restarted").log();
        }
    }

    /**
     * Workers, the lease keeper and the supervisor are platform threads: the OS time-slices them, so a handler stuck
     * in a CPU-bound loop (a parser fed something hostile) cannot starve the supervisor that has to stop it, as it
     * would on virtual threads, which only yield when they block. There are only a handful of them.
     */
    private static Thread platform(String name, Runnable body) {
        return Thread.ofPlatform().daemon().name(name).start(body);
    }

    /** How long a handler that ignores the interruption at the end of its budget keeps its worker. */
    private Duration abandonAfter() {
        Duration half = settings.jobTimeout().dividedBy(2);
        return half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : half.compareTo(ABANDON_AFTER) > 0 ? ABANDON_AFTER : half;
    }

    private void replace(int slot, String why) {
        restarts.add(System.nanoTime());
        Worker fresh = new Worker(slot);
        slots[slot] = fresh;
        fresh.thread.start();
        LOG.atError().setMessage("job worker replaced").addKeyValue("worker", slot).addKeyValue("reason", why).log();
    }

    private int recentRestarts() {
        long since = System.nanoTime() - RESTART_WINDOW.toNanos();
        while (!restarts.isEmpty() && restarts.peekFirst() != null && restarts.peekFirst() - since < 0) {
            restarts.pollFirst();
        }
        return restarts.size();
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
            pause(every, upkeep);
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

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String defaultWorkerId() {
        // No DNS lookup here (it can hang for seconds): the container or machine name is enough to tell who holds a job.
        String host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "fixgate");
        byte[] nonce = new byte[3];
        ThreadLocalRandom.current().nextBytes(nonce);
        String id = host + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(nonce);
        return id.length() <= 128 ? id : id.substring(id.length() - 128);
    }
}
