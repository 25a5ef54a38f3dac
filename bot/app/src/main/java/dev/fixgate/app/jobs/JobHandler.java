package dev.fixgate.app.jobs;

import dev.fixgate.app.store.JobQueue.Job;

/**
 * Runs the jobs of one kind. Registered with {@link JobWorkersBuilder#register(JobHandler)}.
 *
 * <p>Delivery is at least once: a job whose worker dies after the work but before the job is marked done runs
 * again once its lease expires, so a handler must be idempotent (look before you create a branch, a pull request,
 * a comment).
 *
 * <p>Outcomes: returning normally completes the job. Throwing fails this attempt: the job is retried after an
 * exponential backoff with jitter, or parked as DEAD after its last attempt. An exception that implements
 * {@link RetryAfter} (anywhere in its cause chain) is retried no earlier than it asks; a
 * {@link PermanentJobFailure} is parked as DEAD at once. When the service shuts down, a running handler is
 * interrupted after a grace period; a job ended by that interruption is queued again without using an attempt.
 */
public interface JobHandler {

    /** The kind this handler runs, e.g. {@code github.webhook}. Stored with every queued job: keep it stable. */
    String kind();

    /** Runs one attempt of {@code job}. */
    void handle(Job job) throws Exception;
}
