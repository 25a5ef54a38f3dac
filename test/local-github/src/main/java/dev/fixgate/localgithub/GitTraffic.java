package dev.fixgate.localgithub;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What git clients cost the local GitHub over smart HTTP: requests, and the body bytes read and written (after any
 * transfer encoding is removed: what the servlet saw). Benchmarks compare how fixgate obtains a repository.
 */
public final class GitTraffic {

    /**
     * Counts since the last {@link #reset()}; {@code serverNanos}: the time spent inside the git requests on the
     * server's side (authentication, JGit's UploadPack or ReceivePack, writing the response), summed.
     */
    public record Snapshot(long requests, long bytesIn, long bytesOut, long serverNanos) {
    }

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();

    public Snapshot snapshot() {
        return new Snapshot(requests.get(), in.get(), out.get(), nanos.get());
    }

    public void reset() {
        requests.set(0);
        in.set(0);
        out.set(0);
        nanos.set(0);
    }

    /** Adds the time one request spent on the server's side. */
    void served(long startNanos) {
        nanos.addAndGet(System.nanoTime() - startNanos);
    }

    HttpServletRequest count(HttpServletRequest req) {
        requests.incrementAndGet();
        return new HttpServletRequestWrapper(req) {
            private ServletInputStream stream;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (stream == null) {
                    stream = counting(super.getInputStream(), in);
                }
                return stream;
            }
        };
    }

    HttpServletResponse count(HttpServletResponse res) {
        return new HttpServletResponseWrapper(res) {
            private ServletOutputStream stream;

            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                if (stream == null) {
                    stream = counting(super.getOutputStream(), out);
                }
                return stream;
            }

            @Override
            public PrintWriter getWriter() throws IOException {
                return new PrintWriter(getOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8);
            }
        };
    }

    private static ServletInputStream counting(ServletInputStream s, AtomicLong n) {
        return new ServletInputStream() {
            @Override
            public int read() throws IOException {
                int b = s.read();
                if (b >= 0) {
                    n.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int r = s.read(b, off, len);
                if (r > 0) {
                    n.addAndGet(r);
                }
                return r;
            }

            @Override
            public boolean isFinished() {
                return s.isFinished();
            }

            @Override
            public boolean isReady() {
                return s.isReady();
            }

            @Override
            public void setReadListener(ReadListener l) {
                s.setReadListener(l);
            }
        };
    }

    private static ServletOutputStream counting(ServletOutputStream s, AtomicLong n) {
        return new ServletOutputStream() {
            @Override
            public void write(int b) throws IOException {
                s.write(b);
                n.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                s.write(b, off, len);
                n.addAndGet(len);
            }

            @Override
            public void flush() throws IOException {
                s.flush();
            }

            @Override
            public void close() throws IOException {
                s.close();
            }

            @Override
            public boolean isReady() {
                return s.isReady();
            }

            @Override
            public void setWriteListener(WriteListener l) {
                s.setWriteListener(l);
            }
        };
    }
}
