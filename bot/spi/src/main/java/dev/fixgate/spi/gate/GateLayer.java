package dev.fixgate.spi.gate;

/** The three gates every remediation passes, in order. */
public enum GateLayer {
    /** Policy as code (CEL embedded, OPA optional). */
    POLICY,
    /** AI reasoning over the plan and evidence; it can only make a decision stricter. */
    REASONING,
    /** Whether a human must approve, and who. */
    APPROVAL
}
