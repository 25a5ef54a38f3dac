package dev.fixgate.spi.finding;

import java.util.Locale;
import java.util.Optional;

/**
 * Normalised severity. Sources spell severity in many ways (ASFF {@code Label}, OCSF {@code severity_id},
 * SARIF {@code level}, CVSS-like numbers); parsers map them here and keep the source value beside it.
 * Declared from most to least severe, so {@link #compareTo} orders critical first.
 */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, INFO;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The more severe of the two. */
    public Severity max(Severity other) {
        return compareTo(other) <= 0 ? this : other;
    }

    /**
     * Reads the common spellings: critical/high/medium/moderate/low/info/informational/none/note/warning/error.
     * Returns empty for anything else so that the caller can report where the odd value was.
     */
    public static Optional<Severity> parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "critical", "fatal" -> Optional.of(CRITICAL);
            case "high", "error" -> Optional.of(HIGH);
            case "medium", "moderate", "warning" -> Optional.of(MEDIUM);
            case "low", "note" -> Optional.of(LOW);
            case "info", "informational", "information", "none", "trace", "unknown" -> Optional.of(INFO);
            default -> Optional.empty();
        };
    }
}
