package dev.fixgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fixgate.spi.gate.GateDecision;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OPA client against a local server that speaks OPA's Data API: {@code POST /v1/data/<path>} → {@code {"result": …}}. */
class OpaPolicyEngineTest {

    private HttpServer server;
    private final AtomicReference<String> requestPath = new AtomicReference<>();
    private final AtomicReference<String> requestBody = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String response = "{}";
    private volatile long delayMillis;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        requestPath.set(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        requestBody.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = response.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private OpaPolicyEngine engine(Duration timeout) {
        return new OpaPolicyEngine(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "fixgate/decision",
                timeout);
    }

    private LayerResult ask() {
        return engine(Duration.ofSeconds(2)).evaluate(Inputs.safe());
    }

    @Test
    void postsTheFullDecisionInputToTheDataApi() {
        response = "{\"result\": {\"deny\": [], \"needs_approval\": []}}";
        LayerResult r = ask();
        assertThat(r.decision()).isInstanceOf(GateDecision.Allow.class);
        assertThat(requestPath.get()).isEqualTo("POST /v1/data/fixgate/decision");
        assertThat(requestBody.get()).startsWith("{\"input\":{").contains("\"blast_radius\"").contains("\"rci\"")
                .contains("arn:aws:s3:::logs");
    }

    @Test
    void aDenyFromOpaDenies() {
        response = """
                {"result": {"deny": [{"policy": "change-window", "message": "outside every change window", "on_deny": "record_only"}],
                            "needs_approval": ["the fix is rated RISKY"]}}""";
        LayerResult r = ask();
        assertThat(r.decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(r.decision().reasons()).containsExactly("[opa:change-window] outside every change window");
        assertThat(r.hits()).hasSize(2);
        assertThat(r.hits().getFirst().onDeny()).isEqualTo(Policy.OnDeny.RECORD_ONLY);
    }

    @Test
    void needsApprovalFromOpa() {
        response = "{\"result\": {\"deny\": [], \"needs_approval\": [\"production\"]}}";
        assertThat(ask().decision()).isInstanceOf(GateDecision.NeedsApproval.class);
    }

    @Test
    void anUndefinedDocumentDenies() {
        response = "{}"; // what OPA answers when nothing is defined at the path
        LayerResult r = ask();
        assertThat(r.decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(r.decision().reasons().getFirst()).contains("failed");
    }

    @Test
    void aServerErrorDenies() {
        status = 500;
        response = "{\"code\": \"internal_error\", \"message\": \"boom\"}";
        assertThat(ask().decision()).isInstanceOf(GateDecision.Deny.class);
    }

    @Test
    void unparsableBodyDenies() {
        response = "{\"result\": {\"deny\": [";
        assertThat(ask().decision()).isInstanceOf(GateDecision.Deny.class);
    }

    @Test
    void aDocumentOfTheWrongShapeDenies() {
        response = "{\"result\": true}";
        assertThat(ask().decision()).isInstanceOf(GateDecision.Deny.class);
        response = "{\"result\": {\"allow\": true}}";
        assertThat(ask().decision()).isInstanceOf(GateDecision.Deny.class);
        response = "{\"result\": {\"deny\": [42], \"needs_approval\": []}}";
        assertThat(ask().decision()).isInstanceOf(GateDecision.Deny.class);
    }

    @Test
    void aSlowServerDeniesWithinTheTimeout() {
        delayMillis = 3_000;
        response = "{\"result\": {\"deny\": [], \"needs_approval\": []}}";
        long start = System.nanoTime();
        LayerResult r = engine(Duration.ofMillis(300)).evaluate(Inputs.safe());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(r.decision().reasons().getFirst()).contains("did not answer within 300 ms");
        assertThat(tookMillis).isLessThan(2_500);
    }

    @Test
    void anUnreachableServerDenies() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LayerResult r = new OpaPolicyEngine(URI.create("http://127.0.0.1:" + port), "fixgate/decision",
                Duration.ofSeconds(1)).evaluate(Inputs.safe());
        assertThat(r.decision()).isInstanceOf(GateDecision.Deny.class);
    }
}
