package dev.fixgate.provider.common.evidence;

import java.time.Duration;
import java.util.Optional;

/**
 * A REST read that got an error answer, from the hand-written REST clients (where no SDK client serves): the HTTP
 * status, the service's error code and any {@code Retry-After}. {@link Failure#of(HttpStatusException)} classifies it.
 */
public final class HttpStatusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Optional<Duration> retryAfter;

    public HttpStatusException(int status, String code, String message, Optional<Duration> retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code == null ? "" : code;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
