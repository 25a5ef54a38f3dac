package dev.fixgate.app.jobs;

import java.time.Instant;

/**
 * Implemented by exceptions that know when trying again can succeed (a rate limit that resets at a known time).
 * {@link JobWorkers} finds it anywhere in a failure's cause chain and queues the job no earlier than
 * {@link #notBefore()}; the attempt still counts, so a job cannot postpone itself forever.
 */
public interface RetryAfter {

    Instant notBefore();
}
