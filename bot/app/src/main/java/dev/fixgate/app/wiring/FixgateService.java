package dev.fixgate.app.wiring;

import dev.fixgate.app.audit.AuditAnchorJobHandler;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.chatops.ChatOps;
import dev.fixgate.app.chatops.ChatOpsServices;
import dev.fixgate.app.chatops.Dashboards;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.deliver.DeliveryJobHandler;
import dev.fixgate.app.deliver.OpenCapWaiters;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.deliver.RepositoryLocks;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.GitHubTeams;
import dev.fixgate.app.github.PreAuthBytes;
import dev.fixgate.app.github.WebhookDispatcher;
import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.group.PullJobHandler;
import dev.fixgate.app.jobs.JobWorkers;
import dev.fixgate.app.jobs.JobWorkersBuilder;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.locate.ScanCache;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.merge.MergeHandler;
import dev.fixgate.app.pipeline.InstalledRepositories;
import dev.fixgate.app.pipeline.ObjectStores;
import dev.fixgate.app.pipeline.ReassessJobHandler;
import dev.fixgate.app.pipeline.RemediateJobHandler;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.app.store.EvidenceStore;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerificationStore;
import dev.fixgate.app.store.VerifyStore;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.verify.CodeCheck;
import dev.fixgate.app.verify.GuardrailRequests;
import dev.fixgate.app.verify.Recurrences;
import dev.fixgate.app.verify.Verifier;
import dev.fixgate.app.verify.VerifyHandler;
import dev.fixgate.app.verify.VerifyJobHandler;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.app.web.FindingsEndpoint;
import dev.fixgate.app.web.WebServer;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.intake.FindingSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * fixgate as a GitHub App: the job workers with every handler registered, the webhook receiver, the findings
 * API and the web server's routes, assembled once from configuration. {@code fixgate serve} and {@code fixgate demo}
 * both build it here — the demo only points it at a local GitHub, its own database and its bundled evidence — so
 * what the demo shows is what the service does.
 *
 * <p>Registered: the remediation job ({@link RemediateJobHandler}: initiative → located, planned, assessed, gated
 * and recorded fixes, honouring holds), the delivery job ({@link DeliveryJobHandler}: fix → pull request or issue),
 * merge's webhook handlers ({@link MergeHandler}: check_suite, check_run, status, pull_request_review), the slash
 * commands, check-run buttons and dashboard boxes ({@link ChatOps}: issue_comment, check_run, issues, pull_request,
 * push, installation, installation_repositories), the dashboard job ({@link Dashboards}), the re-assessment of open
 * remediations ({@link ReassessJobHandler}), verification after merge ({@link VerifyHandler}: pull_request merged,
 * deployment_status, workflow_run; {@link VerifyJobHandler}: the steps, drift, the deadline, recurrences), the pulls
 * {@code intake.pull} names ({@link PullJobHandler}, one job kind per source) and, when {@code audit.anchor} sets an
 * interval, the audit log's
 * anchoring ({@link AuditAnchorJobHandler}); other events are
 * marked IGNORED.
 */
public final class FixgateService implements AutoCloseable {

    private final JobWorkers workers;
    private final JobQueue queue;
    private final ServiceConfig.AuditAnchor anchor;
    private final Clock clock;
    private final StateSources states;
    private final Intake intake;
    private final WebServer.Routes routes;
    private final java.time.Duration reassessEvery;
    private final EvidenceSource evidence;
    private final List<FindingSource> pullSources;
    private final java.time.Duration pullEvery;

    private FixgateService(Builder b) {
        Database db = b.database;
        AuditLog audit = new AuditLog(db);
        RemediationStore remediations = new RemediationStore(db);
        JobQueue queue = new JobQueue(db);
        this.queue = queue;
        this.anchor = b.anchor;
        this.clock = b.clock;
        WebhookDeliveries deliveries = new WebhookDeliveries(db);
        WebhookDispatcher.Builder events = WebhookDispatcher.builder(deliveries, b.clock).completingJobsIn(queue);
        JobWorkersBuilder jobs = JobWorkers.builder(queue).settings(b.workerSettings).clock(b.clock).metrics(b.metrics);
        RepositoryLocks locks = Wiring.repositoryLocks(db, b.clock);

        ChatOpsStore chatopsStore = new ChatOpsStore(db);
        InitiativeStore initiatives = new InitiativeStore(db);
        Dashboards dashboards = new Dashboards(b.clients, chatopsStore, remediations, queue, b.clock);
        GitHubTeams people = new GitHubTeams(b.clients);
        this.states = Wiring.stateSources(b.terraformState);
        VerifyStore verifyStore = new VerifyStore(db);
        // git objects kept between jobs on this replica's disk: after a push, only the changed trees are fetched
        InstalledRepositories repositories = new InstalledRepositories(b.clients, ScanCache.defaults(),
                ObjectStores.under(b.workDir.resolve("git-objects")));
        jobs.register(new RemediateJobHandler(repositories, initiatives,
                new FindingStore(db), remediations, queue, Wiring.remediation(b.gate, states),
                Optional.of(Wiring.recorder(db, b.clock)), b.evidence, b.workDir, b.clock,
                RemediateJobHandler.DEFAULT_MAX_REPOSITORIES, report -> {
                    report.searched().forEach(r -> dashboards.refresh(r.fullName(), r.installationId()));
                    // the initiative changed: its fixes under verification look again, recurrences are escalated
                    VerifyJobHandler.enqueueInitiative(queue, report.initiative(), b.clock.instant());
                    b.onRemediated.accept(report);
                }, locks).withChatOps(chatopsStore).withRciHistory(new EvidenceStore(db)).withVerification(verifyStore));
        PullRequestDelivery pullRequests = new PullRequestDelivery(b.clock, b.clients.tokens()::token,
                people::requestReviewers, locks).withBranchOverrides(chatopsStore::mayOverwrite);
        jobs.register(new DeliveryJobHandler(b.clients, pullRequests, audit,
                b.clock, b.onDelivered, Optional.of(remediations))
                .afterDelivery(p -> dashboards.refresh(p.repository(), p.installationId())));
        // guardrail pull requests go through the same delivery as fixes (GuardrailJobHandler.enqueue queues them)
        jobs.register(Wiring.guardrails(b.clients, pullRequests, audit, b.clock));
        MergeHandler merges = new MergeHandler(b.clients, b.appId, b.botLogin, b.clock, true, audit,
                Optional.of(remediations), Optional.of(chatopsStore));
        merges.register(events);
        jobs.register(dashboards);
        java.util.concurrent.atomic.AtomicReference<JobWorkers> built = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable wake = () -> {
            JobWorkers w = built.get();
            if (w != null) {
                w.wake();
            }
        };
        FindingStore findingStore = new FindingStore(db);
        Verifier verifier = new Verifier(b.clients, b.appId, b.botLogin, remediations, findingStore,
                new VerificationStore(db), verifyStore, Wiring.catalog(), b.evidence, new CodeCheck(new Detector()), audit,
                b.clock).onChange(dashboards::refresh);
        dashboards.withVerification(verifyStore);
        Recurrences recurrences = new Recurrences(b.clients, b.botLogin, remediations, findingStore, verifyStore,
                Wiring.catalog(), b.guardrails.orElseGet(() -> Wiring.guardrailRequests(queue, audit, b.botLogin, b.clock, wake)), audit,
                b.clock);
        jobs.register(new VerifyJobHandler(verifier, recurrences, verifyStore, remediations, queue, wake));
        new VerifyHandler(b.clients, remediations, verifyStore, queue, b.clock, wake).register(events);
        // a fixgate pull request closed: deliveries of its repository waiting for the open cap run now
        new OpenCapWaiters(queue, b.clock, wake).register(events);
        // one intake for the findings API and the pulls: both queue remediations and wake the workers
        this.intake = Wiring.intake(db, b.clock, id -> {
            // a finding is new or reopened: recurrences of verified fixes are looked for
            VerifyJobHandler.enqueueInitiative(queue, id, b.clock.instant());
            b.onQueued.accept(id);
            wake.run();
        }, fp -> {
            // the source reports a finding gone: its merged fixes not verified yet look again now
            for (RemediationStore.Remediation r : remediations.covering(fp)) {
                if (verifyStore.find(r.id()).filter(t -> t.state() != VerifyStore.State.VERIFIED).isPresent()) {
                    VerifyJobHandler.enqueue(queue, r.id(), b.clock.instant(), "resolved-" + fp.value().substring(0, 12));
                    wake.run();
                }
            }
        });
        for (FindingSource source : b.pullSources) {
            jobs.register(Wiring.pull(source, intake, db, b.pullEvery, b.clock));
        }
        this.pullSources = List.copyOf(b.pullSources);
        this.pullEvery = b.pullEvery;
        if (!b.reassessEvery.isZero()) {
            jobs.register(new ReassessJobHandler(remediations, initiatives, queue, b.reassessEvery, b.clock,
                    () -> built.get().wake()));
        }
        ChatOpsServices chatops = new ChatOpsServices(b.clients, people, chatopsStore, remediations, new DecisionStore(db),
                new dev.fixgate.app.store.ExceptionStore(db),
                initiatives, queue, audit, merges, dashboards, b.clock, slug(b.botLogin), b.botLogin);
        new ChatOps(chatops, Wiring.commands(slug(b.botLogin))).register(events);
        jobs.register(events.build());
        if (anchorsOnSchedule(b.anchor)) {
            jobs.register(new AuditAnchorJobHandler(Wiring.auditAnchors(b.anchor, db, b.clock), queue, b.anchor.interval(),
                    b.clock));
        }
        this.workers = jobs.build();
        built.set(workers);
        this.reassessEvery = b.reassessEvery;
        this.evidence = b.evidence;
        dashboards.onQueued(workers::wake);

        WebhookReceiver receiver = new WebhookReceiver(b.webhookSecret, deliveries, b.clock,
                WebhookReceiver.DEFAULT_MAX_ATTEMPTS, workers::wake, b.maxWebhookBytes,
                new PreAuthBytes(Math.max(WebhookReceiver.DEFAULT_PRE_AUTH_BYTES, b.maxWebhookBytes)));
        FindingsEndpoint findings = new FindingsEndpoint(() -> intake, b.apiTokens, b.maxRequestBytes);
        this.routes = new WebServer.Routes(db, receiver, findings, b.metrics, b.maxWebhookBytes, workers::running,
                workers::live);
    }

    /** The App's slug from its bot user ({@code fixgate[bot]} → {@code fixgate}): how comments address it. */
    static String slug(String botLogin) {
        return botLogin.endsWith("[bot]") ? botLogin.substring(0, botLogin.length() - "[bot]".length()) : botLogin;
    }

    /**
     * The service as {@code config} sets it up: its gate, API tokens, request limits and worker count. Still
     * needed: {@link Builder#github}.
     */
    public static Builder from(ServiceConfig config, Database database, Clock clock) {
        return new Builder(database, clock).gate(config.gate()).auditAnchor(config.auditAnchor())
                .terraformState(config.terraformState())
                .evidence(Wiring.evidence(config.evidence(), database, clock))
                .reassessEvery(config.evidence().reassessEvery())
                .pull(Wiring.findingSources(config.pull(), config.evidence(), clock), config.pull().every()).api(config.apiTokens(), config.limits().maxRequestBytes(),
                config.limits().maxWebhookBytes()).workers(WorkerSettings.defaults(config.limits().workerThreads()));
    }

    /**
     * Starts the job workers, the re-assessment schedule ({@code evidence.reassess_every_minutes}) and the audit log's
     * anchoring schedule when {@code audit.anchor} sets an interval; the web server is started by the caller on
     * {@link #routes()}.
     */
    public FixgateService start() {
        if (!reassessEvery.isZero()) {
            ReassessJobHandler.schedule(queue, reassessEvery, clock.instant());
        }
        if (anchorsOnSchedule(anchor)) {
            AuditAnchorJobHandler.schedule(queue, anchor.interval(), clock.instant());
        }
        for (FindingSource source : pullSources) {
            // the first pull at once; each pull queues the next slot's
            PullJobHandler.scheduleNow(queue, PullJobHandler.kind(source), pullEvery, clock.instant());
        }
        workers.start();
        return this;
    }

    private static boolean anchorsOnSchedule(ServiceConfig.AuditAnchor anchor) {
        return anchor.configured() && !anchor.interval().isZero();
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
        states.close();
        for (FindingSource source : pullSources) {
            if (source instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not close the pull source " + source.id(), e);
                }
            }
        }
        if (evidence instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the evidence collectors", e);
            }
        }
    }

    /** Everything the service is made of that is not in {@code fixgate.yml}. */
    public static final class Builder {
        private final Database database;
        private final Clock clock;
        private ServiceConfig.Gate gate;
        private ServiceConfig.AuditAnchor anchor = ServiceConfig.AuditAnchor.none();
        private ServiceConfig.TerraformState terraformState = ServiceConfig.TerraformState.defaults();
        private GitHubClients clients;
        private long appId;
        private String botLogin;
        private Secret webhookSecret;
        private Path workDir;
        private EvidenceSource evidence = EvidenceSource.none();
        private java.time.Duration reassessEvery = java.time.Duration.ZERO;
        private List<FindingSource> pullSources = List.of();
        private java.time.Duration pullEvery = java.time.Duration.ofHours(1);
        private WorkerSettings workerSettings = WorkerSettings.defaults(2);
        private PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private List<ServiceConfig.ApiToken> apiTokens = List.of();
        private long maxRequestBytes = 25L << 20;
        private long maxWebhookBytes = 25L << 20;
        private Consumer<RemediateJobHandler.Report> onRemediated = r -> { };
        private Consumer<PullRequestDelivery.Outcome> onDelivered = o -> { };
        private Consumer<InitiativeId> onQueued = id -> { };
        private Optional<GuardrailRequests> guardrails = Optional.empty();

        private Builder(Database database, Clock clock) {
            this.database = Objects.requireNonNull(database, "database");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** The gate's configuration (policies, OPA, reasoning): required, so no caller gets a default gate by accident. */
        public Builder gate(ServiceConfig.Gate gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /** Where and how often the audit log is anchored (none by default). */
        public Builder auditAnchor(ServiceConfig.AuditAnchor anchor) {
            this.anchor = Objects.requireNonNull(anchor, "anchor");
            return this;
        }

        /** How locate reads Terraform state (local files; S3 backends unless turned off). */
        public Builder terraformState(ServiceConfig.TerraformState settings) {
            this.terraformState = Objects.requireNonNull(settings, "settings");
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
        public Builder evidence(EvidenceSource evidence) {
            this.evidence = Objects.requireNonNull(evidence, "evidence");
            return this;
        }

        /** How often open remediations are re-assessed ({@link ReassessJobHandler}); zero (the default) never. */
        public Builder reassessEvery(java.time.Duration every) {
            if (every.isNegative()) {
                throw new IllegalArgumentException("the re-assessment period cannot be negative");
            }
            this.reassessEvery = every;
            return this;
        }

        /**
         * The clouds' own findings pulled on a schedule ({@code intake.pull}): each source's job runs every {@code every}
         * and at start; none by default.
         */
        public Builder pull(List<FindingSource> sources, java.time.Duration every) {
            if (!sources.isEmpty() && (every.isZero() || every.isNegative())) {
                throw new IllegalArgumentException("the pull period must be positive");
            }
            this.pullSources = List.copyOf(sources);
            this.pullEvery = Objects.requireNonNull(every, "every");
            return this;
        }

        public Builder workers(WorkerSettings settings) {
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

        /**
         * Where recurrences' guardrail requests go (the prevent stage's delivery); by default they are recorded in the
         * audit log ({@link GuardrailRequests#recorded}).
         */
        public Builder guardrails(GuardrailRequests requests) {
            this.guardrails = Optional.of(requests);
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
