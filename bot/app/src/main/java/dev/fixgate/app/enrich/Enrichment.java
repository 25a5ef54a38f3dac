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
 */
public record Enrichment(Map<String, Observation> resource, Map<String, Observation> account, List<String> unavailable) {

    public Enrichment {
        resource = Map.copyOf(resource);
        account = Map.copyOf(account);
        unavailable = List.copyOf(unavailable);
    }

    public static Enrichment none() {
        return new Enrichment(Map.of(), Map.of(), List.of());
    }
}
