package dev.fixgate.app.cli.archfixture;

import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.playbooks.Playbook;
import java.util.Map;

/** Deliberate violation: a command chaining a stage itself instead of calling the pipeline. */
public final class CliPlanningByItself {
    public Planner.Item go(Playbook playbook, RepoScan.Located target) {
        return Planner.standard().plan(new Planner.Request(playbook, target, "fixture"), Map.of());
    }
}
