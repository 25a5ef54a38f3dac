package dev.fixgate.app.jobs;

/**
 * Thrown by a {@link JobHandler} when trying again cannot help (the payload is invalid, the repository is gone):
 * the job is parked as DEAD at once, with this message as its error.
 */
public class PermanentJobFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public PermanentJobFailure(String message) {
        super(message);
    }

    public PermanentJobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
