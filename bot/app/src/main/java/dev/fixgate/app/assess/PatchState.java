package dev.fixgate.app.assess;

import java.util.Objects;

/**
 * What the plan stage reported for the fix, as far as the assessment cares: whether it could be written from
 * the code alone. (Assess runs before plan in the pipeline, so it sees this value, not the plan's types.)
 *
 * @param status changed | already_compliant | cannot_patch | not_planned
 * @param code   for cannot_patch, the refusal code, e.g. {@code patch.value-from-variable}
 */
public record PatchState(String status, String code) {

    public PatchState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(code, "code");
    }

    public static PatchState changed() {
        return new PatchState("changed", "");
    }

    public static PatchState cannotPatch(String code) {
        return new PatchState("cannot_patch", code);
    }

    public static PatchState notPlanned() {
        return new PatchState("not_planned", "");
    }

    public boolean written() {
        return status.equals("changed");
    }
}
