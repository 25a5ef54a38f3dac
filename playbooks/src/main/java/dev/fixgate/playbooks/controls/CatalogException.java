package dev.fixgate.playbooks.controls;

import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;

/** The control catalog cannot be loaded: a file is missing or malformed, or two entries contradict each other. */
public final class CatalogException extends FixgateException {

    private static final long serialVersionUID = 1L;

    public CatalogException(String message, SourceLocation where) {
        super("catalog.invalid", message, where);
    }

    public CatalogException(String message, SourceLocation where, Throwable cause) {
        super("catalog.invalid", message, where, cause);
    }
}
