package dev.fixgate.spi.intake;

import java.util.Objects;

/**
 * A pull that could not read: denied (403, no credential), throttled (429), timed out, or another failure. The
 * message names the account and the read that failed and never carries a credential.
 */
public final class PullFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the read failed, for the job's error and the logs. */
    public enum Reason { DENIED, THROTTLED, TIMEOUT, NOT_FOUND, ERROR }

    private final Reason reason;
    private final int status;

    public PullFailedException(Reason reason, int status, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.status = status;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status, or 0 when there was none (a timeout, no credential). */
    public int status() {
        return status;
    }
}
