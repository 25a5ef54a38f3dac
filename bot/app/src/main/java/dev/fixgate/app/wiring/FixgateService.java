package dev.fixgate.app.wiring;

import dev.fixgate.app.assess.EvidenceIndex;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.deliver.DeliveryJobHandler;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.deliver.RepositoryLocks;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.GitHubTeams;
import dev.fixgate.app.github.PreAuthBytes;
import dev.fixgate.app.github.WebhookDispatcher;
import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.jobs.JobWorkers;
import dev.fixgate.app.merge.MergeHandler;
import dev.fixgate.app.pipeline.InstalledRepositories;
import dev.fixgate.app.pipeline.RemediateJobHandler;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.web.FindingsEndpoint;
import dev.fixgate.app.web.WebServer;
import dev.fixgate.spi.finding.InitiativeId;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * fixgate as a GitHub App: the job workers with every handler registered, the webhook receiver, the findings
 * API and the web server's routes, assembled once from configuration. {@code fixgate serve} and {@code fixgate demo}
 * both build it here — the demo only points it at a local GitHub, its own database and its bundled evidence — so
 * what the demo shows is what the service does.
 *
 * <p>Registered: the remediation job ({@link RemediateJobHandler}: initiative → located, planned, assessed, gated
 * and recorded fixes), the delivery job ({@link DeliveryJobHandler}: fix → pull request or issue) and merge's
 * webhook handlers ({@link MergeHandler}: check_suite, check_run, status, pull_request_review); other events are
 * marked IGNORED.
 */
public final class FixgateService implements AutoCloseable {

    private final JobWorkers workers;
    private final Intake intake;
    private final WebServer.Routes routes;

    private FixgateService(Builder b) {
        Database db = b.database;
        AuditLog audit = new AuditLog(db);
        RemediationStore remediations = new RemediationStore(db);
        JobQueue queue = new JobQueue(db);
        WebhookDeliveries deliveries = new WebhookDeliveries(db);
        WebhookDispatcher.Builder events = WebhookDispatcher.builder(deliveries, b.clock);
        JobWorkers.Builder jobs = JobWorkers.builder(queue).settings(b.workerSettings).clock(b.clock).metrics(b.metrics);
        RepositoryLocks locks = Wiring.repositoryLocks(db, b.clock);

        jobs.register(new RemediateJobHandler(new InstalledRepositories(b.clients), new InitiativeStore(db),
                new FindingStore(db), remediations, queue, Wiring.remediation(b.gate),
                Optional.of(Wiring.recorder(db, b.clock)), b.evidence, b.workDir, b.clock,
                RemediateJobHandler.DEFAULT_MAX_REPOSITORIES, b.onRemediated, locks));
        jobs.register(new DeliveryJobHandler(b.clients, new PullRequestDelivery(b.clock, b.clients.tokens()::token,
                new GitHubTeams(b.clients)::requestReviewers, locks), audit,
                b.clock, b.onDelivered, Optional.of(remediations)));
        new MergeHandler(b.clients, b.appId, b.botLogin, b.clock, true, audit, Optional.of(remediations)).register(events);
        jobs.register(events.build());
        this.workers = jobs.build();

        this.intake = Wiring.intake(db, b.clock, id -> {
            b.onQueued.accept(id);
            workers.wake();
        });
        WebhookReceiver receiver = new WebhookReceiver(b.webhookSecret, deliveries, b.clock,
                WebhookReceiver.DEFAULT_MAX_ATTEMPTS, workers::wake, b.maxWebhookBytes,
                new PreAuthBytes(Math.max(WebhookReceiver.DEFAULT_PRE_AUTH_BYTES, b.maxWebhookBytes)));
        FindingsEndpoint findings = new FindingsEndpoint(() -> intake, b.apiTokens, b.maxRequestBytes);
        this.routes = new WebServer.Routes(db, receiver, findings, b.metrics, b.maxWebhookBytes, workers::running,
                workers::live);
    }

    /**
     * The service as {@code config} sets it up: its gate, API tokens, request limits and worker count. Still
     * needed: {@link Builder#github}.
     */
    public static Builder from(ServiceConfig config, Database database, Clock clock) {
        return new Builder(database, clock).gate(config.gate()).api(config.apiTokens(), config.limits().maxRequestBytes(),
                config.limits().maxWebhookBytes()).workers(JobWorkers.Settings.defaults(config.limits().workerThreads()));
    }

    /** Starts the job workers; the web server is started by the caller on {@link #routes()}. */
    public FixgateService start() {
        workers.start();
        return this;
    }

    public JobWorkers workers() {
        return workers;
    }

    /** Ingest that queues a remediation for every new or changed initiative and wakes the workers. */
    public Intake intake() {
        return intake;
    }

    /** What the web server serves: webhooks, the findings API, health, readiness and metrics. */
    public WebServer.Routes routes() {
        return routes;
    }

    @Override
    public void close() {
        workers.close();
    }

    /** Everything the service is made of that is not in {@code fixgate.yml}. */
    public static final class Builder {
        private final Database database;
        private final Clock clock;
        private ServiceConfig.Gate gate;
        private GitHubClients clients;
        private long appId;
        private String botLogin;
        private Secret webhookSecret;
        private Path workDir;
        private Supplier<EvidenceIndex> evidence = EvidenceIndex::empty;
        private JobWorkers.Settings workerSettings = JobWorkers.Settings.defaults(2);
        private PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private List<ServiceConfig.ApiToken> apiTokens = List.of();
        private long maxRequestBytes = 25L << 20;
        private long maxWebhookBytes = 25L << 20;
        private Consumer<RemediateJobHandler.Report> onRemediated = r -> { };
        private Consumer<PullRequestDelivery.Outcome> onDelivered = o -> { };
        private Consumer<InitiativeId> onQueued = id -> { };

        private Builder(Database database, Clock clock) {
            this.database = Objects.requireNonNull(database, "database");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** The gate's configuration (policies, OPA, reasoning): required, so no caller gets a default gate by accident. */
        public Builder gate(ServiceConfig.Gate gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /**
         * The GitHub side: installation clients, the App's id (only its own check runs are trusted), its bot user
         * ({@code <slug>[bot]}, whose reviews never count) and the webhook secret.
         */
        public Builder github(GitHubClients clients, long appId, String botLogin, Secret webhookSecret) {
            this.clients = Objects.requireNonNull(clients, "clients");
            this.appId = appId;
            this.botLogin = Objects.requireNonNull(botLogin, "botLogin");
            this.webhookSecret = Objects.requireNonNull(webhookSecret, "webhookSecret");
            return this;
        }

        /** Where checkouts are made (each is deleted when its job ends). */
        public Builder workDir(Path dir) {
            this.workDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** What is known about cloud resources; none by default (fixes whose SAFE needs evidence stay RISKY). */
        public Builder evidence(Supplier<EvidenceIndex> evidence) {
            this.evidence = Objects.requireNonNull(evidence, "evidence");
            return this;
        }

        public Builder workers(JobWorkers.Settings settings) {
            this.workerSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder metrics(PrometheusMeterRegistry metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Bearer tokens of the findings API and the largest bodies accepted. */
        public Builder api(List<ServiceConfig.ApiToken> tokens, long maxRequestBytes, long maxWebhookBytes) {
            this.apiTokens = List.copyOf(tokens);
            this.maxRequestBytes = maxRequestBytes;
            this.maxWebhookBytes = maxWebhookBytes;
            return this;
        }

        /** Told about every finished remediation job (the demo narrates them). */
        public Builder onRemediated(Consumer<RemediateJobHandler.Report> listener) {
            this.onRemediated = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Told about every delivery. */
        public Builder onDelivered(Consumer<PullRequestDelivery.Outcome> listener) {
            this.onDelivered = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Told about every initiative whose remediation ingest queued. */
        public Builder onQueued(Consumer<InitiativeId> listener) {
            this.onQueued = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public FixgateService build() {
            if (gate == null) {
                throw new IllegalStateException("the gate's configuration is required");
            }
            if (clients == null) {
                throw new IllegalStateException("the GitHub side is required (github(...))");
            }
            if (workDir == null) {
                throw new IllegalStateException("a work directory is required");
            }
            return new FixgateService(this);
        }
    }
}
