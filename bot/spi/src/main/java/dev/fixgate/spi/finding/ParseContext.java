package dev.fixgate.spi.finding;

import java.time.Instant;
import java.util.Objects;

/**
 * What a parser needs besides the bytes.
 *
 * @param sourceName file name (or request name) used in every {@link dev.fixgate.spi.error.SourceLocation}
 * @param controls   maps tool control ids to canonical controls
 * @param observedAt when the input was received; used for records that carry no timestamp of their own
 * @param limits     bounds on untrusted input
 */
public record ParseContext(String sourceName, ControlResolver controls, Instant observedAt, ParseLimits limits) {

    public ParseContext {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(controls, "controls");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(limits, "limits");
    }
}
