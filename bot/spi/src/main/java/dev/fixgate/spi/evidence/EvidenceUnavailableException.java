package dev.fixgate.spi.evidence;

import dev.fixgate.spi.error.FixgateException;

/** Evidence could not be read (access denied, throttled, unreachable). The assessment treats it as unknown. */
public class EvidenceUnavailableException extends FixgateException {

    private static final long serialVersionUID = 1L;

    public EvidenceUnavailableException(String code, String message, Throwable cause) {
        super(code, message, null, cause);
    }
}
