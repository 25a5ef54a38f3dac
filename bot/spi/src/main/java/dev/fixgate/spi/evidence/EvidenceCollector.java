package dev.fixgate.spi.evidence;

import dev.fixgate.spi.finding.CloudResource;
import java.util.List;

/**
 * Gathers read-only evidence about a cloud resource. Collectors must use read-only credentials and calls only
 * (Describe/Get/List); a failure to read is reported as an exception, never as "no evidence", because
 * missing evidence must make the assessment more careful, not less. Discovered with {@link java.util.ServiceLoader}.
 */
public interface EvidenceCollector {

    /** Stable id, e.g. {@code aws.s3}. */
    String id();

    boolean supports(CloudResource resource);

    List<Evidence> collect(CloudResource resource) throws EvidenceUnavailableException;
}
