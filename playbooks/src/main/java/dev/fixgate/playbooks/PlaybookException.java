package dev.fixgate.playbooks;

import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;

/** A playbook that cannot be loaded or used: the file, the JSON pointer of the bad value, what is wrong. */
public final class PlaybookException extends FixgateException {

    private static final long serialVersionUID = 1L;

    public PlaybookException(String code, String message, SourceLocation location) {
        super(code, message, location);
    }

    public PlaybookException(String code, String message, SourceLocation location, Throwable cause) {
        super(code, message, location, cause);
    }
}
