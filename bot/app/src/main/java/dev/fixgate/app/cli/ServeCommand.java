package dev.fixgate.app.cli;

import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.web.FindingsEndpoint;
import dev.fixgate.app.web.WebServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fixgate serve}: the GitHub App's HTTP endpoint. */
@Command(name = "serve", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Run the GitHub App: receive signed webhooks and pushed findings, expose /healthz and /metrics.",
                "Needs github.app_id, the App's private key and the webhook secret (fixgate.yml or FIXGATE_* env)."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Listen address (overrides server.bind).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", description = "Listen port (overrides server.port; 0 = any free port).")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        AppContext ctx = root.context();
        ServiceConfig config = ctx.config();
        ServiceConfig.Github github = config.requireGithubApp();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        // Event handlers arrive with the deliver/merge/chatops stages; until then deliveries are verified,
        // recorded and marked IGNORED.
        WebhookReceiver receiver = new WebhookReceiver(github.webhookSecret(), new WebhookDeliveries(ctx.database()),
                Map.of(), ctx.clock());
        String host = bind != null ? bind : config.server().bind();
        int listen = port != null ? port : config.server().port();
        CountDownLatch stopped = new CountDownLatch(1);
        FindingsEndpoint findings = new FindingsEndpoint(() -> Services.intake(ctx), config.apiTokens(),
                config.limits().maxRequestBytes());
        try (WebServer server = WebServer.start(host, listen,
                new WebServer.Routes(ctx.database(), receiver, findings, metrics, config.limits().maxWebhookBytes()))) {
            ctx.out().println("fixgate " + Versions.current() + " serving on http://" + host + ":" + server.port()
                    + " (webhooks at " + WebServer.WEBHOOK_PATH + ", findings API at " + FindingsEndpoint.PATH
                + ", state in " + ctx.home().dir() + ")");
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "fixgate-shutdown"));
            stopped.await();
        }
        return ExitCodes.OK;
    }
}
