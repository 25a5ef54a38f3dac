package dev.fixgate.app.report.archfixture;

import dev.fixgate.app.gate.Action;

/** Deliberate violation: the report (a reader of what is stored) depending on a stage. */
public final class ReportDrivingAStage {
    public String go() {
        return Action.AUTOMERGE.id();
    }
}
