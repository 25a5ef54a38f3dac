package dev.fixgate.bench.replicas;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load balancer in front of the replicas, as a deployment has one (docs/deploy.md): the local GitHub's webhooks
 * go to its one address, and it forwards each delivery (signature and headers as they came) to a live replica,
 * trying another when a replica refuses the connection, drops it or answers 5xx, for up to two minutes. It records
 * every delivery a replica answered 202 — the promise the benchmark checks afterwards in the store.
 */
final class Balancer implements AutoCloseable {

    private static final List<String> HEADERS = List.of("X-GitHub-Event", "X-GitHub-Delivery", "X-Hub-Signature-256",
            "X-GitHub-Hook-ID", "X-GitHub-Hook-Installation-Target-ID", "X-GitHub-Hook-Installation-Target-Type",
            "Content-Type", "User-Agent");

    private final HttpServer server;
    private final List<Replica> replicas;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final AtomicInteger forwarded = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    final AtomicInteger gaveUp = new AtomicInteger();
    final AtomicInteger otherAnswers = new AtomicInteger();

    Balancer(List<Replica> replicas) throws IOException {
        this.replicas = List.copyOf(replicas);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
    }

    String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/github";
    }

    /** A live replica, chosen at random; empty while none is up. */
    static java.util.Optional<Replica> anyUp(List<Replica> replicas) {
        List<Replica> up = new ArrayList<>();
        for (Replica r : replicas) {
            if (r.up()) {
                up.add(r);
            }
        }
        Collections.shuffle(up, ThreadLocalRandom.current());
        return up.stream().findFirst();
    }

    private void forward(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        String delivery = ex.getRequestHeaders().getFirst("X-GitHub-Delivery");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int status = 502;
        boolean first = true;
        while (System.nanoTime() < deadline) {
            if (!first) {
                retried.incrementAndGet();
            }
            first = false;
            java.util.Optional<Replica> target = anyUp(replicas);
            if (target.isEmpty()) {
                sleep(200);
                continue;
            }
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.get().port()
                    + ex.getRequestURI().getPath())).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : HEADERS) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null && !h.equals("User-Agent")) {
                    rb.header(h, v);
                }
            }
            try {
                HttpResponse<byte[]> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() >= 500) {
                    sleep(200); // a replica starting or stopping: another one, or the same later
                    continue;
                }
                status = r.statusCode();
                if (status == 202 && delivery != null) {
                    accepted.add(delivery);
                } else if (status != 202) {
                    otherAnswers.incrementAndGet();
                }
                break;
            } catch (IOException e) {
                sleep(100); // killed under us: the connection was refused or reset
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (status == 502) {
            gaveUp.incrementAndGet();
        }
        forwarded.incrementAndGet();
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
