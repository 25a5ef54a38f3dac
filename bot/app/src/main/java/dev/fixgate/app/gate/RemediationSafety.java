package dev.fixgate.app.gate;

import dev.fixgate.app.assess.BlastRadiusCalculator;
import dev.fixgate.app.assess.EvidenceIndex;
import dev.fixgate.app.assess.EvidenceKinds;
import dev.fixgate.app.assess.Environments;
import dev.fixgate.app.assess.Observation;
import dev.fixgate.app.assess.PatchState;
import dev.fixgate.app.assess.RciAssessor;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.policy.CelPolicyEngine;
import dev.fixgate.policy.ContextRules;
import dev.fixgate.policy.DecisionInput;
import dev.fixgate.policy.LlmReasoner;
import dev.fixgate.policy.OpaPolicyEngine;
import dev.fixgate.policy.PolicyLayer;
import dev.fixgate.policy.PolicySet;
import dev.fixgate.policy.ReasoningLayer;
import dev.fixgate.policy.ReasoningSettings;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assess and gate, for one resource of one initiative: the call the bot makes before it opens, merges or
 * escalates anything ({@link #decide}). It never throws: if anything fails — the assessment, a layer, building
 * the input — the decision is deny.
 */
public final class RemediationSafety {

    private static final Logger LOG = LoggerFactory.getLogger(RemediationSafety.class);

    /**
     * Everything known about one resource's fix.
     *
     * @param resourceId   ARN / native id the finding names, or the IaC address for code findings
     * @param resourceType as in code when found ({@code aws_s3_bucket}), else as the finding names it
     * @param address      the resource's IaC address; empty when it was not found in code
     * @param file         the file declaring it; empty when not found
     * @param module       every resource of its module or template (the blast radius graph)
     * @param patch        what the plan stage could do
     * @param diff         the plan's unified diff; empty when there is none
     * @param account      the cloud account, for account-wide incidents; may be empty
     */
    public record ResourceCase(InitiativeId initiative, Finding finding, Playbook playbook, String resourceId,
                               String resourceType, String address, String file, List<ModelResource> module,
                               PatchState patch, String diff, EvidenceIndex evidence, String account,
                               RepoConfig config, Instant now) {
        public ResourceCase {
            Objects.requireNonNull(initiative, "initiative");
            Objects.requireNonNull(finding, "finding");
            Objects.requireNonNull(playbook, "playbook");
            Objects.requireNonNull(resourceId, "resourceId");
            Objects.requireNonNull(resourceType, "resourceType");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(file, "file");
            module = List.copyOf(module);
            Objects.requireNonNull(patch, "patch");
            Objects.requireNonNull(diff, "diff");
            Objects.requireNonNull(evidence, "evidence");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(now, "now");
        }

        /** Every name the resource is known by, for evidence lookup. */
        public Set<String> names() {
            Set<String> names = new LinkedHashSet<>();
            names.add(resourceId);
            if (!address.isEmpty()) {
                names.add(address);
            }
            names.remove("");
            return names;
        }
    }

    /** The assessment and the gate's decision for one resource; {@code input} is what was decided on. */
    public record ResourceDecision(InitiativeId initiative, String resource, String playbookId, Rci rci,
                                   BlastRadiusCalculator.Report blastRadius, DecisionInput input, GateOutcome gate) {
        public ResourceDecision {
            Objects.requireNonNull(initiative, "initiative");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(playbookId, "playbookId");
            Objects.requireNonNull(rci, "rci");
            Objects.requireNonNull(blastRadius, "blastRadius");
            Objects.requireNonNull(gate, "gate");
        }
    }

    private final Gatekeeper gatekeeper;
    private final RciAssessor assessor = new RciAssessor();

    public RemediationSafety(Gatekeeper gatekeeper) {
        this.gatekeeper = Objects.requireNonNull(gatekeeper, "gatekeeper");
    }

    /** Built-in policies only, deterministic context rules, no OPA, no model: what runs offline. */
    public static RemediationSafety builtIn() {
        return new RemediationSafety(new Gatekeeper(List.of(new CelPolicyEngine(PolicySet.builtIn())),
                List.of(new ContextRules())));
    }

    /**
     * The gate as the service configures it: built-in plus user policies (CEL), OPA when configured, the
     * context rules, and the reasoning model when configured.
     *
     * @throws dev.fixgate.policy.PolicyException when a user policy is invalid (better not to start than to
     *         run without it)
     */
    public static RemediationSafety configured(ServiceConfig.Gate gate) {
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

    /** Assesses the fix and passes it through the three gates. Never throws. */
    public ResourceDecision decide(ResourceCase c) {
        String resource = c.resourceId().isEmpty() ? c.address() : c.resourceId();
        String playbookId = c.playbook().id();
        Rci rci;
        BlastRadiusCalculator.Report blast;
        DecisionInput input;
        try {
            Map<String, Observation> evidence = c.evidence().latest(c.names());
            rci = assessor.assess(c.playbook().risk(), c.playbook().rollback(), c.resourceType(), evidence, c.patch(), c.now());
            blast = BlastRadiusCalculator.compute(c.address(), c.module(), evidence);
            input = input(c, evidence, rci, blast);
        } catch (RuntimeException e) {
            LOG.error("assessment failed for {}", resource, e);
            return failed(c, resource, "the assessment failed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        try {
            return new ResourceDecision(c.initiative(), resource, playbookId, rci, blast, input,
                    gatekeeper.decide(input, c.config()));
        } catch (RuntimeException e) {
            LOG.error("gate failed for {}", resource, e);
            return new ResourceDecision(c.initiative(), resource, playbookId, rci, blast, input, denied(
                    "the gate failed (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /**
     * An initiative's resources grouped by what happens to them: the resources of one group share a pull
     * request (automerge, await_approval) or an issue (route_to_owner). The same finding on three buckets can
     * end in three groups.
     */
    public static Map<Action, List<ResourceDecision>> split(List<ResourceDecision> decisions) {
        Map<Action, List<ResourceDecision>> out = new java.util.EnumMap<>(Action.class);
        for (ResourceDecision d : decisions) {
            out.computeIfAbsent(d.gate().action(), a -> new ArrayList<>()).add(d);
        }
        out.replaceAll((a, l) -> List.copyOf(l));
        return out;
    }

    private ResourceDecision failed(ResourceCase c, String resource, String why) {
        Rci rci = new Rci(RciLevel.UNSAFE, 0.0, List.of(new RciReason("assess", "assess.failed", why, RciLevel.UNSAFE)));
        BlastRadiusCalculator.Report blast = new BlastRadiusCalculator.Report(1, 1, List.of("not computed: " + why),
                false, List.of());
        return new ResourceDecision(c.initiative(), resource, c.playbook().id(), rci, blast, null, denied(why));
    }

    private static GateOutcome denied(String why) {
        GateDecision deny = new GateDecision.Deny(GateLayer.POLICY, List.of(why + "; the gate denies"));
        return new GateOutcome(deny, List.of(new LayerVerdict(GateLayer.POLICY, "internal", deny, List.of())),
                Action.RECORD_ONLY);
    }

    static DecisionInput input(ResourceCase c, Map<String, Observation> evidence, Rci rci, BlastRadiusCalculator.Report blast) {
        RepoConfig config = c.config();
        Map<String, String> tags = Environments.tags(evidence);
        List<String> excludedBy = new ArrayList<>();
        RepoConfig.Exclusions ex = config.exclusions();
        for (String glob : ex.resources()) {
            if (matches(glob, c.resourceId()) || matches(glob, c.address())) {
                excludedBy.add("resources: " + glob);
            }
        }
        if (!c.file().isEmpty() && ex.excludesPath(c.file())) {
            excludedBy.add("paths: " + c.file());
        }
        if (ex.excludesControl(c.finding().control().value())) {
            excludedBy.add("controls: " + c.finding().control().value());
        }
        boolean resourceIncident = evidence.get(EvidenceKinds.INCIDENT_ACTIVE) instanceof Observation o
                && Boolean.TRUE.equals(o.value());
        boolean accountIncident = !c.account().isEmpty() && c.evidence().latest(Set.of(c.account()), EvidenceKinds.INCIDENT_ACTIVE)
                .map(o -> Boolean.TRUE.equals(o.value())).orElse(false);
        List<DecisionInput.EvidenceItem> items = evidence.values().stream()
                .map(o -> new DecisionInput.EvidenceItem(o.kind(), o.value(), o.observedAt())).toList();
        return new DecisionInput(c.now(),
                new DecisionInput.Resource(c.resourceId().isEmpty() ? c.address() : c.resourceId(), c.resourceType(),
                        c.address(), c.file(), tags, excludedBy),
                new DecisionInput.FindingInfo(c.finding().control().value(), c.finding().severity().name(),
                        c.finding().title(), c.finding().sourceTool()),
                new DecisionInput.PlaybookInfo(c.playbook().id(), c.playbook().risk().safeForProduction()),
                c.playbook().risk().actions(), Environments.of(evidence), rci,
                new DecisionInput.Blast(blast.resources(), blast.instances(), blast.references(), blast.complete()),
                Calendars.at(config, c.now()),
                new DecisionInput.Incidents(resourceIncident, accountIncident),
                new DecisionInput.Patch(c.patch().status(), c.patch().code()), c.diff(), items,
                new DecisionInput.Settings(config.mode().name().toLowerCase(java.util.Locale.ROOT),
                        config.safety().maxResources(), config.safety().maxInstances(), config.exclusions().tags(),
                        config.safety().productionRequiresApproval()));
    }

    private static boolean matches(String glob, String value) {
        return !value.isEmpty() && new RepoConfig.Exclusions(List.of(), List.of(), List.of(glob), List.of())
                .excludesResource(value);
    }
}
