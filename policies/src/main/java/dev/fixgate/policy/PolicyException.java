package dev.fixgate.policy;

import dev.fixgate.spi.error.FixgateException;

/** A policy could not be loaded, compiled or evaluated. Gates turn it into a denial; loaders report it. */
public class PolicyException extends FixgateException {

    private static final long serialVersionUID = 1L;

    public PolicyException(String code, String message) {
        super(code, message, null, null);
    }

    public PolicyException(String code, String message, Throwable cause) {
        super(code, message, null, cause);
    }
}
