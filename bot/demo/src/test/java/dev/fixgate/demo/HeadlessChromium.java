package dev.fixgate.demo;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.app.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools protocol with the JDK's own WebSocket client: open a
 * page, evaluate JavaScript in it, take a screenshot. Without Chromium a test using it is skipped and says why —
 * unless {@code FIXGATE_REQUIRE_BROWSER=1} (CI, whose {@code .ci/run} installs it), where its absence fails.
 * Only loopback is used: the browser listens on 127.0.0.1 and the page is a file.
 */
final class HeadlessChromium implements AutoCloseable {

    static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /** The installed Chromium, or the test is skipped (fails when {@code FIXGATE_REQUIRE_BROWSER=1}). */
    static Path require() {
        for (String c : CANDIDATES) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        if ("1".equals(System.getenv("FIXGATE_REQUIRE_BROWSER"))) {
            fail("FIXGATE_REQUIRE_BROWSER=1 but no Chromium at " + CANDIDATES + "; install it: apt-get install -y chromium");
        }
        Assumptions.assumeTrue(false, "Chromium not installed (" + CANDIDATES + "; apt-get install -y chromium):"
                + " skipping the headless browser check");
        throw new IllegalStateException("unreachable");
    }

    /** Starts the browser on {@code page} (a file) with a fresh profile. */
    static HeadlessChromium open(Path binary, Path page, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("fixgate-chromium-");
        Process p = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--window-size=" + width + "," + height, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            Instant deadline = Instant.now().plusSeconds(60);
            while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Chromium did not start (exit " + (p.isAlive() ? "-" : p.exitValue()) + ")");
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().trim());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String ws = null;
            while (ws == null) {
                JsonNode targets = Json.mapper().readTree(http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode t : targets) {
                    if (t.path("type").asText().equals("page") && t.path("url").asText().startsWith("file:")) {
                        ws = t.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (ws == null) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Chromium opened no page target");
                    }
                    Thread.sleep(50);
                }
            }
            return new HeadlessChromium(p, profile, http, URI.create(ws));
        } catch (Exception e) {
            destroy(p);
            deleteTree(profile);
            throw e;
        }
    }

    private HeadlessChromium(Process process, Path profile, HttpClient http, URI ws) throws Exception {
        this.process = process;
        this.profile = profile;
        this.socket = http.newWebSocketBuilder().buildAsync(ws, new Listener()).get(30, TimeUnit.SECONDS);
    }

    /** One DevTools command; its result. */
    JsonNode send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode msg = Json.mapper().createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", Json.mapper().valueToTree(params));
        socket.sendText(Json.mapper().writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
        JsonNode r = reply.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    /** Evaluates {@code expression} in the page (promises awaited) and returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("page script failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Waits until {@code condition} (JavaScript) is true in the page. */
    void await(String condition, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!eval("!!(" + condition + ")").asBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out waiting for " + condition);
            }
            Thread.sleep(100);
        }
    }

    /** A PNG of the whole page. */
    byte[] screenshot() throws Exception {
        JsonNode r = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        return Base64.getDecoder().decode(r.path("data").asText());
    }

    @Override
    public void close() {
        try {
            send("Browser.close", Map.of());
        } catch (Exception ignored) {
            // it may close the socket before it answers
        }
        socket.abort();
        destroy(process);
        deleteTree(profile);
    }

    private static void destroy(Process p) {
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode msg = Json.mapper().readTree(text.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    }
                } catch (IOException ignored) {
                    // not a protocol message
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
