package dev.fixgate.app.assess;

import dev.fixgate.app.enrich.Observation;
import dev.fixgate.spi.evidence.EvidenceKinds;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Which environment a resource serves, and whether its network carries a database. */
public final class Environments {

    public static final String UNKNOWN = "unknown";

    private static final List<String> TAG_KEYS = List.of("environment", "env", "stage", "tier");
    private static final Pattern DATABASE = Pattern.compile(
            "(?i).*(rds|aurora|database|(?:^|[^a-z0-9])db(?:[^a-z0-9]|$)|redshift|elasticache|docdb|documentdb|neptune|postgres|mysql|mariadb|oracle|sqlserver|dynamodb|memorydb).*");

    private Environments() {
    }

    /** From {@code environment} evidence, else an environment-like tag, else {@link #UNKNOWN}. */
    public static String of(Map<String, Observation> evidence) {
        if (evidence.get(EvidenceKinds.ENVIRONMENT) instanceof Observation o && o.value() instanceof String s) {
            return s;
        }
        for (Map.Entry<String, String> tag : tags(evidence).entrySet()) {
            if (TAG_KEYS.contains(tag.getKey().toLowerCase(Locale.ROOT))) {
                Optional<String> env = normalise(tag.getValue());
                if (env.isPresent()) {
                    return env.get();
                }
            }
        }
        return UNKNOWN;
    }

    static Optional<String> normalise(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(switch (v) {
            case "production", "prod", "prd", "live" -> "production";
            case "staging", "stage", "stg", "preprod", "pre-prod", "uat" -> "staging";
            case "development", "dev", "sandbox" -> "development";
            case "test", "testing", "qa" -> "test";
            default -> null;
        });
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> tags(Map<String, Observation> evidence) {
        if (evidence.get(EvidenceKinds.TAGS) instanceof Observation o && o.value() instanceof Map<?, ?> m) {
            return Map.copyOf((Map<String, String>) m);
        }
        return Map.of();
    }

    /**
     * Whether the resource is a database, or a network control (security group) in front of one: by its type,
     * by the interfaces attached to it, or by the services that depend on it.
     */
    public static boolean databaseNetwork(String resourceType, Map<String, Observation> evidence) {
        if (DATABASE.matcher(resourceType).matches() && !resourceType.toLowerCase(Locale.ROOT).contains("parameter")) {
            return true;
        }
        for (String kind : List.of(EvidenceKinds.SG_ATTACHED_INTERFACES, EvidenceKinds.DEPENDENTS)) {
            if (evidence.get(kind) instanceof Observation o && o.value() instanceof List<?> items
                    && items.stream().anyMatch(i -> DATABASE.matcher(String.valueOf(i)).matches())) {
                return true;
            }
        }
        return false;
    }
}
