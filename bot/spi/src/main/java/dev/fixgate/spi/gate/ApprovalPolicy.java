package dev.fixgate.spi.gate;

/** Layer 3: decides whether a human must approve, how many and who, given the decision so far. */
public interface ApprovalPolicy {

    GateDecision decide(GateInput input, GateDecision current);
}
