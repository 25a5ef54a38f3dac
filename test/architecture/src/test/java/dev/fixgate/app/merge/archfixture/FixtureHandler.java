package dev.fixgate.app.merge.archfixture;

import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.store.JobQueue;

/** A job handler for {@link MergeWiringAHandler} to construct. */
public final class FixtureHandler implements JobHandler {
    @Override
    public String kind() {
        return "fixture";
    }

    @Override
    public void handle(JobQueue.Job job) {
    }
}
