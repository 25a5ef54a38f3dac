package dev.fixgate.bench.intake;

import io.javalin.Javalin;
import java.io.InputStream;

/**
 * The ceiling of {@link WebhookIntakeBench}: the same HTTP server as serve (Javalin on Jetty, in a JVM of its own
 * with the same heap) answering every {@code POST /webhooks/github} 202 after reading its body, and doing nothing else —
 * no signature, no JSON, no database. What the clients and the HTTP stack alone reach on this machine.
 */
public final class NullIntake {

    private static final byte[] QUEUED = "{\"status\":\"queued\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public static void main(String[] args) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = 25L << 20;
            config.routes.post("/webhooks/github", ctx -> {
                byte[] sink = new byte[16 * 1024];
                try (InputStream in = ctx.bodyInputStream()) {
                    while (in.read(sink) >= 0) {
                        // drop it
                    }
                }
                ctx.status(202).contentType("application/json").result(QUEUED);
            });
        });
        app.start("127.0.0.1", 0);
        System.out.println("serving on http://127.0.0.1:" + app.port());
    }

    private NullIntake() {
    }
}
