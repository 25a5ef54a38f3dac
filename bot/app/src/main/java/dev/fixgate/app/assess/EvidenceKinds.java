package dev.fixgate.app.assess;

import dev.fixgate.spi.evidence.EvidenceKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evidence kinds fixgate understands, with the type each value must have. The providers collect the same
 * kinds live; the evidence file ({@code fixgate assess --evidence}) carries them offline. A value of the wrong
 * type is reported and dropped, which leaves the evidence missing — never good news for the assessment.
 */
public final class EvidenceKinds {

    /** What a kind's value must be. */
    public enum ValueType { COUNT, BOOLEAN, TEXT, OBJECT, COUNT_OR_LIST, ENVIRONMENT, TEXT_LIST }

    public static final String ENVIRONMENT = "environment";
    public static final String TAGS = "tags";
    public static final String INCIDENT_ACTIVE = "incident.active";
    public static final String SG_ATTACHED_INTERFACES = "sg.attached_interfaces";
    public static final String DEPENDENTS = "dependents";

    private record Kind(ValueType type, EvidenceKind spi) {
    }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("s3.object_count", new Kind(ValueType.COUNT, EvidenceKind.USAGE)),
            Map.entry("s3.http_requests_90d", new Kind(ValueType.COUNT, EvidenceKind.TRAFFIC)),
            Map.entry("s3.https_requests_90d", new Kind(ValueType.COUNT, EvidenceKind.TRAFFIC)),
            Map.entry("ec2.imds_v1_calls_14d", new Kind(ValueType.COUNT, EvidenceKind.USAGE)),
            Map.entry(SG_ATTACHED_INTERFACES, new Kind(ValueType.COUNT_OR_LIST, EvidenceKind.ATTACHMENT)),
            Map.entry(ENVIRONMENT, new Kind(ValueType.ENVIRONMENT, EvidenceKind.ENVIRONMENT)),
            Map.entry("owner", new Kind(ValueType.TEXT, EvidenceKind.OWNER)),
            Map.entry(TAGS, new Kind(ValueType.OBJECT, EvidenceKind.TAG)),
            Map.entry(INCIDENT_ACTIVE, new Kind(ValueType.BOOLEAN, EvidenceKind.CONFIGURATION)),
            Map.entry("last_activity_days", new Kind(ValueType.COUNT, EvidenceKind.USAGE)),
            Map.entry(DEPENDENTS, new Kind(ValueType.TEXT_LIST, EvidenceKind.ATTACHMENT)));

    public static final List<String> ENVIRONMENTS = List.of("production", "staging", "development", "test");

    private EvidenceKinds() {
    }

    public static boolean known(String kind) {
        return KINDS.containsKey(kind);
    }

    public static Optional<ValueType> type(String kind) {
        return Optional.ofNullable(KINDS.get(kind)).map(Kind::type);
    }

    static EvidenceKind spiKind(String kind) {
        Kind k = KINDS.get(kind);
        return k == null ? EvidenceKind.CONFIGURATION : k.spi();
    }

    /** Sorted names, for messages. */
    public static List<String> names() {
        return KINDS.keySet().stream().sorted().toList();
    }

    /**
     * Why {@code value} is not a valid value of {@code kind}, or empty when it is.
     */
    static Optional<String> problem(String kind, Object value) {
        ValueType type = KINDS.get(kind).type();
        boolean ok = switch (type) {
            case COUNT -> value instanceof Long l && l >= 0;
            case BOOLEAN -> value instanceof Boolean;
            case TEXT -> value instanceof String s && !s.isBlank();
            case OBJECT -> value instanceof Map<?, ?> m && m.values().stream().allMatch(v -> v instanceof String);
            case COUNT_OR_LIST -> value instanceof Long l && l >= 0 || value instanceof List<?>;
            case ENVIRONMENT -> value instanceof String s && ENVIRONMENTS.contains(s);
            case TEXT_LIST -> value instanceof List<?> l && l.stream().allMatch(v -> v instanceof String);
        };
        if (ok) {
            return Optional.empty();
        }
        return Optional.of(switch (type) {
            case COUNT -> "expected a whole number >= 0";
            case BOOLEAN -> "expected true or false";
            case TEXT -> "expected a non-empty string";
            case OBJECT -> "expected an object of string values";
            case COUNT_OR_LIST -> "expected a whole number >= 0 or a list of interfaces";
            case ENVIRONMENT -> "expected one of " + String.join(", ", ENVIRONMENTS);
            case TEXT_LIST -> "expected a list of strings";
        });
    }
}
