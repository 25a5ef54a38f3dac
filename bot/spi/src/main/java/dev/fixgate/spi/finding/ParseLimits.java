package dev.fixgate.spi.finding;

/**
 * Bounds a parser enforces on untrusted input, so that a hostile or broken file is refused with a message
 * instead of exhausting memory: the longest string value, the deepest nesting, the largest single record.
 */
public record ParseLimits(int maxStringLength, int maxNestingDepth, int maxRecordBytes) {

    public ParseLimits {
        if (maxStringLength < 1 || maxNestingDepth < 1 || maxRecordBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** 1 MiB strings, 64 levels, 16 MiB per record: far above any real scanner output. */
    public static ParseLimits defaults() {
        return new ParseLimits(1 << 20, 64, 16 << 20);
    }
}
