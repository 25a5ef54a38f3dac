package dev.fixgate.app.assess;

import dev.fixgate.spi.assess.Rci;
import java.util.Objects;

/** What the assess stage says about one planned fix: its Remediation Confidence Indicator and its blast radius. */
public record Assessment(Rci rci, BlastRadiusCalculator.Report blastRadius) {

    public Assessment {
        Objects.requireNonNull(rci, "rci");
        Objects.requireNonNull(blastRadius, "blastRadius");
    }
}
