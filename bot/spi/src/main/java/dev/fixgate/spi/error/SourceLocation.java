package dev.fixgate.spi.error;

import java.util.Objects;

/**
 * Where something is in an input: a file (or other named source), a 1-based line and column, and for JSON
 * inputs an RFC 6901 JSON pointer. Unknown parts are {@code 0} or the empty string.
 *
 * @param source  file path or source name, for example {@code findings.json} or {@code POST /api/v1/findings}
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param pointer JSON pointer such as {@code /Findings/3/Resources/0}, empty when not applicable
 */
public record SourceLocation(String source, long line, long column, String pointer) {

    public SourceLocation {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pointer, "pointer");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0");
        }
    }

    public static SourceLocation of(String source) {
        return new SourceLocation(source, 0, 0, "");
    }

    public static SourceLocation at(String source, long line) {
        return new SourceLocation(source, line, 0, "");
    }

    public static SourceLocation at(String source, long line, long column) {
        return new SourceLocation(source, line, column, "");
    }

    public SourceLocation withPointer(String jsonPointer) {
        return new SourceLocation(source, line, column, jsonPointer);
    }

    /** {@code file:line:column (pointer)}, leaving out what is unknown. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        if (!pointer.isEmpty()) {
            sb.append(" (").append(pointer).append(')');
        }
        return sb.toString();
    }
}
