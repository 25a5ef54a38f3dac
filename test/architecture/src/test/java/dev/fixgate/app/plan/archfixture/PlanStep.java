package dev.fixgate.app.plan.archfixture;

/** Deliberate-violation fixture: a class of a later stage. */
public final class PlanStep {
    public static String run() {
        return "plan";
    }
}
