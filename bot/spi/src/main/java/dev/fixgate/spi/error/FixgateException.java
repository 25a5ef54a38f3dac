package dev.fixgate.spi.error;

import java.util.Objects;
import java.util.Optional;

/**
 * Base of fixgate's typed errors. Every error carries a stable, dotted {@link #code()} (for example
 * {@code config.unknown-key}) that scripts and tests can match on, and where the input was at fault, the
 * {@link SourceLocation} that points at it. Messages never contain secrets.
 */
public class FixgateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final transient SourceLocation location;

    public FixgateException(String code, String message) {
        this(code, message, null, null);
    }

    public FixgateException(String code, String message, SourceLocation location) {
        this(code, message, location, null);
    }

    public FixgateException(String code, String message, SourceLocation location, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.location = location;
    }

    public String code() {
        return code;
    }

    public Optional<SourceLocation> location() {
        return Optional.ofNullable(location);
    }

    /** {@code location: message [code]}, the form the CLI prints. */
    @Override
    public String toString() {
        return (location == null ? "" : location + ": ") + getMessage() + " [" + code + "]";
    }
}
