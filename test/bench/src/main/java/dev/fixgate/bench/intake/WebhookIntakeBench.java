package dev.fixgate.bench.intake;

import dev.fixgate.app.cli.Main;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.WebhookSignature;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.WebhookDeliveries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook intake on loopback (issue 18): {@code fixgate serve} in a JVM of its own on the embedded H2 database, and
 * {@code CONNECTIONS} clients (one HTTP/1.1 keep-alive connection each) posting signed {@code ping} deliveries as fast
 * as serve answers, for {@code SECONDS}, after a 3-second warm-up. Prints deliveries answered 202 per second, the
 * latency percentiles of those answers, and — after serve is stopped — how many answered deliveries the database holds
 * (it must be all of them). The GitHub App points at a closed port: no job reaches GitHub, the workers fail them.
 *
 * <pre>./bench run dev.fixgate.bench.intake.WebhookIntakeBench [SECONDS] [CONNECTIONS]</pre>
 */
public final class WebhookIntakeBench {

    private static final String SECRET = "bench-webhook-secret-0123456789abcdef";
    private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path home = Files.createTempDirectory("fixgate-intake-bench-");
        Process serve = start(home);
        try {
            int port = port(serve);
            URI uri = URI.create("http://127.0.0.1:" + port + "/webhooks/github");
            Run warm = drive(uri, connections, Duration.ofSeconds(3), "warm");
            Run run = drive(uri, connections, Duration.ofSeconds(seconds), "run");
            serve.destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
            long stored;
            try (Database db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2)) {
                WebhookDeliveries deliveries = new WebhookDeliveries(db);
                stored = run.accepted.stream().filter(id -> deliveries.find(id).isPresent()).count();
            }
            List<Long> lat = new ArrayList<>(run.latenciesNanos);
            lat.sort(null);
            System.out.printf(Locale.ROOT, "connections %d, %d s (after %d warm-up deliveries)%n", connections, seconds,
                    warm.accepted.size());
            System.out.printf(Locale.ROOT, "answered 202: %d (%.0f/s), other answers: %d, errors: %d%n",
                    run.accepted.size(), run.accepted.size() / (double) seconds, run.other.get(), run.errors.get());
            System.out.printf(Locale.ROOT, "latency of 202 answers: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    ms(lat, 0.50), ms(lat, 0.90), ms(lat, 0.99), ms(lat, 1.0));
            System.out.printf(Locale.ROOT, "stored after serve stopped: %d of %d answered%n", stored, run.accepted.size());
        } finally {
            serve.destroyForcibly();
        }
    }

    private record Run(ConcurrentLinkedQueue<String> accepted, ConcurrentLinkedQueue<Long> latenciesNanos,
                       AtomicInteger other, AtomicInteger errors) {
    }

    private static Run drive(URI uri, int connections, Duration length, String prefix) throws InterruptedException {
        Run run = new Run(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(), new AtomicInteger(),
                new AtomicInteger());
        long deadline = System.nanoTime() + length.toNanos();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        Secret secret = Secret.of(SECRET);
        for (int c = 0; c < connections; c++) {
            clients.submit(() -> {
                // one client per thread: one keep-alive connection each
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                while (System.nanoTime() < deadline) {
                    String id = prefix + "-" + next.incrementAndGet();
                    byte[] body = ("{\"zen\":\"Approachable is better than simple.\",\"hook_id\":" + id.hashCode()
                            + ",\"hook\":{\"type\":\"App\",\"id\":" + id.hashCode() + ",\"active\":true}}")
                            .getBytes(StandardCharsets.UTF_8);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri)
                                .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", id)
                                .header("Content-Type", "application/json")
                                .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, body))
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 202) {
                            run.latenciesNanos.add(System.nanoTime() - t0);
                            run.accepted.add(id);
                        } else {
                            run.other.incrementAndGet();
                        }
                    } catch (IOException e) {
                        run.errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        clients.awaitTermination(length.toSeconds() + 60, TimeUnit.SECONDS);
        return run;
    }

    private static double ms(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1));
        return sorted.get(i) / 1e6;
    }

    private static Process start(Path home) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--bind", "127.0.0.1", "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FIXGATE_HOME", home.toString());
        pb.environment().put("FIXGATE_GITHUB_WEBHOOK_SECRET", SECRET);
        pb.environment().put("FIXGATE_GITHUB_APP_ID", "1");
        pb.environment().put("FIXGATE_GITHUB_PRIVATE_KEY", pem);
        pb.environment().put("FIXGATE_GITHUB_API_URL", "http://127.0.0.1:9");
        return pb.start();
    }

    private static int port(Process serve) throws Exception {
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException("serve exited before serving"));
        });
        return listening.get(180, TimeUnit.SECONDS);
    }

    private WebhookIntakeBench() {
    }
}
