package dev.fixgate.app.cli;

import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.web.FindingsEndpoint;
import dev.fixgate.app.web.WebServer;
import dev.fixgate.app.wiring.FixgateService;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.spi.error.FixgateException;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fixgate serve}: the GitHub App. Webhooks are verified and queued by the HTTP endpoint and run by the job
 * workers; the service is assembled by {@link FixgateService} from the configuration, as the demo's is.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Run the GitHub App: receive signed webhooks and pushed findings, run queued jobs, expose",
                "/healthz, /readyz and /metrics.",
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
        GitHubClients clients = Wiring.gitHub(config, ctx.clock());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        FixgateService service = FixgateService.from(config, ctx.database(), ctx.clock())
                .github(clients, github.appId(), Wiring.botLogin(clients), github.webhookSecret())
                .workDir(ctx.home().dir().resolve("work"))
                .metrics(metrics)
                .build();

        String host = bind != null ? bind : config.server().bind();
        int listen = port != null ? port : config.server().port();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // The JVM exits when its shutdown hooks return: this one waits until the server and the workers have
        // closed, so running jobs get their grace period on SIGTERM.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(45, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fixgate-shutdown"));
        // Listen first: a port in use is a configuration error, found before any worker runs. Webhooks accepted in
        // the moment before the workers start are queued, not lost.
        try (WebServer server = listen(host, listen, service);
             FixgateService running = service.start()) {
            ctx.out().println("fixgate " + Versions.current() + " serving on http://" + host + ":" + server.port()
                    + " (webhooks at " + WebServer.WEBHOOK_PATH + ", findings API at " + FindingsEndpoint.PATH
                    + ", " + config.limits().workerThreads() + " job workers, state in " + ctx.home().dir() + ")");
            stop.await();
        } finally {
            stopped.countDown();
        }
        return ExitCodes.OK;
    }

    private static WebServer listen(String host, int port, FixgateService service) {
        try {
            return WebServer.start(host, port, service.routes());
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof java.net.BindException || t instanceof java.net.UnknownHostException) {
                    throw new FixgateException("cli.listen", "cannot listen on " + host + ":" + port + ": "
                            + (t instanceof java.net.BindException ? "the address is in use or not available"
                            : "unknown host") + " (server.bind / server.port in fixgate.yml, or --bind / --port)");
                }
            }
            throw e;
        }
    }
}
