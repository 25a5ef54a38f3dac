package dev.fixgate.spi.gate;

/**
 * Layer 1: policy as code. Must fail closed — an engine that cannot evaluate (policy error, OPA unreachable)
 * returns {@link GateDecision.Deny} saying so, never {@link GateDecision.Allow}.
 */
public interface PolicyEngine {

    String id();

    GateDecision evaluate(GateInput input);
}
