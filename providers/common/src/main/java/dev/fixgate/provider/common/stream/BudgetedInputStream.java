package dev.fixgate.provider.common.stream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes a parser pulls and refuses to hand out more than a record may take, so that one giant record
 * (or one giant value between records) fails fast instead of growing a buffer or a tree without bound.
 *
 * <p>The parser reads ahead by up to one buffer, so this stream only fires when a record is clearly over the
 * budget (budget plus {@link #READ_AHEAD_SLACK}); the exact check happens when the record ends, see
 * {@link JsonInput#endRecord()}. The count is a plain field: one parse runs on one thread.
 */
final class BudgetedInputStream extends FilterInputStream {

    /** Larger than any read-ahead buffer Jackson or a BufferedReader uses. */
    static final long READ_AHEAD_SLACK = 64 * 1024;

    private final long budget;
    private long count;
    private long recordStart;

    BudgetedInputStream(InputStream in, long budget) {
        super(in);
        this.budget = budget;
    }

    /** Bytes handed out so far. */
    long count() {
        return count;
    }

    /** Starts the budget of a new record at {@code offset} (a byte offset into the input). */
    void recordStartsAt(long offset) {
        recordStart = offset;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        advance(skipped);
        return skipped;
    }

    private void advance(long n) throws RecordTooLargeException {
        count += n;
        if (count - recordStart > budget + READ_AHEAD_SLACK) {
            throw new RecordTooLargeException(recordStart, budget);
        }
    }

    /** Thrown from inside the parser's read; translated to {@code ingest.limit} by {@link JsonInput}. */
    static final class RecordTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        final long recordStart;
        final long budget;

        RecordTooLargeException(long recordStart, long budget) {
            super("a record starting at byte " + recordStart + " is larger than the limit of " + budget + " bytes");
            this.recordStart = recordStart;
            this.budget = budget;
        }
    }
}
