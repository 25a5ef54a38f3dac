package dev.fixgate.spi.assess;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Remediation Confidence Indicator: a level, how confident the assessment is in it (0..1), and every reason
 * that moved it. Assessment starts from {@link #initial()} and each step may only add reasons; the level is the
 * most careful level any reason asked for, so no step can make a fix look safer than an earlier step said.
 */
public record Rci(RciLevel level, double confidence, List<RciReason> reasons) {

    public Rci {
        Objects.requireNonNull(level, "level");
        reasons = List.copyOf(reasons);
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be within 0..1: " + confidence);
        }
        RciLevel implied = reasons.stream().map(RciReason::level).reduce(RciLevel.SAFE, RciLevel::atLeast);
        if (level.compareTo(implied) < 0) {
            throw new IllegalArgumentException("level " + level + " is less careful than its reasons (" + implied + ")");
        }
    }

    /** SAFE with full confidence and no reasons yet. */
    public static Rci initial() {
        return new Rci(RciLevel.SAFE, 1.0, List.of());
    }

    /** A new indicator with {@code reason} added; the level can only rise and confidence only fall. */
    public Rci with(RciReason reason, double confidenceFactor) {
        if (!(confidenceFactor >= 0.0 && confidenceFactor <= 1.0)) {
            throw new IllegalArgumentException("confidence factor must be within 0..1: " + confidenceFactor);
        }
        List<RciReason> all = new ArrayList<>(reasons);
        all.add(reason);
        return new Rci(level.atLeast(reason.level()), confidence * confidenceFactor, all);
    }
}
