package dev.fixgate.spi.intake;

import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.Cloud;
import java.util.List;

/**
 * One cloud's pull sources, built from the same settings as its evidence collectors ({@code clouds.<cloud>}).
 * Discovered with {@link java.util.ServiceLoader}; nothing connects before a pull is asked.
 */
public interface FindingSourceProvider {

    Cloud cloud();

    /** The sources, configured; never opens a connection. */
    List<FindingSource> sources(ProviderSettings settings);
}
