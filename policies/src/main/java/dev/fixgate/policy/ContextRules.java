package dev.fixgate.policy;

import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic part of layer 2, and all of it when no model is configured: facts about the moment that
 * the fix itself does not show.
 * <ul>
 *   <li>an active incident on the resource: deny and try later (no change to something being fought over);</li>
 *   <li>an active incident in the resource's account: a human decides;</li>
 *   <li>a blackout (freeze) period: deny and try later;</li>
 *   <li>a configured high-traffic event: a human decides.</li>
 * </ul>
 */
public final class ContextRules implements ReasoningLayer {

    @Override
    public String id() {
        return "context-rules";
    }

    @Override
    public LayerResult review(DecisionInput input, GateDecision current) {
        List<PolicyHit> hits = new ArrayList<>();
        if (input.incidents().resource()) {
            hits.add(new PolicyHit("incident-on-resource", Policy.Effect.DENY, Policy.OnDeny.RECORD_ONLY,
                    "an incident is active on this resource; no change until it is resolved"));
        }
        if (input.incidents().account()) {
            hits.add(new PolicyHit("incident-in-account", Policy.Effect.NEEDS_APPROVAL, Policy.OnDeny.ROUTE_TO_OWNER,
                    "an incident is active in this account; a human decides whether to change anything now"));
        }
        if (!input.calendar().blackout().isEmpty()) {
            hits.add(new PolicyHit("freeze", Policy.Effect.DENY, Policy.OnDeny.RECORD_ONLY,
                    "inside the freeze '" + input.calendar().blackout() + "'"));
        }
        for (String event : input.calendar().highTraffic()) {
            hits.add(new PolicyHit("high-traffic", Policy.Effect.NEEDS_APPROVAL, Policy.OnDeny.ROUTE_TO_OWNER,
                    "during the high-traffic event '" + event + "'"));
        }
        GateDecision proposed = hits.isEmpty()
                ? new GateDecision.Allow(GateLayer.REASONING, List.of("no incident, freeze or high-traffic event"))
                : CelPolicyEngine.decisionOf(GateLayer.REASONING, hits);
        return new LayerResult(id(), proposed, hits);
    }
}
