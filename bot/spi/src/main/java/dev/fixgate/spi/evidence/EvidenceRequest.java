package dev.fixgate.spi.evidence;

import dev.fixgate.spi.finding.CloudResource;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a collector is asked.
 *
 * @param resource the resource; its {@code account} and {@code region} may be empty (a collector then uses the
 *                 default account and fans out over the configured regions)
 * @param kinds    the kinds wanted
 * @param now      the instant windows end at ("in 90 days" means {@code [now - 90d, now]})
 * @param hints    what the code knows about the resource, e.g. {@code terraform_type=aws_s3_bucket},
 *                 {@code name=my-bucket}; may be empty
 */
public record EvidenceRequest(CloudResource resource, Set<String> kinds, Instant now, Map<String, String> hints) {

    public EvidenceRequest {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(now, "now");
        kinds = Set.copyOf(kinds);
        hints = Map.copyOf(hints);
    }

    public boolean wants(String kind) {
        return kinds.contains(kind);
    }
}
