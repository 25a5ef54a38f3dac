package dev.fixgate.app.wiring;

import dev.fixgate.app.audit.AuditAnchors;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.chatops.ApproveCommand;
import dev.fixgate.app.chatops.ChatCommand;
import dev.fixgate.app.chatops.ChatOps;
import dev.fixgate.app.chatops.CommandRunner;
import dev.fixgate.app.chatops.ExplainCommand;
import dev.fixgate.app.chatops.HelpCommand;
import dev.fixgate.app.chatops.IgnoreCommand;
import dev.fixgate.app.chatops.RebaseCommand;
import dev.fixgate.app.chatops.RecreateCommand;
import dev.fixgate.app.chatops.RejectCommand;
import dev.fixgate.app.chatops.RescanCommand;
import dev.fixgate.app.chatops.RevertCommand;
import dev.fixgate.app.chatops.SnoozeCommand;
import dev.fixgate.app.chatops.StatusCommand;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.ConfigProblem;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.enrich.AccountEnvironments;
import dev.fixgate.app.enrich.CollectedEvidence;
import dev.fixgate.app.gate.DecisionRecorder;
import dev.fixgate.app.gate.Gatekeeper;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.group.PullJobHandler;
import dev.fixgate.app.ingest.ParserRegistry;
import dev.fixgate.app.locate.S3StateReader;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.pipeline.RemediateJobHandler;
import dev.fixgate.app.pipeline.Remediation;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.prevent.guardrail.GuardrailDelivery;
import dev.fixgate.app.prevent.guardrail.GuardrailJobHandler;
import dev.fixgate.app.prevent.guardrail.GuardrailRenderer;
import dev.fixgate.app.deliver.RepositoryLocks;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.NamedLocks;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.app.store.EvidenceStore;
import dev.fixgate.app.store.ExceptionStore;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.PullCursors;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.policy.CelPolicyEngine;
import dev.fixgate.policy.ContextRules;
import dev.fixgate.policy.LlmReasoner;
import dev.fixgate.policy.OpaPolicyEngine;
import dev.fixgate.policy.PolicyLayer;
import dev.fixgate.policy.PolicySet;
import dev.fixgate.policy.ReasoningLayer;
import dev.fixgate.policy.ReasoningSettings;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceProvider;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.intake.FindingSource;
import dev.fixgate.spi.intake.FindingSourceProvider;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The one place that builds fixgate's objects from configuration. {@code serve}, the demo, {@code assess},
 * {@code plan} and {@code ingest} all assemble here, so a change of {@code fixgate.yml} means the same thing to
 * every command: the gate is always {@link #gate} of the configuration's {@code gate} settings (built-in and user
 * policies, OPA, the reasoning model), never a default picked somewhere else. The service's object graph (job
 * handlers, webhook handlers, workers, endpoints) is {@link FixgateService}.
 */
public final class Wiring {

    private static final ParserRegistry PARSERS = ParserRegistry.discover();
    private static final ControlCatalog CONTROLS = ControlCatalog.builtIn();
    private static final PlaybookCatalog CATALOG = PlaybookCatalog.builtIn();

    private Wiring() {
    }

    /** Every finding format on the class path. */
    public static ParserRegistry parsers() {
        return PARSERS;
    }

    /** The canonical control catalog (data owned by the playbooks module), loaded once. */
    public static ControlResolver controls() {
        return CONTROLS;
    }

    /** The built-in playbook catalog, loaded once. */
    public static PlaybookCatalog catalog() {
        return CATALOG;
    }

    /**
     * The gate as the configuration sets it: built-in plus user policies (CEL), OPA when configured, the context
     * rules, and the reasoning model when configured.
     *
     * @throws dev.fixgate.policy.PolicyException when a user policy is invalid (better not to start than to run
     *         without it)
     */
    public static RemediationSafety gate(ServiceConfig.Gate gate) {
        List<PolicyLayer> policies = new ArrayList<>();
        policies.add(new CelPolicyEngine(PolicySet.builtInPlus(gate.policyDirectories())));
        if (gate.opa().configured()) {
            policies.add(new OpaPolicyEngine(URI.create(gate.opa().url()), gate.opa().path(), gate.opa().timeout()));
        }
        List<ReasoningLayer> reasoners = new ArrayList<>();
        reasoners.add(new ContextRules());
        ServiceConfig.Reasoning r = gate.reasoning();
        if (r.configured()) {
            reasoners.add(LlmReasoner.of(new ReasoningSettings(ReasoningSettings.Provider.of(r.provider()),
                    URI.create(r.baseUrl()), r.model(), r.apiKey().reveal(), r.timeout())));
        }
        return new RemediationSafety(new Gatekeeper(policies, reasoners));
    }

    /**
     * The remediation chain (select → locate → plan → assess → gate) with the configured gate, locating through the
     * Terraform state {@code states} reads.
     */
    public static Remediation remediation(ServiceConfig.Gate gate, StateSources states) {
        return new Remediation(Remediation.Stages.standard(CATALOG, Planner.standard(), gate(gate), states));
    }

    /**
     * Where locate reads Terraform state: local state files always; S3 backends through {@link S3StateReader} unless
     * {@code terraform_state.s3.enabled} is false — the SDK's default credentials, the configured region, endpoint
     * override and path style, the JDK's HTTP client, and a time budget per download. Close it when done.
     */
    public static StateSources stateSources(ServiceConfig.TerraformState settings) {
        if (!settings.s3Enabled()) {
            return new StateSources(Optional.empty(), settings.maxBytes());
        }
        return new StateSources(Optional.of(new S3StateReader(region -> s3(settings, region), settings.s3Region())),
                settings.maxBytes());
    }

    private static S3Client s3(ServiceConfig.TerraformState settings, String region) {
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(settings.s3Timeout()).build())
                .overrideConfiguration(c -> c.apiCallTimeout(settings.s3Timeout()))
                .forcePathStyle(settings.s3PathStyle());
        if (!settings.s3Endpoint().isEmpty()) {
            b.endpointOverride(URI.create(settings.s3Endpoint()));
        }
        return b.build();
    }

    /** The guardrail job: renders the catalog's guardrails and proposes them through {@code delivery}. */
    public static GuardrailJobHandler guardrails(GitHubClients clients, PullRequestDelivery delivery, AuditLog audit,
                                                 Clock clock) {
        return new GuardrailJobHandler(clients, new GuardrailDelivery(delivery, new GuardrailRenderer(CATALOG)), audit,
                clock);
    }

    /**
     * Where the verify stage's recurrences send their guardrail requests: recorded in the audit log, and queued as a
     * {@code fixgate.guardrail} job — a guardrail pull request into the repository {@code guardrails:} names, on the
     * targets it lists (or the repository's accounts), gated RISKY. A repository without {@code guardrails:} gets
     * the audit entry only (the job finds nothing configured).
     */
    public static dev.fixgate.app.verify.GuardrailRequests guardrailRequests(JobQueue queue, AuditLog audit, String actor,
                                                                            Clock clock, Runnable wake) {
        dev.fixgate.app.verify.GuardrailRequests recorded = dev.fixgate.app.verify.GuardrailRequests.recorded(audit, actor);
        return r -> {
            recorded.request(r);
            GuardrailJobHandler.enqueue(queue, new dev.fixgate.app.prevent.guardrail.GuardrailRequest(r.installationId(),
                    r.repo(), r.playbookId(), List.of(), List.of(), r.reason()), clock.instant());
            wake.run();
        };
    }

    /** GitHub clients for the App {@code config} names (its key read and checked here). */
    public static GitHubClients gitHub(ServiceConfig config, Clock clock) {
        ServiceConfig.Github github = config.requireGithubApp();
        GitHubAppCredentials credentials;
        try {
            credentials = GitHubAppCredentials.of(github.appId(), github.privateKeyPem());
        } catch (FixgateException e) {
            // a key that cannot be read is a configuration error (exit 2), named without its content
            throw new ConfigException(List.of(new ConfigProblem("config.invalid-value", SourceLocation.of(config.source()),
                    "/github/private_key_file", e.getMessage())));
        }
        return new GitHubClients(github.apiUrl(), credentials, clock, RateLimitPolicy.defaults(clock));
    }

    /** The App's bot user, {@code <slug>[bot]}: its own reviews never count as approvals. */
    public static String botLogin(GitHubClients clients) {
        try {
            return clients.app().getApp().getSlug() + "[bot]";
        } catch (IOException e) {
            return "fixgate[bot]";
        }
    }

    /**
     * Every slash command's runner — the one place they are registered. {@code help} is generated from their
     * declarations.
     */
    public static List<CommandRunner> commands(String slug) {
        List<CommandRunner> runners = new ArrayList<>(List.of(new ApproveCommand(), new RejectCommand(),
                new ExplainCommand(), new RescanCommand(), new SnoozeCommand(), new IgnoreCommand(), new RebaseCommand(),
                new RecreateCommand(), new RevertCommand(), new StatusCommand()));
        List<ChatCommand> declarations = new ArrayList<>(runners.stream().map(CommandRunner::declaration).toList());
        declarations.add(HelpCommand.class.getAnnotation(ChatCommand.class));
        runners.add(new HelpCommand(ChatOps.help(slug, declarations)));
        return List.copyOf(runners);
    }

    /** The audit log's anchoring as {@code audit.anchor} configures it (the repository, the signing key). */
    public static AuditAnchors auditAnchors(ServiceConfig.AuditAnchor config, Database db, Clock clock) {
        return new AuditAnchors(config, new AuditLog(db), clock);
    }

    /** How long a job waits for a repository lock another worker holds before it is put back to wait. */
    static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(30);

    /**
     * Per-repository locks shared by every fixgate process on {@code db} ({@code named_locks} rows with a lease timed
     * by the database's clock): what makes caps and "one remediation run per repository" hold across replicas. A
     * lock held elsewhere for longer than {@link #LOCK_WAIT} puts the job back to wait without using an attempt.
     */
    public static RepositoryLocks repositoryLocks(Database db, Clock clock) {
        String owner = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "fixgate") + ":" + ProcessHandle.current().pid();
        NamedLocks named = new NamedLocks(db, owner);
        return (purpose, repository) -> {
            Optional<NamedLocks.Held> held = named.acquire(purpose + ":" + repository, LOCK_WAIT);
            if (held.isEmpty()) {
                throw RepositoryLocks.busy(purpose, repository, clock.instant());
            }
            return held.get()::close;
        };
    }

    /** Records every decision in {@code gate_decisions} and the audit log, and risk acceptances. */
    public static DecisionRecorder recorder(Database db, Clock clock) {
        return new DecisionRecorder(new DecisionStore(db), new ExceptionStore(db), new AuditLog(db), clock);
    }

    /**
     * Ingest that queues the remediation of every new or changed initiative (a running service picks it up);
     * {@code queued} is told about each after its job is queued (the service wakes its workers there).
     */
    public static Intake intake(Database db, Clock clock, Consumer<InitiativeId> queued) {
        return intake(db, clock, queued, fp -> { });
    }

    /**
     * As {@link #intake(Database, Clock, Consumer)}, telling {@code resolved} about each finding its source reports
     * gone (the verify stage looks at the fixes of it again).
     */
    public static Intake intake(Database db, Clock clock, Consumer<InitiativeId> queued,
                                Consumer<dev.fixgate.spi.finding.Fingerprint> resolved) {
        JobQueue queue = new JobQueue(db);
        InitiativeStore initiatives = new InitiativeStore(db);
        RemediationStore remediations = new RemediationStore(db);
        return new Intake(PARSERS, CONTROLS, new FindingStore(db), initiatives, new AuditLog(db), clock,
                ParseLimits.defaults())
                .onInitiativeChanged(id -> {
                    RemediateJobHandler.enqueue(queue, initiatives, id, clock.instant());
                    queued.accept(id);
                })
                .onSeenAgain(id -> {
                    // a finding reported again while its fix is open: read its evidence again (RCI may have moved)
                    if (remediations.forInitiative(id).stream().anyMatch(r -> r.status().open())) {
                        RemediateJobHandler.enqueue(queue, initiatives, id, clock.instant());
                        queued.accept(id);
                    }
                })
                .onResolved(resolved);
    }

    /** Every cloud's pull-source provider on the class path ({@code providers/azure}), by cloud. */
    public static Map<Cloud, FindingSourceProvider> findingSourceProviders() {
        Map<Cloud, FindingSourceProvider> out = new java.util.EnumMap<>(Cloud.class);
        ServiceLoader.load(FindingSourceProvider.class).forEach(p -> out.putIfAbsent(p.cloud(), p));
        return out;
    }

    /**
     * The pull sources {@code intake.pull} names, each reading its cloud's accounts with the endpoints, roles and
     * options of {@code clouds.<cloud>} (the same settings as that cloud's evidence collectors).
     */
    public static List<FindingSource> findingSources(ServiceConfig.Pull pull, ServiceConfig.Evidence config, Clock clock) {
        List<FindingSource> out = new ArrayList<>();
        Map<Cloud, FindingSourceProvider> providers = findingSourceProviders();
        for (String id : pull.sources()) {
            String name = id.substring(0, Math.max(0, id.indexOf('-')));
            ServiceConfig.CloudAccess access = config.clouds().get(name);
            FindingSourceProvider provider = providers.get(Cloud.valueOf(name.toUpperCase(Locale.ROOT)));
            if (access == null || provider == null) {
                throw new FixgateException("config.no-provider", "intake.pull names " + id + ", but "
                        + (access == null ? "clouds." + name + " is not configured" : "this build has no " + name
                        + " pull source on its class path"), SourceLocation.of("intake.pull"));
            }
            provider.sources(settings(access, config, clock)).stream().filter(s -> s.id().equals(id)).forEach(out::add);
        }
        return List.copyOf(out);
    }

    /** The pull of one source as a job ({@code fixgate.pull.<id>}), every {@code every}, through {@code intake}. */
    public static PullJobHandler pull(FindingSource source, Intake intake, Database db, Duration every, Clock clock) {
        return new PullJobHandler(source, intake, new PullCursors(db), new JobQueue(db), every, clock);
    }

    private static ProviderSettings settings(ServiceConfig.CloudAccess access, ServiceConfig.Evidence config, Clock clock) {
        return new ProviderSettings(access.endpoints(), access.accounts().stream()
                .map(a -> new ProviderSettings.AccountAccess(a.id(), a.role(), a.externalId())).toList(),
                access.regions(), config.budget(), clock, access.options());
    }

    /** Every cloud's evidence provider on the class path ({@code providers/aws|azure|gcp}), by cloud. */
    public static Map<Cloud, EvidenceProvider> evidenceProviders() {
        Map<Cloud, EvidenceProvider> out = new java.util.EnumMap<>(Cloud.class);
        ServiceLoader.load(EvidenceProvider.class).forEach(p -> out.putIfAbsent(p.cloud(), p));
        return out;
    }

    /**
     * The collectors of every cloud the configuration lists under {@code clouds} (a cloud not listed is not read),
     * configured with its regions, endpoints and accounts; plus the environments the configuration declares per
     * account, which answer first.
     */
    public static List<EvidenceCollector> collectors(ServiceConfig.Evidence config, Clock clock) {
        List<EvidenceCollector> out = new ArrayList<>();
        Map<Cloud, EvidenceProvider> providers = evidenceProviders();
        config.clouds().forEach((name, access) -> {
            Cloud cloud = Cloud.valueOf(name.toUpperCase(Locale.ROOT));
            Map<String, String> environments = new java.util.LinkedHashMap<>();
            access.accounts().stream().filter(a -> !a.environment().isEmpty())
                    .forEach(a -> environments.put(a.id(), a.environment()));
            if (!environments.isEmpty()) {
                out.add(new AccountEnvironments(cloud, environments, clock));
            }
            EvidenceProvider provider = providers.get(cloud);
            if (provider == null) {
                throw new FixgateException("config.no-provider", "clouds." + name + " is configured, but this build has "
                        + "no " + name + " evidence provider on its class path", SourceLocation.of("clouds." + name));
            }
            out.addAll(provider.collectors(settings(access, config, clock)));
        });
        return List.copyOf(out);
    }

    /**
     * Live evidence for the service: the configured clouds' collectors, their answers kept in the database (shared
     * by every replica) for {@code evidence.ttl_minutes}.
     */
    public static CollectedEvidence evidence(ServiceConfig.Evidence config, Database db, Clock clock) {
        return evidence(collectors(config, clock), Optional.of(new EvidenceStore(db)), config, clock);
    }

    public static CollectedEvidence evidence(List<EvidenceCollector> collectors, Optional<EvidenceStore> store,
                                             ServiceConfig.Evidence config, Clock clock) {
        return new CollectedEvidence(collectors, store, new CollectedEvidence.Settings(config.ttl(),
                config.unavailableTtl(), config.budget(), config.perCloud()), clock);
    }
}
