package dev.fixgate.policy;

import java.util.Objects;

/** A policy whose condition held (or could not be evaluated, which counts as a denial). */
public record PolicyHit(String policyId, Policy.Effect effect, Policy.OnDeny onDeny, String message) {

    public PolicyHit {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(onDeny, "onDeny");
        Objects.requireNonNull(message, "message");
    }

    /** {@code [policy-id] message}, as it appears in decisions. */
    public String reason() {
        return "[" + policyId + "] " + message;
    }
}
