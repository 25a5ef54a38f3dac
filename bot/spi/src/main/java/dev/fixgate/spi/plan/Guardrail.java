package dev.fixgate.spi.plan;

import java.util.Objects;

/** A preventive control proposed with a fix: its kind, a name, and the policy document as text. */
public record Guardrail(GuardrailKind kind, String name, String document) {

    public Guardrail {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(document, "document");
    }
}
