package dev.fixgate.app.deliver.archfixture;

import dev.fixgate.app.gate.Gatekeeper;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.policy.CelPolicyEngine;
import dev.fixgate.policy.PolicySet;
import java.util.List;

/** Deliberate violation: a stage building the gate (with the built-ins only) instead of getting the configured one. */
public final class DeliverBuildingItsOwnGate {
    public RemediationSafety gate() {
        return new RemediationSafety(new Gatekeeper(List.of(new CelPolicyEngine(PolicySet.builtIn())), List.of()));
    }
}
