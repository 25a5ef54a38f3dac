package dev.fixgate.app.ingest;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.FindingParseException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

/**
 * One input being ingested: a name for locations, its bytes, how many have been read (for progress bars), and
 * its first bytes for format detection — read once, without consuming them. Gzip-compressed inputs are
 * recognised by their magic number and decompressed on the fly.
 */
public final class Input implements AutoCloseable {

    /** Bytes offered to format detection. */
    public static final int HEAD_BYTES = 64 * 1024;

    private final String name;
    private final InputStream stream;
    private final LongAdder read;
    private final byte[] head;

    private Input(String name, InputStream stream, LongAdder read, byte[] head) {
        this.name = name;
        this.stream = stream;
        this.read = read;
        this.head = head;
    }

    /** Wraps {@code raw}; the returned input owns it and closes it. */
    public static Input of(String name, InputStream raw) throws IOException {
        LongAdder read = new LongAdder();
        InputStream counted = new BufferedInputStream(new Counting(raw, read), 1 << 16);
        counted.mark(2);
        int b0 = counted.read();
        int b1 = counted.read();
        counted.reset();
        InputStream body = counted;
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                body = new BufferedInputStream(new GZIPInputStream(counted, 1 << 16), 1 << 16);
            } catch (IOException e) {
                throw new FindingParseException("ingest.truncated", "gzip header is damaged", SourceLocation.of(name), e);
            }
        }
        body.mark(HEAD_BYTES + 1);
        byte[] head = body.readNBytes(HEAD_BYTES);
        body.reset();
        return new Input(name, body, read, head);
    }

    public String name() {
        return name;
    }

    public InputStream stream() {
        return stream;
    }

    /** The first bytes (up to {@link #HEAD_BYTES}), after decompression. */
    public byte[] head() {
        return head.clone();
    }

    /** Compressed bytes read so far from the underlying source. */
    public long bytesRead() {
        return read.sum();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }

    private static final class Counting extends FilterInputStream {
        private final LongAdder read;

        Counting(InputStream in, LongAdder read) {
            super(in);
            this.read = read;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                read.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read.add(n);
            }
            return n;
        }
    }
}
