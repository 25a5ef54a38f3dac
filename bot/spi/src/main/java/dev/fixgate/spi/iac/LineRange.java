package dev.fixgate.spi.iac;

/** 1-based, inclusive line range. */
public record LineRange(int start, int end) {

    public LineRange {
        if (start < 1 || end < start) {
            throw new IllegalArgumentException("bad line range " + start + "-" + end);
        }
    }

    public static LineRange single(int line) {
        return new LineRange(line, line);
    }

    public boolean contains(int line) {
        return line >= start && line <= end;
    }

    @Override
    public String toString() {
        return start == end ? "L" + start : "L" + start + "-L" + end;
    }
}
