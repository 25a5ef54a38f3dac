package dev.fixgate.app.gate;

import dev.fixgate.policy.PolicyHit;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.util.List;
import java.util.Objects;

/**
 * One engine's verdict within one layer, as recorded with the decision.
 *
 * @param engine {@code cel}, {@code opa}, {@code context-rules}, {@code llm:<model>}, {@code approval}
 */
public record LayerVerdict(GateLayer layer, String engine, GateDecision verdict, List<PolicyHit> hits) {

    public LayerVerdict {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(verdict, "verdict");
        hits = List.copyOf(hits);
    }

    public String verdictId() {
        return GateOutcome.id(verdict);
    }
}
