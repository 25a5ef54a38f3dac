package dev.fixgate.spi.evidence;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an observation came from.
 *
 * @param api        the read action(s) that produced it, e.g. {@code cloudtrail:LookupEvents}
 * @param account    the account, subscription or project read; empty when unknown
 * @param role       the role or identity used (an ARN or client id, never a secret); empty for the default chain
 * @param region     the region read; empty for global services
 * @param observedAt when it was read
 */
public record Provenance(String api, String account, String role, String region, Instant observedAt) {

    public Provenance {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(observedAt, "observedAt");
    }

    /** {@code cloudtrail:LookupEvents in 123456789012/eu-west-1}, for PR bodies. */
    public String describe() {
        String where = account.isEmpty() ? region : region.isEmpty() ? account : account + "/" + region;
        return api + (where.isEmpty() ? "" : " in " + where) + (role.isEmpty() ? "" : " as " + role);
    }
}
