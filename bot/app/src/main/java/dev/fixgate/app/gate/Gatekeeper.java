package dev.fixgate.app.gate;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.policy.DecisionInput;
import dev.fixgate.policy.LayerResult;
import dev.fixgate.policy.Policy;
import dev.fixgate.policy.PolicyHit;
import dev.fixgate.policy.PolicyLayer;
import dev.fixgate.policy.ReasoningLayer;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three gates, in order, for one resource's fix.
 * <ol>
 *   <li>Policy: every {@link PolicyLayer} (built-in and user CEL policies; OPA when configured). Deny wins.</li>
 *   <li>Reasoning: every {@link ReasoningLayer} (the deterministic context rules; the model when configured) sees
 *       the decision so far and can only keep or tighten it.</li>
 *   <li>Approval: UNSAFE is denied (fixgate never merges it); RISKY, anything a layer sent to approval, and
 *       every fix in supervised mode need approving reviews from the configured reviewers.</li>
 * </ol>
 * The final decision is the strictest of all verdicts ({@link GateDecision#stricter}); every engine's own verdict
 * is kept. An engine that throws is recorded as a denial, so any error ends in deny.
 */
public final class Gatekeeper {

    private static final Logger LOG = LoggerFactory.getLogger(Gatekeeper.class);

    private final List<PolicyLayer> policies;
    private final List<ReasoningLayer> reasoners;

    public Gatekeeper(List<PolicyLayer> policies, List<ReasoningLayer> reasoners) {
        this.policies = List.copyOf(policies);
        this.reasoners = List.copyOf(reasoners);
        if (this.policies.isEmpty()) {
            throw new IllegalArgumentException("the gate needs at least one policy engine");
        }
    }

    public GateOutcome decide(DecisionInput input, RepoConfig config) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(config, "config");
        List<LayerVerdict> verdicts = new ArrayList<>();
        GateDecision current = new GateDecision.Allow(GateLayer.POLICY, List.of("nothing objected"));
        for (PolicyLayer engine : policies) {
            LayerVerdict v = run(GateLayer.POLICY, engine.id(), () -> engine.evaluate(input));
            verdicts.add(v);
            current = GateDecision.stricter(current, v.verdict());
        }
        for (ReasoningLayer engine : reasoners) {
            GateDecision soFar = current;
            LayerVerdict v = run(GateLayer.REASONING, engine.id(), () -> engine.review(input, soFar));
            verdicts.add(v);
            current = GateDecision.stricter(current, v.verdict());
        }
        GateDecision soFar = current;
        LayerVerdict approval = run(GateLayer.APPROVAL, "approval",
                () -> new LayerResult("approval", approvalRequirement(input, soFar, config), List.of()));
        verdicts.add(approval);
        current = combine(current, approval.verdict());
        Action action;
        try {
            action = action(current, verdicts, input, config);
        } catch (RuntimeException e) {
            LOG.error("gate could not choose an action", e);
            current = new GateDecision.Deny(GateLayer.APPROVAL, List.of("internal error choosing the action: " + e));
            action = Action.RECORD_ONLY;
        }
        return new GateOutcome(current, verdicts, action);
    }

    private interface Engine {
        LayerResult call();
    }

    /** Runs one engine; an exception (a bug, a broken plug-in) becomes a denial that says where. */
    private static LayerVerdict run(GateLayer layer, String id, Engine engine) {
        try {
            LayerResult r = engine.call();
            if (r == null || r.decision() == null) {
                throw new IllegalStateException("engine returned no decision");
            }
            return new LayerVerdict(layer, id, r.decision(), r.hits());
        } catch (RuntimeException e) {
            LOG.error("gate engine {} failed", id, e);
            String why = "the " + id + " engine failed (" + e.getClass().getSimpleName() + "), so the gate denies";
            return new LayerVerdict(layer, id, new GateDecision.Deny(layer, List.of(why)),
                    List.of(new PolicyHit(id, Policy.Effect.DENY, Policy.OnDeny.RECORD_ONLY, why)));
        }
    }

    /** Layer 3: whether a human must approve, how many and who. */
    static GateDecision approvalRequirement(DecisionInput input, GateDecision current, RepoConfig config) {
        RciLevel level = input.rci().level();
        if (level == RciLevel.UNSAFE) {
            return new GateDecision.Deny(GateLayer.APPROVAL,
                    List.of("the fix is UNSAFE: fixgate never merges it; it goes to the resource's owners"));
        }
        List<String> reasons = new ArrayList<>();
        if (level == RciLevel.RISKY) {
            reasons.add("the fix is RISKY: it needs approving reviews from authorised reviewers");
        }
        if (current instanceof GateDecision.NeedsApproval) {
            reasons.add("an earlier layer asked for approval");
        }
        if (config.mode() == RepoConfig.Mode.SUPERVISED) {
            reasons.add("mode supervised: every fix needs an authorised review");
        }
        if (reasons.isEmpty()) {
            return new GateDecision.Allow(GateLayer.APPROVAL, List.of("SAFE, and no layer asked for a human"));
        }
        int needed = config.reviewers().requiredApprovals();
        if (current instanceof GateDecision.NeedsApproval n) {
            needed = Math.max(needed, n.approvals());
        }
        return new GateDecision.NeedsApproval(GateLayer.APPROVAL, reasons, needed, approvers(config));
    }

    /** Configured users and {@code @org/team}s; CODEOWNERS, when enabled, are resolved by whoever checks reviews. */
    static List<String> approvers(RepoConfig config) {
        List<String> out = new ArrayList<>(config.reviewers().users());
        config.reviewers().teams().forEach(t -> out.add("@" + t));
        return out;
    }

    /** Like {@link GateDecision#stricter}, but an approval requirement takes layer 3's approvers and count. */
    static GateDecision combine(GateDecision current, GateDecision approval) {
        if (current instanceof GateDecision.NeedsApproval a && approval instanceof GateDecision.NeedsApproval b) {
            List<String> reasons = new ArrayList<>(a.reasons());
            reasons.addAll(b.reasons());
            return new GateDecision.NeedsApproval(GateLayer.APPROVAL, reasons, Math.max(a.approvals(), b.approvals()),
                    b.approvers().isEmpty() ? a.approvers() : b.approvers());
        }
        return GateDecision.stricter(current, approval);
    }

    /**
     * Deny → record only when any denying verdict says so (excluded, outside a window, an internal error: the
     * quieter choice wins), else an issue for the owners. Needs approval → wait for it. Allow → merge itself
     * only when the fix is SAFE, the mode is autonomous and automerge allows SAFE; else wait for a human.
     */
    static Action action(GateDecision decision, List<LayerVerdict> verdicts, DecisionInput input, RepoConfig config) {
        if (config.mode() == RepoConfig.Mode.DETECT) {
            return Action.RECORD_ONLY;
        }
        return switch (decision) {
            case GateDecision.Deny d -> verdicts.stream().flatMap(v -> v.hits().stream())
                    .anyMatch(h -> h.effect() == Policy.Effect.DENY && h.onDeny() == Policy.OnDeny.RECORD_ONLY)
                    ? Action.RECORD_ONLY : Action.ROUTE_TO_OWNER;
            case GateDecision.NeedsApproval n -> Action.AWAIT_APPROVAL;
            case GateDecision.Allow a -> input.rci().level() == RciLevel.SAFE
                    && config.mode() == RepoConfig.Mode.AUTONOMOUS
                    && config.automerge().enabled()
                    && config.automerge().levels().contains(RciLevel.SAFE)
                    ? Action.AUTOMERGE : Action.AWAIT_APPROVAL;
        };
    }
}
