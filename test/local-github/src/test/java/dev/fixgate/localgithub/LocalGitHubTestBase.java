package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a local GitHub per test with a webhook receiver, records every REST exchange, and after the test validates
 * every response and every webhook payload against GitHub's published schemas ({@link GitHubSchemas}). A test fails
 * if anything the server produced does not match what api.github.com documents.
 */
abstract class LocalGitHubTestBase {

    static final long APP_ID = 4242;
    static final String SECRET = "webhook-secret";

    /** A webhook as the receiver got it. */
    record Received(String event, String delivery, String signature, String body, boolean signatureValid) {}

    @TempDir
    Path dir;

    LocalGitHub gh;
    KeyPair appKey;
    HttpServer receiver;
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** The receiver answers 500 while this is positive (and counts down), to exercise failed deliveries. */
    final AtomicInteger failNext = new AtomicInteger();

    @BeforeEach
    void startLocalGitHub() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/webhooks", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String sig = x.getRequestHeaders().getFirst("X-Hub-Signature-256");
            boolean valid = sig != null && sig.equals("sha256=" + Webhooks.hmac("HmacSHA256", SECRET, body));
            received.add(new Received(x.getRequestHeaders().getFirst("X-GitHub-Event"),
                    x.getRequestHeaders().getFirst("X-GitHub-Delivery"), sig, body, valid));
            int code = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 202;
            x.sendResponseHeaders(code, -1);
            x.close();
        });
        receiver.start();
        gh = LocalGitHub.start(LocalGitHubOptions.in(dir.resolve("repos")).withExchangeListener(exchanges::add));
        appKey = LocalGitHub.generateAppKey();
        gh.registerApp(APP_ID, "fixgate", appKey.getPublic(),
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks", SECRET);
    }

    /**
     * Replaces the server with one on {@code clock} (same app, receiver and recording), for tests that set the time;
     * call it before anything else in the test.
     */
    void restartWithClock(Clock clock) {
        gh.close();
        gh = LocalGitHub.start(LocalGitHubOptions.in(dir.resolve("repos-clocked")).withClock(clock)
                .withExchangeListener(exchanges::add));
        gh.registerApp(APP_ID, "fixgate", appKey.getPublic(),
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks", SECRET);
    }

    String jwt() {
        return LocalGitHub.appJwt(APP_ID, appKey.getPrivate(), Instant.now());
    }

    /** The events received, in order, as "event" or "event.action". */
    List<String> receivedEvents() {
        List<String> out = new ArrayList<>();
        for (Received r : received) {
            String action = tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.body()).path("action")
                    .asString("");
            out.add(action.isEmpty() ? r.event() : r.event() + "." + action);
        }
        return out;
    }

    @AfterEach
    void validateEverythingTheServerProduced() {
        try {
            gh.awaitDeliveries();
            Optional<GitHubSchemas> schemas = GitHubSchemas.load();
            if (schemas.isEmpty()) {
                System.out.println("[local-github] " + GitHubSchemas.skipMessage());
                return;
            }
            List<String> problems = new ArrayList<>();
            Map<String, Integer> counted = new LinkedHashMap<>();
            for (Exchange e : exchanges) {
                if (e.template().isEmpty() || e.status() == 304 || e.status() >= 500) {
                    continue; // unsupported endpoints answer GitHub's 404 body, checked by their own test
                }
                problems.addAll(schemas.get().validateResponse(e.method(), e.template().get(), e.status(),
                        e.body().orElse(null)));
                counted.merge("responses", 1, Integer::sum);
            }
            for (Delivery d : gh.deliveries()) {
                problems.addAll(schemas.get().validateWebhook(d.event(), d.action(), d.payload()));
                counted.merge("webhooks", 1, Integer::sum);
            }
            System.out.println("[local-github] schema-validated " + counted);
            assertThat(problems).as("responses and webhook payloads that do not match GitHub's schemas").isEmpty();
        } finally {
            gh.close();
            receiver.stop(0);
        }
    }
}
