package dev.fixgate.spi.finding;

import dev.fixgate.spi.error.SourceLocation;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one source format (ASFF, OCSF, SARIF, …) into {@link Finding}s.
 *
 * <p>Implementations stream: they never hold a whole input in memory, hand each finding to the sink as soon as
 * it is read, and report a malformed record with its location (file, line, JSON pointer) and carry on with the
 * next one. Input that cannot be read at all (not the format, truncated, wrong encoding, over a
 * {@link ParseLimits limit}) ends the parse with a {@link FindingParseException}; findings already delivered
 * stay valid. Implementations are discovered with {@link java.util.ServiceLoader}.
 */
public interface FindingParser {

    /** Stable format id used by {@code --format}: {@code asff}, {@code ocsf}, {@code sarif}, … */
    String format();

    /**
     * How sure this parser is that it can read an input that starts with {@code head} (at most 64 KiB, possibly
     * cut mid-token): 0 = not this format; higher wins. Used by format auto-detection.
     */
    int sniff(byte[] head, String sourceName);

    /** Parses {@code in}, reporting findings and rejected records to {@code sink}. */
    void parse(InputStream in, ParseContext context, Sink sink) throws IOException;

    /** Receives what a parse produced, in input order. */
    interface Sink {
        void finding(Finding finding);

        /** A record that was skipped, with where it is, a stable code ({@code ingest.*}) and why. */
        void rejected(SourceLocation where, String code, String reason);
    }
}
