package dev.fixgate.app.prevent;

import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.finding.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fixgate check --sarif}: SARIF 2.1.0 as GitHub code scanning accepts it — one rule per playbook with a
 * {@code security-severity}, one result per failing resource with its file and line, and a stable
 * {@code partialFingerprints} entry (playbook + file + resource) so alerts survive line moves.
 */
public final class Sarif {

    private Sarif() {
    }

    public static Map<String, Object> of(Checker.Report report, String version) {
        Map<String, Map<String, Object>> rules = new LinkedHashMap<>();
        List<Object> results = new ArrayList<>();
        for (Checker.Result r : report.failures()) {
            Playbook p = r.playbook();
            rules.computeIfAbsent(p.id(), id -> rule(p));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", p.id());
            result.put("level", level(p.severity()));
            result.put("message", Map.of("text", r.resource() + ": " + p.title() + " — not satisfied. Fix: `fixgate plan`."));
            result.put("locations", List.of(Map.of("physicalLocation", Map.of(
                    "artifactLocation", Map.of("uri", r.file()),
                    "region", Map.of("startLine", Math.max(1, r.line()))))));
            result.put("partialFingerprints", Map.of("fixgate/v1", p.id() + ":" + r.file() + ":" + r.resource()));
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "fixgate");
        driver.put("informationUri", "https://github.com/fixgate/fixgate");
        driver.put("semanticVersion", version);
        driver.put("rules", new ArrayList<>(rules.values()));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        Map<String, Object> sarif = new LinkedHashMap<>();
        sarif.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        sarif.put("version", "2.1.0");
        sarif.put("runs", List.of(run));
        return sarif;
    }

    private static Map<String, Object> rule(Playbook p) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", p.id());
        rule.put("name", camel(p.id()));
        rule.put("shortDescription", Map.of("text", p.title()));
        rule.put("fullDescription", Map.of("text", p.description().isBlank() ? p.title() : p.description()));
        rule.put("help", Map.of("text", p.title() + ". Rollback: " + p.rollback().how()));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("security-severity", securitySeverity(p.severity()));
        props.put("tags", List.of("security", p.cloud().name().toLowerCase()));
        rule.put("properties", props);
        return rule;
    }

    private static String camel(String id) {
        StringBuilder sb = new StringBuilder();
        for (String part : id.split("_")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.toString();
    }

    private static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    /** GitHub maps security-severity to critical (≥9), high (≥7), medium (≥4), low. */
    private static String securitySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "1.0";
        };
    }
}
