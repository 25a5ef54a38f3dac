package dev.fixgate.app.enrich;

import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.Evidence;
import dev.fixgate.app.json.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * One piece of evidence about one resource, with its typed value: what the evidence file holds, and what the
 * providers' collectors will produce live.
 *
 * @param resource   ARN, native id or IaC address the evidence is about (an account id for account-wide facts)
 * @param kind       one of {@link EvidenceKinds}, e.g. {@code s3.http_requests_90d}
 * @param value      Long, Double, String, Boolean, List or Map, as observed
 * @param observedAt when it was read
 * @param source     where it came from (e.g. {@code CloudTrail data events}); may be empty
 */
public record Observation(String resource, String kind, Object value, Instant observedAt, String source) {

    public Observation {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(source, "source");
    }

    /** As the SPI's text evidence, for gate inputs and PR bodies. */
    public Evidence toEvidence() {
        return new Evidence(EvidenceKinds.category(kind), kind, value instanceof String s ? s : Json.write(value),
                source.isEmpty() ? "evidence file" : source, observedAt);
    }
}
