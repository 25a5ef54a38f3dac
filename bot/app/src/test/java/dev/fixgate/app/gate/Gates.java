package dev.fixgate.app.gate;

import dev.fixgate.policy.CelPolicyEngine;
import dev.fixgate.policy.ContextRules;
import dev.fixgate.policy.PolicySet;
import java.util.List;

/** Gates for tests: what a fixgate.yml without gate settings gives (production builds it in the wiring package). */
public final class Gates {

    private Gates() {
    }

    /** Built-in policies only, deterministic context rules, no OPA, no model. */
    public static RemediationSafety builtIn() {
        return new RemediationSafety(new Gatekeeper(List.of(new CelPolicyEngine(PolicySet.builtIn())),
                List.of(new ContextRules())));
    }
}
