package dev.fixgate.app.gate;

import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.app.PipelineStep;
import dev.fixgate.app.assess.BlastRadiusCalculator;

import dev.fixgate.app.assess.Environments;
import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.policy.DecisionInput;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate for one resource of one initiative: the call fixgate makes before it opens, merges or escalates
 * anything ({@link #decide}). It takes what the earlier stages found — the located resource, the plan's outcome,
 * the assessment (RCI and blast radius) and the evidence — builds the decision input and passes it through the
 * three layers. It never throws: if anything fails — building the input, a layer — the decision is deny.
 *
 * <p>Built only in {@code dev.fixgate.app.wiring} (from {@code fixgate.yml}: user policies, OPA, the reasoning
 * model), so every command and the service decide with the same gate.
 */
public final class RemediationSafety {

    private static final Logger LOG = LoggerFactory.getLogger(RemediationSafety.class);

    /**
     * Everything known about one resource's fix when the gate decides.
     *
     * @param resourceId      ARN / native id the finding names, or the IaC address for code findings
     * @param resourceType    as in code ({@code aws_s3_bucket})
     * @param address         the resource's IaC address
     * @param file            the file declaring it
     * @param patch           what the plan stage could do
     * @param patchCode       for {@link Planner.Status#CANNOT_PATCH}, the refusal code; else empty
     * @param diff            the plan's unified diff; empty when there is none
     * @param evidence        per kind, the newest observation about the resource
     * @param accountEvidence per kind, the newest observation about its account (account-wide incidents)
     * @param account         the cloud account; may be empty
     * @param rci             the assessment's Remediation Confidence Indicator
     * @param blastRadius     the assessment's blast radius
     */
    public record ResourceCase(InitiativeId initiative, Finding finding, Playbook playbook, String resourceId,
                               String resourceType, String address, String file, Planner.Status patch,
                               String patchCode, String diff, Map<String, Observation> evidence,
                               Map<String, Observation> accountEvidence, String account, Rci rci,
                               BlastRadiusCalculator.Report blastRadius, RepoConfig config, Instant now) {
        public ResourceCase {
            Objects.requireNonNull(initiative, "initiative");
            Objects.requireNonNull(finding, "finding");
            Objects.requireNonNull(playbook, "playbook");
            Objects.requireNonNull(resourceId, "resourceId");
            Objects.requireNonNull(resourceType, "resourceType");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(patch, "patch");
            Objects.requireNonNull(patchCode, "patchCode");
            Objects.requireNonNull(diff, "diff");
            evidence = Map.copyOf(evidence);
            accountEvidence = Map.copyOf(accountEvidence);
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(rci, "rci");
            Objects.requireNonNull(blastRadius, "blastRadius");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(now, "now");
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

    public RemediationSafety(Gatekeeper gatekeeper) {
        this.gatekeeper = Objects.requireNonNull(gatekeeper, "gatekeeper");
    }

    /** Passes the assessed fix through the three gates. Never throws. */
    @PipelineStep
    public ResourceDecision decide(ResourceCase c) {
        String resource = c.resourceId().isEmpty() ? c.address() : c.resourceId();
        DecisionInput input;
        try {
            input = input(c);
        } catch (RuntimeException e) {
            LOG.error("building the decision input failed for {}", resource, e);
            String why = "the decision input could not be built (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
            return new ResourceDecision(c.initiative(), resource, c.playbook().id(), c.rci(), c.blastRadius(), null,
                    denied(why));
        }
        try {
            return new ResourceDecision(c.initiative(), resource, c.playbook().id(), c.rci(), c.blastRadius(), input,
                    gatekeeper.decide(input, c.config()));
        } catch (RuntimeException e) {
            LOG.error("gate failed for {}", resource, e);
            return new ResourceDecision(c.initiative(), resource, c.playbook().id(), c.rci(), c.blastRadius(), input,
                    denied("the gate failed (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /**
     * The decision for a resource whose assessment could not be made (an evidence store that fails, a bug): UNSAFE,
     * denied and recorded only — fixgate neither merges it nor opens an issue on a guess, and the next run tries
     * again.
     */
    public static ResourceDecision failed(InitiativeId initiative, String resource, String playbookId, String why) {
        Rci rci = new Rci(RciLevel.UNSAFE, 0.0, List.of(new RciReason("assess", "assess.failed", why, RciLevel.UNSAFE)));
        BlastRadiusCalculator.Report blast = new BlastRadiusCalculator.Report(1, 1, List.of("not computed: " + why),
                false, List.of());
        return new ResourceDecision(initiative, resource, playbookId, rci, blast, null, denied(why));
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

    private static GateOutcome denied(String why) {
        GateDecision deny = new GateDecision.Deny(GateLayer.POLICY, List.of(why + "; the gate denies"));
        return new GateOutcome(deny, List.of(new LayerVerdict(GateLayer.POLICY, "internal", deny, List.of())),
                Action.RECORD_ONLY);
    }

    static DecisionInput input(ResourceCase c) {
        RepoConfig config = c.config();
        Map<String, Observation> evidence = c.evidence();
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
        boolean accountIncident = c.accountEvidence().get(EvidenceKinds.INCIDENT_ACTIVE) instanceof Observation o
                && Boolean.TRUE.equals(o.value());
        List<DecisionInput.EvidenceItem> items = evidence.values().stream()
                .map(o -> new DecisionInput.EvidenceItem(o.kind(), o.value(), o.observedAt())).toList();
        BlastRadiusCalculator.Report blast = c.blastRadius();
        return new DecisionInput(c.now(),
                new DecisionInput.Resource(c.resourceId().isEmpty() ? c.address() : c.resourceId(), c.resourceType(),
                        c.address(), c.file(), tags, excludedBy),
                new DecisionInput.FindingInfo(c.finding().control().value(), c.finding().severity().name(),
                        c.finding().title(), c.finding().sourceTool()),
                new DecisionInput.PlaybookInfo(c.playbook().id(), c.playbook().risk().safeForProduction()),
                c.playbook().risk().actions(), Environments.of(evidence), c.rci(),
                new DecisionInput.Blast(blast.resources(), blast.instances(), blast.references(), blast.complete()),
                Calendars.at(config, c.now()),
                new DecisionInput.Incidents(resourceIncident, accountIncident),
                new DecisionInput.Patch(c.patch().decisionInput(), c.patchCode()), c.diff(), items,
                new DecisionInput.Settings(config.mode().name().toLowerCase(java.util.Locale.ROOT),
                        config.safety().maxResources(), config.safety().maxInstances(), config.exclusions().tags(),
                        config.safety().productionRequiresApproval()));
    }

    private static boolean matches(String glob, String value) {
        return !value.isEmpty() && new RepoConfig.Exclusions(List.of(), List.of(), List.of(glob), List.of())
                .excludesResource(value);
    }
}
