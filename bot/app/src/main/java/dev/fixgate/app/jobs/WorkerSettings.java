package dev.fixgate.app.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link JobWorkers} pool runs.
 *
 * @param workers       how many jobs run at once
 * @param pollInterval  how long an idle worker waits before looking again ({@link JobWorkers#wake()} cuts it short)
 * @param lease         how long a job may go without a heartbeat before another worker may take it over;
 *                      heartbeats run every third of it (at most every 10 s)
 * @param backoff       the delay before a failed job's next attempt
 * @param shutdownGrace how long {@link JobWorkers#close()} lets running jobs finish before interrupting them
 * @param doneRetention how long DONE jobs are kept (they hold whole webhook payloads)
 * @param jobTimeout    the time budget of one attempt: past it the handler is interrupted and the attempt fails
 *                      (a handler that ignores the interruption is abandoned after a further
 *                      {@link JobSupervisor#ABANDON_AFTER} and its worker replaced)
 */
public record WorkerSettings(int workers, Duration pollInterval, Duration lease, Backoff backoff,
                             Duration shutdownGrace, Duration doneRetention, Duration jobTimeout) {
    /** How long a job may go without a heartbeat before another worker, in any process, takes it back. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    public WorkerSettings {
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
    public static WorkerSettings defaults(int workers) {
        return new WorkerSettings(workers, Duration.ofSeconds(1), DEFAULT_LEASE, Backoff.standard(),
                Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofMinutes(15));
    }

    public WorkerSettings withPollInterval(Duration d) {
        return new WorkerSettings(workers, d, lease, backoff, shutdownGrace, doneRetention, jobTimeout);
    }

    public WorkerSettings withLease(Duration d) {
        return new WorkerSettings(workers, pollInterval, d, backoff, shutdownGrace, doneRetention, jobTimeout);
    }

    public WorkerSettings withBackoff(Backoff b) {
        return new WorkerSettings(workers, pollInterval, lease, b, shutdownGrace, doneRetention, jobTimeout);
    }

    public WorkerSettings withShutdownGrace(Duration d) {
        return new WorkerSettings(workers, pollInterval, lease, backoff, d, doneRetention, jobTimeout);
    }

    public WorkerSettings withWorkers(int n) {
        return new WorkerSettings(n, pollInterval, lease, backoff, shutdownGrace, doneRetention, jobTimeout);
    }

    public WorkerSettings withJobTimeout(Duration d) {
        return new WorkerSettings(workers, pollInterval, lease, backoff, shutdownGrace, doneRetention, d);
    }
}
