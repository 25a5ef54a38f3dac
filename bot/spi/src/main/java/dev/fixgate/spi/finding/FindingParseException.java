package dev.fixgate.spi.finding;

import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;

/**
 * The input as a whole cannot be read: not this format, not JSON, truncated, wrongly encoded, over a limit.
 * Findings already handed to the sink stay valid; the parse stops here. Codes are {@code ingest.*}, e.g.
 * {@code ingest.truncated}, {@code ingest.encoding}, {@code ingest.limit}, {@code ingest.not-json}.
 */
public class FindingParseException extends FixgateException {

    private static final long serialVersionUID = 1L;

    public FindingParseException(String code, String message, SourceLocation location) {
        super(code, message, location);
    }

    public FindingParseException(String code, String message, SourceLocation location, Throwable cause) {
        super(code, message, location, cause);
    }
}
