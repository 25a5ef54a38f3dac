package dev.fixgate.app.jobs;

import java.time.Instant;
import java.util.Objects;

/** Thrown by a {@link JobHandler} to end this attempt and run the job again no earlier than {@code notBefore}. */
public class RetryLater extends Exception implements RetryAfter {

    private static final long serialVersionUID = 1L;

    private final Instant notBefore;

    public RetryLater(String message, Instant notBefore) {
        super(message);
        this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
    }

    @Override
    public Instant notBefore() {
        return notBefore;
    }
}
