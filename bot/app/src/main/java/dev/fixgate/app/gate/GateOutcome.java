package dev.fixgate.app.gate;

import dev.fixgate.spi.gate.GateDecision;
import java.util.List;
import java.util.Objects;

/**
 * The gate's final word on one resource: the decision (the strictest of every layer's), every layer's own
 * verdict, and what fixgate will do.
 */
public record GateOutcome(GateDecision decision, List<LayerVerdict> layers, Action action) {

    public GateOutcome {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(action, "action");
        layers = List.copyOf(layers);
        if (action == Action.AUTOMERGE && !(decision instanceof GateDecision.Allow)) {
            throw new IllegalStateException("only an allowed fix may merge itself");
        }
    }

    /** {@code allow}, {@code needs_approval} or {@code deny}. */
    public String decisionId() {
        return id(decision);
    }

    static String id(GateDecision d) {
        return switch (d) {
            case GateDecision.Allow a -> "allow";
            case GateDecision.NeedsApproval n -> "needs_approval";
            case GateDecision.Deny x -> "deny";
        };
    }
}
