package dev.fixgate.spi.evidence;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a provider reaches its cloud, from the service configuration ({@code clouds.<cloud>} in {@code fixgate.yaml}).
 * Credentials come from the SDK's default chain; nothing here is secret.
 *
 * @param endpoints endpoint overrides by service (e.g. {@code s3 -> http://127.0.0.1:4566}), for stand-ins and
 *                  private endpoints; empty for the public ones
 * @param accounts  per account (AWS account id, Azure subscription id, GCP project id), how to reach it
 * @param regions   where to look when a resource's region is unknown
 * @param budget    how long one resource's collection may take in total, retries included
 * @param clock     the clock observations are stamped with
 * @param options   provider-specific settings (e.g. {@code cloudtrail.lake.event_data_store}), as text
 */
public record ProviderSettings(Map<String, String> endpoints, List<AccountAccess> accounts, List<String> regions,
                               Duration budget, Clock clock, Map<String, String> options) {

    public ProviderSettings {
        endpoints = Map.copyOf(endpoints);
        accounts = List.copyOf(accounts);
        regions = List.copyOf(regions);
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(clock, "clock");
        options = Map.copyOf(options);
    }

    public static ProviderSettings defaults(Clock clock) {
        return new ProviderSettings(Map.of(), List.of(), List.of(), Duration.ofSeconds(60), clock, Map.of());
    }

    public Optional<AccountAccess> account(String id) {
        return accounts.stream().filter(a -> a.account().equals(id)).findFirst();
    }

    public Optional<String> endpoint(String service) {
        return Optional.ofNullable(endpoints.get(service));
    }

    /**
     * @param account    AWS account id, Azure subscription id or GCP project id
     * @param role       AWS role ARN to assume, Azure client id, GCP service account to impersonate; empty for the
     *                   default credentials
     * @param externalId the AWS external id of the role's trust policy; empty when none (not a secret)
     */
    public record AccountAccess(String account, String role, String externalId) {
        public AccountAccess {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(externalId, "externalId");
        }
    }
}
