package dev.fixgate.provider.common.evidence;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The environment and the owner a resource's tags (Azure) or labels (GCP) name. Keys are matched without regard to
 * case; values of the environment keys are normalised to one of {@code EvidenceKinds.ENVIRONMENTS}.
 */
public final class Tags {

    static final List<String> ENVIRONMENT_KEYS = List.of("environment", "env", "stage", "tier");
    static final List<String> OWNER_KEYS = List.of("owner", "owners", "team", "owner_email", "owner-email", "contact");

    private Tags() {
    }

    public static Optional<String> environment(Map<String, String> tags) {
        for (String key : ENVIRONMENT_KEYS) {
            Optional<String> value = get(tags, key).flatMap(Tags::normalise);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    public static Optional<String> owner(Map<String, String> tags) {
        for (String key : OWNER_KEYS) {
            Optional<String> value = get(tags, key).filter(v -> !v.isBlank()).map(String::strip);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** {@code prod} → {@code production}, … ; empty for a value that names no known environment. */
    public static Optional<String> normalise(String value) {
        return Optional.ofNullable(switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "production", "prod", "prd", "live" -> "production";
            case "staging", "stage", "stg", "preprod", "pre-prod", "uat" -> "staging";
            case "development", "dev", "sandbox" -> "development";
            case "test", "testing", "qa" -> "test";
            default -> null;
        });
    }

    private static Optional<String> get(Map<String, String> tags, String key) {
        return tags.entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(key) && e.getValue() != null)
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
