package dev.fixgate.spi.assess;

/**
 * Remediation Confidence Indicator level, from least to most careful. SAFE fixes merge themselves once the
 * required checks pass, RISKY fixes wait for an authorised review, UNSAFE fixes become an issue for the owners.
 */
public enum RciLevel {
    SAFE, RISKY, UNSAFE;

    /** The more careful of the two. */
    public RciLevel atLeast(RciLevel other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
