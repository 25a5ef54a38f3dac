package dev.fixgate.spi.evidence;

import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.util.List;
import java.util.Set;

/**
 * Answers some {@linkplain EvidenceKinds evidence kinds} about cloud resources of one cloud, read-only. A collector
 * declares the exact read actions it may call ({@link #reads()}); the provider's read-only test checks that its code
 * calls nothing else, and {@code fixgate permissions} prints the least-privilege policy built from the declarations.
 *
 * <p>Failing to read is evidence too: access denied, throttling beyond the budget, a timeout or missing data become
 * {@link Observed#unavailable} entries, which never help a fix toward SAFE. A collector may also throw
 * {@link EvidenceUnavailableException}; the caller then records every requested kind as unavailable.
 * Built by an {@link EvidenceProvider}.
 */
public interface EvidenceCollector {

    /** Stable id, e.g. {@code aws.s3}. */
    String id();

    Cloud cloud();

    /** The kinds it answers; each is registered in {@link EvidenceKinds}. */
    Set<String> kinds();

    /** Every read action its code may call, e.g. {@code s3:ListBucket} for {@code ListObjectsV2}. */
    List<ReadAction> reads();

    /** Whether it can say anything about {@code resource} (its service and resource type). */
    boolean supports(CloudResource resource);

    /**
     * Observations for the requested kinds it {@linkplain #kinds() answers}: one entry per kind, observed or
     * unavailable. Kinds it does not answer are left out.
     */
    List<Observed> collect(EvidenceRequest request) throws EvidenceUnavailableException;
}
