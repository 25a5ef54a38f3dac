package dev.fixgate.app.ingest.archfixture;

import dev.fixgate.app.plan.archfixture.PlanStep;

/** Deliberate violation: the ingest stage calling the plan stage. */
public final class IngestReachingForward {
    public String go() {
        return PlanStep.run();
    }
}
