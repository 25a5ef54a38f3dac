package dev.fixgate.app.merge.archfixture;

import dev.fixgate.app.jobs.JobHandler;

/** Deliberate violation: a job handler constructed outside the wiring package. */
public final class MergeWiringAHandler {
    public JobHandler handler() {
        return new FixtureHandler();
    }
}
