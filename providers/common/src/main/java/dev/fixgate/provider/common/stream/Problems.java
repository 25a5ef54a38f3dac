package dev.fixgate.provider.common.stream;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.FindingParser;
import java.util.Optional;

/**
 * What is wrong with the record being read. Streaming parsers keep reading to the end of a bad record (so the
 * next one starts in the right place) and report only the first problem, with the pointer of the field at fault.
 */
public final class Problems {

    private String code;
    private String pointer;
    private String reason;

    /** Forgets the previous record's problem. */
    public void reset() {
        code = null;
        pointer = null;
        reason = null;
    }

    /** Records a problem unless one is already recorded: the first cause is the useful one. */
    public void add(String code, String pointer, String reason) {
        if (this.code == null) {
            this.code = code;
            this.pointer = pointer;
            this.reason = reason;
        }
    }

    public boolean any() {
        return code != null;
    }

    /** Reports the problem, if any, as the rejection of the record at {@code where}; true when it did. */
    public boolean reject(FindingParser.Sink sink, SourceLocation where) {
        if (code == null) {
            return false;
        }
        sink.rejected(where.withPointer(pointer), code, reason);
        return true;
    }

    public Optional<Problem> first() {
        return code == null ? Optional.empty() : Optional.of(new Problem(code, pointer, reason));
    }

    /** One rejected record: stable code, pointer of the field at fault, and a sentence for humans. */
    public record Problem(String code, String pointer, String reason) {
    }
}
