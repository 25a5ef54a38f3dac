package dev.fixgate.provider.common.evidence;

import dev.fixgate.spi.evidence.ReadAction;
import java.util.Objects;

/** A read that failed for good (after the retries its budget allowed), with the read it was and why. */
public final class CallFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ReadAction read;
    private final transient Failure failure;

    public CallFailedException(ReadAction read, Failure failure, Throwable cause) {
        super(failure.reason(read), cause, false, false);
        this.read = Objects.requireNonNull(read, "read");
        this.failure = failure;
    }

    public ReadAction read() {
        return read;
    }

    public Failure failure() {
        return failure;
    }

    /** What an unavailable observation says. */
    public String reason() {
        return failure.reason(read);
    }
}
