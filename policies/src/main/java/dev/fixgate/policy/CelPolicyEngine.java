package dev.fixgate.policy;

import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Layer 1, embedded: evaluates every policy of a {@link PolicySet} as CEL over the decision input. Any deny
 * wins over any approval requirement; a policy that fails to evaluate counts as a deny naming the policy
 * (fail closed), so a typo in a user policy stops merges instead of silently letting them through.
 */
public final class CelPolicyEngine implements PolicyLayer {

    private record Compiled(Policy policy, Cel.Condition condition) {
    }

    private final List<Compiled> compiled;

    public CelPolicyEngine(PolicySet set) {
        Cel cel = Cel.over("input");
        List<Compiled> list = new ArrayList<>();
        for (Policy p : set.policies()) {
            list.add(new Compiled(p, cel.compile(p.condition())));
        }
        this.compiled = List.copyOf(list);
    }

    @Override
    public String id() {
        return "cel";
    }

    @Override
    public LayerResult evaluate(DecisionInput input) {
        Map<String, Object> document;
        try {
            document = input.toMap();
        } catch (RuntimeException e) {
            return denyAll("the decision input could not be built: " + e.getMessage());
        }
        List<PolicyHit> hits = new ArrayList<>();
        for (Compiled c : compiled) {
            Policy p = c.policy();
            try {
                if (c.condition().test(document)) {
                    hits.add(new PolicyHit(p.id(), p.effect(), p.onDeny(), p.message()));
                }
            } catch (RuntimeException e) {
                hits.add(new PolicyHit(p.id(), Policy.Effect.DENY, Policy.OnDeny.ROUTE_TO_OWNER,
                        "policy could not be evaluated, so it denies: " + e.getMessage()));
            }
        }
        return new LayerResult(id(), decisionOf(GateLayer.POLICY, hits), hits);
    }

    /** Deny if any hit denies, else approval if any hit asks for it, else allow. */
    static GateDecision decisionOf(GateLayer layer, List<PolicyHit> hits) {
        List<String> deny = hits.stream().filter(h -> h.effect() == Policy.Effect.DENY).map(PolicyHit::reason).toList();
        if (!deny.isEmpty()) {
            return new GateDecision.Deny(layer, deny);
        }
        List<String> approve = hits.stream().filter(h -> h.effect() == Policy.Effect.NEEDS_APPROVAL)
                .map(PolicyHit::reason).toList();
        if (!approve.isEmpty()) {
            return new GateDecision.NeedsApproval(layer, approve, 1, List.of());
        }
        return new GateDecision.Allow(layer, List.of("no policy objected"));
    }

    private LayerResult denyAll(String why) {
        PolicyHit hit = new PolicyHit("cel", Policy.Effect.DENY, Policy.OnDeny.ROUTE_TO_OWNER, why);
        return new LayerResult(id(), new GateDecision.Deny(GateLayer.POLICY, List.of(hit.reason())), List.of(hit));
    }
}
