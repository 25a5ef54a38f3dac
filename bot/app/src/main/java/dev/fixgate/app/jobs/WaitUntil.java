package dev.fixgate.app.jobs;

import java.time.Instant;

/**
 * Thrown by a {@link JobHandler} when the job cannot run yet for a reason outside it (a cap on pull requests is
 * reached): nothing failed, so the attempt is not counted and the job waits as long as it has to, running again no
 * earlier than {@code notBefore}. Its message is kept as the job's last error, so {@code fixgate jobs} says why.
 */
public class WaitUntil extends RetryLater {

    private static final long serialVersionUID = 1L;

    public WaitUntil(String message, Instant notBefore) {
        super(message, notBefore);
    }
}
