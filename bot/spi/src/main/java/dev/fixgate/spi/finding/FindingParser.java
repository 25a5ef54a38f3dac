package dev.fixgate.spi.finding;

import dev.fixgate.spi.error.SourceLocation;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one source format (ASFF, OCSF, SARIF, …) into {@link Finding}s.
 *
 * <p>Implementations stream: they never hold a whole input in memory, hand each finding to the sink as soon as
 * it is read, and report a malformed record with its location and carry on with the next one. Only input that
 * cannot be read at all (not JSON, truncated, wrong encoding) ends the parse with an exception. Implementations
 * are discovered with {@link java.util.ServiceLoader}.
 */
public interface FindingParser {

    /** Stable format id used by {@code --format}: {@code asff}, {@code ocsf}, {@code sarif}, … */
    String format();

    /**
     * How sure this parser is that it can read an input that starts with {@code head} (at most a few KiB):
     * 0 = not this format; higher wins. Used by format auto-detection.
     */
    int sniff(byte[] head, String sourceName);

    /** Parses {@code in}, reporting findings and rejected records to {@code sink}. */
    void parse(InputStream in, String sourceName, Sink sink) throws IOException;

    /** Receives what a parse produced, in input order. */
    interface Sink {
        void finding(Finding finding);

        /** A record that was skipped, with where it is and why. */
        void rejected(SourceLocation where, String code, String reason);
    }
}
