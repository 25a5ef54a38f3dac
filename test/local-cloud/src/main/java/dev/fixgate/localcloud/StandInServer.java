package dev.fixgate.localcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * What a cloud stand-in shares whatever it answers: the JDK HTTP(S) server on loopback, the call log, injected
 * faults (an error status with a {@code Retry-After}, or a delay) per path pattern, and JSON answers in the cloud's
 * error shape. A request the stand-in cannot understand ({@link IllegalArgumentException}) is a 400, a bug a 500.
 *
 * @param <S> the stand-in, so that the fault methods chain
 */
public abstract class StandInServer<S extends StandInServer<S>> implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Call(String method, String path, String query, String body) {
    }

    private record Fault(Pattern path, int status, String code, long retryAfterSeconds, Duration delay, AtomicInteger left) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    /** Serves on {@code server} (already bound to a loopback address) from now on. */
    protected StandInServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers one request that passed authorization and the faults. */
    protected abstract void route(HttpExchange ex, String method, String path, Map<String, String> query, String body)
            throws IOException;

    /** The cloud's error body for {@code status} and {@code code}. */
    protected abstract ObjectNode errorBody(int status, String code, String message);

    /** The error code a request the stand-in does not understand gets (with 400). */
    protected abstract String badRequestCode();

    /** Whether the request carries what the cloud demands (a bearer token…); it got a 401 already when not. */
    protected boolean authorize(HttpExchange ex) throws IOException {
        return true;
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Call> calls() {
        return Collections.unmodifiableList(calls);
    }

    public void clearCalls() {
        calls.clear();
    }

    /**
     * The next {@code times} requests whose path matches {@code pathRegex} get {@code status} with the cloud's error
     * body and {@code code}; a {@code Retry-After} of {@code retryAfterSeconds} when it is not negative.
     */
    public S fail(String pathRegex, int status, String code, long retryAfterSeconds, int times) {
        faults.add(new Fault(Pattern.compile(pathRegex, Pattern.CASE_INSENSITIVE), status, code, retryAfterSeconds,
                Duration.ZERO, new AtomicInteger(times)));
        return self();
    }

    /** The next {@code times} matching requests are answered only after {@code delay}. */
    public S delay(String pathRegex, Duration delay, int times) {
        faults.add(new Fault(Pattern.compile(pathRegex, Pattern.CASE_INSENSITIVE), 0, "", -1, delay, new AtomicInteger(times)));
        return self();
    }

    public void clearFaults() {
        faults.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(new Call(ex.getRequestMethod(), path, query, body));
            if (!authorize(ex)) {
                return;
            }
            for (Fault f : faults) {
                if (f.path().matcher(path).find() && f.left().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                    if (!f.delay().isZero()) {
                        sleep(f.delay());
                        continue;
                    }
                    error(ex, f.status(), f.code(), f.status() == 403 ? "The caller does not have permission for " + path
                            : f.code(), f.retryAfterSeconds());
                    return;
                }
            }
            route(ex, ex.getRequestMethod(), path, params(query), body);
        } catch (IllegalArgumentException e) {
            error(ex, 400, badRequestCode(), "not understood: " + e.getMessage(), -1);
        } catch (RuntimeException e) {
            error(ex, 500, "Internal", e.toString(), -1);
        }
    }

    /** The query string's parameters, decoded. */
    public static Map<String, String> params(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    protected void error(HttpExchange ex, int status, String code, String message, long retryAfter) throws IOException {
        if (retryAfter >= 0) {
            ex.getResponseHeaders().set("Retry-After", String.valueOf(retryAfter));
        }
        send(ex, status, errorBody(status, code, message));
    }

    protected static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
