package dev.fixgate.app.web;

import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fixgate's HTTP surface: GitHub webhooks, the findings API, liveness ({@code /healthz}), readiness
 * ({@code /readyz}) and Prometheus metrics. Routes stay thin: they check sizes and
 * headers and delegate to objects that do not know about HTTP.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    public static final String WEBHOOK_PATH = "/webhooks/github";

    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    /**
     * Wiring for {@link #start}: what the routes delegate to and the limits they enforce.
     *
     * @param workersRunning whether the job workers are running ({@code /readyz} is 503 when they are not)
     * @param workersLive    whether the job workers can run at all ({@code /healthz} is 503 when they cannot, so
     *                       an orchestrator restarts the process)
     */
    public record Routes(Database database, WebhookReceiver webhooks, FindingsEndpoint findings,
                         PrometheusMeterRegistry metrics, long maxWebhookBytes, BooleanSupplier workersRunning,
                         BooleanSupplier workersLive) {

        /** Routes whose workers are always live (tests without a worker pool). */
        public Routes(Database database, WebhookReceiver webhooks, FindingsEndpoint findings,
                      PrometheusMeterRegistry metrics, long maxWebhookBytes, BooleanSupplier workersRunning) {
            this(database, webhooks, findings, metrics, maxWebhookBytes, workersRunning, () -> true);
        }
    }

    public static WebServer start(String bind, int port, Routes routes) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = routes.maxWebhookBytes();
            config.routes.get("/healthz", ctx -> health(ctx, routes));
            config.routes.get("/readyz", ctx -> ready(ctx, routes));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(routes.metrics().scrape()));
            Map<String, Counter> outcomes = new ConcurrentHashMap<>();
            config.routes.post(WEBHOOK_PATH, ctx -> webhook(ctx, routes, outcomes));
            config.routes.post(FindingsEndpoint.PATH, routes.findings()::handle);
        });
        app.start(bind, port);
        LOG.atInfo().setMessage("listening").addKeyValue("bind", bind).addKeyValue("port", app.port()).log();
        return new WebServer(app);
    }

    public int port() {
        return app.port();
    }

    /**
     * Liveness: the process serves HTTP and its job workers can run (the pool's supervisor is alive and keeps its
     * workers alive). The database is not checked, so an outage of it does not restart every replica; readiness
     * says so instead.
     */
    private static void health(Context ctx, Routes routes) {
        if (routes.workersLive().getAsBoolean()) {
            json(ctx, HttpStatus.OK, Map.of("status", "ok"));
        } else {
            json(ctx, HttpStatus.SERVICE_UNAVAILABLE, Map.of("status", "not live", "workers", "cannot run"));
        }
    }

    /** Readiness: the database is reachable and at this binary's schema, and the job workers are running. */
    private static void ready(Context ctx, Routes routes) {
        Optional<String> database = routes.database().notReady();
        boolean workers = routes.workersRunning().getAsBoolean();
        boolean ready = database.isEmpty() && workers;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not ready");
        body.put("database", database.orElse("ok"));
        body.put("workers", workers ? "running" : "not running");
        json(ctx, ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
    }

    /** The answer to every delivery stored and queued, written once. */
    private static final byte[] QUEUED = Json.write(Map.of("status", "queued")).getBytes(StandardCharsets.UTF_8);

    private static void webhook(Context ctx, Routes routes, Map<String, Counter> outcomes) {
        long limit = routes.maxWebhookBytes();
        long declared = ctx.contentLength();
        // The receiver refuses a missing or malformed signature header, then a Content-Length over the limit,
        // before reading a byte; otherwise it reads the body once, within the limit and the budget of unverified
        // bytes, and checks the signature as the bytes arrive.
        WebhookReceiver.Result result = routes.webhooks().receive(ctx.header("X-GitHub-Event"),
                ctx.header("X-GitHub-Delivery"), ctx.header("X-Hub-Signature-256"), ctx.bodyInputStream(), declared, limit);
        String outcome = switch (result) {
            case WebhookReceiver.Result.Accepted a -> "accepted";
            case WebhookReceiver.Result.Duplicate d -> "duplicate";
            case WebhookReceiver.Result.Rejected r -> r.status() == 413 ? "too_large" : "rejected_" + r.status();
        };
        outcomes.computeIfAbsent(outcome, o -> counter(routes, o)).increment();
        if (result instanceof WebhookReceiver.Result.Accepted a && a.message().equals("queued")) {
            ctx.status(HttpStatus.ACCEPTED).contentType("application/json").result(QUEUED);
            return;
        }
        json(ctx, HttpStatus.forStatus(result.status()), Map.of(
                result instanceof WebhookReceiver.Result.Rejected ? "error" : "status", result.message()));
        if (result instanceof WebhookReceiver.Result.Rejected r) {
            if (r.status() == 413) {
                discardBody(ctx, declared); // the documented 413 must reach the client
            } else {
                // Refused unread (no or malformed signature, no room for unverified bytes): read nothing more of
                // it, on this connection or later.
                ctx.header("Connection", "close");
            }
        }
    }

    /** How much of a refused body is read and thrown away (into a small buffer) so that the refusal reaches the client. */
    static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    /**
     * Reads and drops the rest of a body we refuse, so the refusal reaches the client: answering while it is still
     * sending makes the server close a socket with unread data, the kernel resets the connection, and the client
     * loses the 413 it was sent ("connection reset"). Draining costs no memory (a 16 KiB buffer), only bandwidth, and
     * is bounded: a body declared larger than {@link #DISCARD_LIMIT} is not drained, its connection just closes. A
     * client that sent {@code Expect: 100-continue} has not sent its body at all and never will: nothing is read.
     */
    static void discardBody(Context ctx, long declared) {
        ctx.header("Connection", "close");
        String expect = ctx.header("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue") || declared > DISCARD_LIMIT) {
            return;
        }
        byte[] sink = new byte[16 * 1024];
        long left = DISCARD_LIMIT;
        try {
            InputStream in = ctx.req().getInputStream();
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            LOG.atDebug().setMessage("refused body could not be drained").addKeyValue("reason", e.toString()).log();
        }
    }

    static void discardBody(Context ctx) {
        discardBody(ctx, ctx.contentLength());
    }

    private static void tooLarge(Context ctx, Routes routes) {
        count(routes, "too_large");
        json(ctx, HttpStatus.CONTENT_TOO_LARGE, Map.of("error", "payload larger than " + routes.maxWebhookBytes() + " bytes"));
    }

    private static void count(Routes routes, String outcome) {
        counter(routes, outcome).increment();
    }

    private static Counter counter(Routes routes, String outcome) {
        return Counter.builder("fixgate_webhook_deliveries").description("webhook deliveries received, by outcome")
                .tag("outcome", outcome).register(routes.metrics());
    }

    static void json(Context ctx, HttpStatus status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    @Override
    public void close() {
        app.stop();
    }
}
