package dev.fixgate.spi.evidence;

import java.util.Objects;
import java.util.Optional;

/**
 * A collector's answer for one kind: a value, or why there is none.
 *
 * @param kind        the kind ({@link EvidenceKinds})
 * @param value       Long, Double, String, Boolean, List or Map of the kind's {@link EvidenceKinds.ValueType};
 *                    {@code null} when unavailable
 * @param unavailable why there is no value (e.g. {@code AccessDenied on cloudtrail:LookupEvents}); empty when observed
 * @param provenance  where it was read, or tried
 */
public record Observed(String kind, Object value, String unavailable, Provenance provenance) {

    public Observed {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(unavailable, "unavailable");
        Objects.requireNonNull(provenance, "provenance");
        if ((value == null) == unavailable.isEmpty()) {
            throw new IllegalArgumentException(kind + ": exactly one of a value and an unavailable reason");
        }
    }

    public static Observed of(String kind, Object value, Provenance provenance) {
        return new Observed(kind, Objects.requireNonNull(value, "value"), "", provenance);
    }

    public static Observed unavailable(String kind, String reason, Provenance provenance) {
        return new Observed(kind, null, reason.isBlank() ? "unavailable" : reason, provenance);
    }

    public boolean available() {
        return value != null;
    }

    public Optional<Object> valueIfAny() {
        return Optional.ofNullable(value);
    }
}
