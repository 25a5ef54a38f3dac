package dev.fixgate.spi.finding;

import java.util.Objects;

/** Deterministic id of an initiative: the same control in the same scope is always the same initiative. */
public record InitiativeId(String value) {

    public InitiativeId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("initiative id must not be blank");
        }
    }

    public static InitiativeId of(ControlId control, String scope) {
        return new InitiativeId(Fingerprint.sha256(control.value() + "\n" + scope).substring(0, 20));
    }

    @Override
    public String toString() {
        return value;
    }
}
