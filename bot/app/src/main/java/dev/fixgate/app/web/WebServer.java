package dev.fixgate.app.web;

import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.Sql;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fixgate's HTTP surface: GitHub webhooks, the findings API, health and Prometheus metrics. Routes stay thin: they check sizes and
 * headers and delegate to objects that do not know about HTTP.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    public static final String WEBHOOK_PATH = "/webhooks/github";

    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    /** Wiring for {@link #start}: what the routes delegate to and the limits they enforce. */
    public record Routes(Database database, WebhookReceiver webhooks, FindingsEndpoint findings,
                         PrometheusMeterRegistry metrics, long maxWebhookBytes) {
    }

    public static WebServer start(String bind, int port, Routes routes) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = routes.maxWebhookBytes();
            config.routes.get("/healthz", ctx -> health(ctx, routes.database()));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(routes.metrics().scrape()));
            config.routes.post(WEBHOOK_PATH, ctx -> webhook(ctx, routes));
            config.routes.post(FindingsEndpoint.PATH, routes.findings()::handle);
        });
        app.start(bind, port);
        LOG.atInfo().setMessage("listening").addKeyValue("bind", bind).addKeyValue("port", app.port()).log();
        return new WebServer(app);
    }

    public int port() {
        return app.port();
    }

    private static void health(Context ctx, Database db) {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean up;
        try {
            up = db.withConnection(c -> Sql.queryOne(c, "SELECT 1", rs -> rs.getInt(1))).isPresent();
        } catch (RuntimeException e) {
            up = false;
        }
        body.put("status", up ? "ok" : "unavailable");
        body.put("database", up ? "ok" : "unreachable");
        json(ctx, up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
    }

    private static void webhook(Context ctx, Routes routes) {
        long declared = ctx.contentLength();
        if (declared > routes.maxWebhookBytes()) {
            count(routes, "too_large");
            json(ctx, HttpStatus.CONTENT_TOO_LARGE, Map.of("error", "payload larger than " + routes.maxWebhookBytes() + " bytes"));
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > routes.maxWebhookBytes()) {
            count(routes, "too_large");
            json(ctx, HttpStatus.CONTENT_TOO_LARGE, Map.of("error", "payload larger than " + routes.maxWebhookBytes() + " bytes"));
            return;
        }
        WebhookReceiver.Result result = routes.webhooks().receive(ctx.header("X-GitHub-Event"),
                ctx.header("X-GitHub-Delivery"), ctx.header("X-Hub-Signature-256"), body);
        count(routes, result.getClass().getSimpleName().toLowerCase(Locale.ROOT));
        json(ctx, HttpStatus.forStatus(result.status()), Map.of(
                result instanceof WebhookReceiver.Result.Rejected ? "error" : "status", result.message()));
    }

    private static void count(Routes routes, String outcome) {
        Counter.builder("fixgate_webhook_deliveries").description("webhook deliveries received, by outcome")
                .tag("outcome", outcome).register(routes.metrics()).increment();
    }

    static void json(Context ctx, HttpStatus status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    @Override
    public void close() {
        app.stop();
    }
}
