package dev.fixgate.app.wiring;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.ConfigProblem;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.gate.DecisionRecorder;
import dev.fixgate.app.gate.Gatekeeper;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.ingest.ParserRegistry;
import dev.fixgate.app.pipeline.RemediateJobHandler;
import dev.fixgate.app.pipeline.Remediation;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.deliver.RepositoryLocks;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.NamedLocks;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
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
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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

    /** The remediation chain (select → locate → plan → assess → gate) with the configured gate. */
    public static Remediation remediation(ServiceConfig.Gate gate) {
        return new Remediation(Remediation.Stages.standard(CATALOG, Planner.standard(), gate(gate)));
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

    /** Records every decision in {@code gate_decisions} and the audit log. */
    public static DecisionRecorder recorder(Database db, Clock clock) {
        return new DecisionRecorder(new DecisionStore(db), new AuditLog(db), clock);
    }

    /**
     * Ingest that queues the remediation of every new or changed initiative (a running service picks it up);
     * {@code queued} is told about each after its job is queued (the service wakes its workers there).
     */
    public static Intake intake(Database db, Clock clock, Consumer<InitiativeId> queued) {
        JobQueue queue = new JobQueue(db);
        InitiativeStore initiatives = new InitiativeStore(db);
        return new Intake(PARSERS, CONTROLS, new FindingStore(db), initiatives, new AuditLog(db), clock,
                ParseLimits.defaults())
                .onInitiativeChanged(id -> {
                    RemediateJobHandler.enqueue(queue, initiatives, id, clock.instant());
                    queued.accept(id);
                });
    }
}
