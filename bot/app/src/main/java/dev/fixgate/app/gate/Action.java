package dev.fixgate.app.gate;

import java.util.Locale;

/** What fixgate does with one resource's fix after the gate. */
public enum Action {
    /** SAFE, allowed by every layer, autonomous mode: merge once the required checks pass. */
    AUTOMERGE,
    /** Open (or keep) the pull request and wait for an authorised approving review. */
    AWAIT_APPROVAL,
    /** Denied: open an issue for the resource's owners instead of a pull request. */
    ROUTE_TO_OWNER,
    /** Do nothing now but record the decision (excluded, outside a window, detect mode, an internal error). */
    RECORD_ONLY;

    /** {@code automerge}, {@code await_approval}, … as in JSON output. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
