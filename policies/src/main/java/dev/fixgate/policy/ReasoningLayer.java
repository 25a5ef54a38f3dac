package dev.fixgate.policy;

import dev.fixgate.spi.gate.GateDecision;

/**
 * Layer 2: looks at the whole context and proposes a verdict. Whatever it proposes, the gate keeps the stricter
 * of its proposal and {@code current}, so this layer can only keep or tighten a decision. Implementations
 * never throw: when they cannot reason, they propose at least {@link GateDecision.NeedsApproval}.
 */
public interface ReasoningLayer {

    String id();

    LayerResult review(DecisionInput input, GateDecision current);
}
