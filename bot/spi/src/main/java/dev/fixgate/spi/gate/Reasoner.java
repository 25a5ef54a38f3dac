package dev.fixgate.spi.gate;

/**
 * Layer 2: AI reasoning over the plan and its evidence. It sees the policy layer's decision and proposes its
 * own; the pipeline keeps the stricter of the two, so a reasoner can only tighten. An unavailable model is a
 * reason to ask for approval, not to allow.
 */
public interface Reasoner {

    String id();

    GateDecision review(GateInput input, GateDecision current);
}
