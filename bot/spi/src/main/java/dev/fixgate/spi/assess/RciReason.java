package dev.fixgate.spi.assess;

import java.util.Objects;

/**
 * Why the assessment moved: which step, a stable code, a sentence for the PR body, and the level the step
 * asked for.
 */
public record RciReason(String step, String code, String message, RciLevel level) {

    public RciReason {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(level, "level");
    }
}
