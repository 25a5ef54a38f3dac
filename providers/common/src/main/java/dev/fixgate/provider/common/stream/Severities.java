package dev.fixgate.provider.common.stream;

import dev.fixgate.spi.finding.Severity;
import java.util.Optional;

/** The numeric severity scales of the formats, mapped onto {@link Severity}. Labels go through {@link Severity#parse}. */
public final class Severities {

    private Severities() {
    }

    /** ASFF {@code Severity.Normalized} (0–100): 0 informational, 1–39 low, 40–69 medium, 70–89 high, 90–100 critical. */
    public static Optional<Severity> asffNormalized(String value) {
        return integer(value).filter(n -> n >= 0 && n <= 100).map(n -> {
            if (n >= 90) {
                return Severity.CRITICAL;
            }
            if (n >= 70) {
                return Severity.HIGH;
            }
            if (n >= 40) {
                return Severity.MEDIUM;
            }
            return n >= 1 ? Severity.LOW : Severity.INFO;
        });
    }

    /** OCSF {@code severity_id}: 0 unknown, 1 informational, 2 low, 3 medium, 4 high, 5 critical, 6 fatal; 99 other is not a level. */
    public static Optional<Severity> ocsfId(String value) {
        return integer(value).flatMap(n -> switch (n) {
            case 0, 1 -> Optional.of(Severity.INFO);
            case 2 -> Optional.of(Severity.LOW);
            case 3 -> Optional.of(Severity.MEDIUM);
            case 4 -> Optional.of(Severity.HIGH);
            case 5, 6 -> Optional.of(Severity.CRITICAL);
            default -> Optional.empty();
        });
    }

    /**
     * SARIF {@code security-severity} (a CVSS-like score as a string): ≥ 9 critical, ≥ 7 high, ≥ 4 medium, &gt; 0 low,
     * 0 informational — the bands GitHub code scanning uses for the same property.
     */
    public static Optional<Severity> securitySeverity(String value) {
        try {
            double score = Double.parseDouble(value.strip());
            if (score < 0 || score > 10 || Double.isNaN(score)) {
                return Optional.empty();
            }
            if (score >= 9) {
                return Optional.of(Severity.CRITICAL);
            }
            if (score >= 7) {
                return Optional.of(Severity.HIGH);
            }
            if (score >= 4) {
                return Optional.of(Severity.MEDIUM);
            }
            return Optional.of(score > 0 ? Severity.LOW : Severity.INFO);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A label ({@link Severity#parse}) or, failing that, nothing. Never throws. */
    public static Optional<Severity> label(String value) {
        return value.isBlank() ? Optional.empty() : Severity.parse(value);
    }

    private static Optional<Integer> integer(String value) {
        try {
            return Optional.of((int) Double.parseDouble(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
