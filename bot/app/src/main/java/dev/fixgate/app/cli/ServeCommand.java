package dev.fixgate.app.cli;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.ConfigProblem;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.deliver.DeliveryJobHandler;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.deliver.InstalledRepositories;
import dev.fixgate.app.deliver.RemediateJobHandler;
import dev.fixgate.app.assess.EvidenceIndex;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.playbooks.PlaybookCatalog;
import java.util.Optional;
import dev.fixgate.app.merge.MergeHandler;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.github.WebhookDispatcher;
import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.jobs.JobWorkers;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.web.FindingsEndpoint;
import dev.fixgate.app.web.WebServer;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fixgate serve}: the GitHub App. Webhooks are verified and queued by the HTTP endpoint and run by the job
 * workers; this is where job handlers and webhook event handlers are registered ({@link #register}).
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
        GitHubClients clients = new GitHubClients(github.apiUrl(), credentials(config), ctx.clock(),
                RateLimitPolicy.defaults(ctx.clock()));
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);

        WebhookDeliveries deliveries = new WebhookDeliveries(ctx.database());
        WebhookDispatcher.Builder events = WebhookDispatcher.builder(deliveries, ctx.clock());
        JobWorkers.Builder jobs = JobWorkers.builder(new JobQueue(ctx.database()))
                .settings(JobWorkers.Settings.defaults(config.limits().workerThreads()))
                .clock(ctx.clock()).metrics(metrics);
        register(ctx, clients, events, jobs);
        jobs.register(events.build());

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
        try (JobWorkers workers = jobs.build().start()) {
            WebhookReceiver receiver = new WebhookReceiver(github.webhookSecret(), deliveries, ctx.clock(),
                    WebhookReceiver.DEFAULT_MAX_ATTEMPTS, workers::wake);
            FindingsEndpoint findings = new FindingsEndpoint(() -> Services.intake(ctx), config.apiTokens(),
                    config.limits().maxRequestBytes());
            try (WebServer server = WebServer.start(host, listen, new WebServer.Routes(ctx.database(), receiver,
                    findings, metrics, config.limits().maxWebhookBytes(), workers::running))) {
                ctx.out().println("fixgate " + Versions.current() + " serving on http://" + host + ":" + server.port()
                        + " (webhooks at " + WebServer.WEBHOOK_PATH + ", findings API at " + FindingsEndpoint.PATH
                        + ", " + config.limits().workerThreads() + " job workers, state in " + ctx.home().dir() + ")");
                stop.await();
            }
        } finally {
            stopped.countDown();
        }
        return ExitCodes.OK;
    }

    /**
     * Where the stages plug in: register a {@link dev.fixgate.app.jobs.JobHandler} per job kind on {@code jobs},
     * and webhook event handlers on {@code events} ({@code events.on("pull_request", ...)}); use {@code clients}
     * for installation-authenticated GitHub calls; events nobody handles are marked IGNORED. Registered: deliver's
     * {@link RemediateJobHandler} (initiative → located, gated, planned fixes), {@link DeliveryJobHandler} (fix →
     * pull request or issue) and merge's {@link MergeHandler} (check_suite, check_run, status, pull_request_review).
     */
    private static void register(AppContext ctx, GitHubClients clients, WebhookDispatcher.Builder events,
                                 JobWorkers.Builder jobs) {
        AuditLog audit = new AuditLog(ctx.database());
        RemediationStore remediations = new RemediationStore(ctx.database());
        // No evidence collector runs in serve yet: with an empty index every playbook whose SAFE rating needs
        // evidence stays RISKY (missing evidence is not good news).
        jobs.register(new RemediateJobHandler(new InstalledRepositories(clients), new InitiativeStore(ctx.database()),
                new FindingStore(ctx.database()), remediations, new JobQueue(ctx.database()), PlaybookCatalog.builtIn(),
                () -> new EvidenceIndex(List.of()), ctx.home().dir().resolve("work"), ctx.clock(),
                RemediateJobHandler.DEFAULT_MAX_REPOSITORIES, report -> { }));
        PullRequestDelivery delivery = new PullRequestDelivery(ctx.clock(), clients.tokens()::token);
        jobs.register(new DeliveryJobHandler(clients, delivery, audit, ctx.clock(), outcome -> { },
                Optional.of(remediations)));
        long appId = ctx.config().requireGithubApp().appId();
        new MergeHandler(clients, appId, botLogin(clients), ctx.clock(), true, audit, Optional.of(remediations))
                .register(events);
    }

    /** The App's bot user, {@code <slug>[bot]}; its own reviews never count as approvals. */
    private static String botLogin(GitHubClients clients) {
        try {
            return clients.app().getApp().getSlug() + "[bot]";
        } catch (java.io.IOException e) {
            return "fixgate[bot]";
        }
    }

    /** The App's credentials; a key that cannot be read is a configuration error (exit 2), named without its content. */
    private static GitHubAppCredentials credentials(ServiceConfig config) {
        try {
            return GitHubAppCredentials.of(config.github().appId(), config.github().privateKeyPem());
        } catch (FixgateException e) {
            throw new ConfigException(List.of(new ConfigProblem("config.invalid-value", SourceLocation.of(config.source()),
                    "/github/private_key_file", e.getMessage())));
        }
    }
}
