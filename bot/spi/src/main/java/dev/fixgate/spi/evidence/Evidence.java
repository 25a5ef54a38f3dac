package dev.fixgate.spi.evidence;

import java.time.Instant;
import java.util.Objects;

/**
 * One read-only observation about a resource.
 *
 * @param kind       what it speaks to
 * @param name       the fact's name, e.g. {@code tag:Environment} or {@code s3:GetObject requests (30d)}
 * @param value      the observed value, as text
 * @param source     where it came from: the API call or file, e.g. {@code s3:GetBucketTagging}
 * @param observedAt when it was read
 */
public record Evidence(EvidenceKind kind, String name, String value, String source, Instant observedAt) {

    public Evidence {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observedAt, "observedAt");
    }
}
