package dev.fixgate.app.enrich;

import dev.fixgate.app.enrich.Observation;
import java.util.List;
import java.util.Map;

/**
 * What is known about one resource for its assessment.
 *
 * @param resource    per kind, the newest observation about the resource
 * @param account     per kind, the newest observation about its account (an incident open account-wide)
 * @param unavailable one line per named kind that could not be read, with the reason
 *                    ({@code s3.http_requests_90d: AccessDenied on cloudtrail:StartQuery in 123456789012/eu-west-1})
 * @param readAt      when live reading ended (the decision is made after it, so what was just read is not "from the
 *                    future"); empty for offline evidence, whose decision instant stays the run's
 */
public record Enrichment(Map<String, Observation> resource, Map<String, Observation> account, List<String> unavailable,
                         java.util.Optional<java.time.Instant> readAt) {

    public Enrichment {
        resource = Map.copyOf(resource);
        account = Map.copyOf(account);
        unavailable = List.copyOf(unavailable);
        java.util.Objects.requireNonNull(readAt, "readAt");
    }

    public Enrichment(Map<String, Observation> resource, Map<String, Observation> account, List<String> unavailable) {
        this(resource, account, unavailable, java.util.Optional.empty());
    }

    public static Enrichment none() {
        return new Enrichment(Map.of(), Map.of(), List.of());
    }

    /** The instant to decide at: the run's, or when live reading ended if that is later. */
    public java.time.Instant decideAt(java.time.Instant runAt) {
        return readAt.filter(t -> t.isAfter(runAt)).orElse(runAt);
    }
}
