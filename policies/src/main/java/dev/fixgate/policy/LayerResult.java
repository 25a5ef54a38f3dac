package dev.fixgate.policy;

import dev.fixgate.spi.gate.GateDecision;
import java.util.List;
import java.util.Objects;

/**
 * What one engine of one gate layer decided, with the policies that fired (empty for layers that are not
 * policy-based).
 *
 * @param engine   {@code cel}, {@code opa}, {@code context-rules}, {@code llm:<model>}, {@code approval}
 * @param decision the engine's own verdict
 * @param hits     the policies behind it
 */
public record LayerResult(String engine, GateDecision decision, List<PolicyHit> hits) {

    public LayerResult {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(decision, "decision");
        hits = List.copyOf(hits);
    }
}
