package dev.fixgate.bench.intake;

import dev.fixgate.app.github.WebhookSignature;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load: {@code connections} clients, one HTTP/1.1 keep-alive connection each, each posting its next delivery as
 * soon as the previous one is answered (a closed loop), until the deadline. Two ways to send the same bytes:
 * {@code jdk} ({@link HttpClient}, one per connection) and {@code socket} (a blocking socket per connection writing
 * the request and reading the status line, headers and body — the same request on the wire, for a fraction of the
 * client's CPU, which shares the machine's two cores with serve).
 */
final class Clients {

    /** What one measured window produced. */
    record Run(ConcurrentLinkedQueue<String> accepted, ConcurrentLinkedQueue<Long> latenciesNanos, AtomicInteger other,
               AtomicInteger errors) {
        Run() {
            this(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(), new AtomicInteger(), new AtomicInteger());
        }
    }

    private Clients() {
    }

    static Run drive(String client, int port, Deliveries deliveries, int connections, Duration length, String prefix)
            throws InterruptedException {
        Run run = new Run();
        long deadline = System.nanoTime() + length.toNanos();
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        for (int c = 0; c < connections; c++) {
            pool.submit(() -> {
                try (Connection conn = client.equals("jdk") ? new Jdk(port) : new Raw(port)) {
                    while (System.nanoTime() < deadline) {
                        long n = next.incrementAndGet();
                        String id = prefix + "-" + n;
                        Deliveries.Delivery d = deliveries.get(n);
                        long t0 = System.nanoTime();
                        int status;
                        try {
                            status = conn.post(id, d);
                        } catch (IOException e) {
                            run.errors().incrementAndGet();
                            continue;
                        }
                        if (status == 202) {
                            run.latenciesNanos().add(System.nanoTime() - t0);
                            run.accepted().add(id);
                        } else {
                            run.other().incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    run.errors().incrementAndGet();
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(length.toSeconds() + 60, TimeUnit.SECONDS);
        return run;
    }

    private interface Connection extends AutoCloseable {
        int post(String id, Deliveries.Delivery d) throws IOException, InterruptedException;

        @Override
        void close() throws IOException;
    }

    private static final class Jdk implements Connection {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final URI uri;

        Jdk(int port) {
            uri = URI.create("http://127.0.0.1:" + port + "/webhooks/github");
        }

        @Override
        public int post(String id, Deliveries.Delivery d) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(uri)
                    .header("X-GitHub-Event", d.event()).header("X-GitHub-Delivery", id)
                    .header("Content-Type", "application/json")
                    .header(WebhookSignature.HEADER, d.signature())
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body())).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        @Override
        public void close() {
            http.close();
        }
    }

    /** HTTP/1.1 over a blocking socket: writes the request, reads the answer; reconnects when the server closes. */
    private static final class Raw implements Connection {
        private final int port;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Raw(int port) {
            this.port = port;
        }

        @Override
        public int post(String id, Deliveries.Delivery d) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(10_000);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 8192);
            }
            try {
                byte[] head = ("POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nUser-Agent: GitHub-Hookshot/bench\r\nContent-Type: application/json\r\nX-GitHub-Event: "
                        + d.event() + "\r\nX-GitHub-Delivery: " + id + "\r\n" + WebhookSignature.HEADER + ": "
                        + d.signature() + "\r\nContent-Length: " + d.body().length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                byte[] request = new byte[head.length + d.body().length];
                System.arraycopy(head, 0, request, 0, head.length);
                System.arraycopy(d.body(), 0, request, head.length, d.body().length);
                out.write(request);
                out.flush();
                return readResponse();
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        private int readResponse() throws IOException {
            String statusLine = line();
            if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
                throw new IOException("bad status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = 0;
            boolean close = false;
            String header;
            while ((header = line()) != null && !header.isEmpty()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                } else if (lower.startsWith("transfer-encoding:")) {
                    throw new IOException("chunked answers are not expected from the intake");
                }
            }
            if (header == null) {
                throw new IOException("connection closed in the headers");
            }
            in.skipNBytes(length);
            if (close) {
                close();
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
                sb.append((char) b);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }
}
