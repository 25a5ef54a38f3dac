package dev.fixgate.provider.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.provider.common.stream.CodePaths;
import dev.fixgate.provider.common.stream.JsonInput;
import dev.fixgate.provider.common.stream.JsonShape;
import dev.fixgate.provider.common.stream.Problems;
import dev.fixgate.provider.common.stream.Records;
import dev.fixgate.provider.common.stream.Severities;
import dev.fixgate.provider.common.stream.Tokens;
import dev.fixgate.provider.common.stream.Trees;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SARIF 2.1.0 from IaC scanners (Checkov, KICS, Trivy, tfsec). Each {@code runs[].results[]} entry is a finding
 * about a {@link CodeResource}: the file of its first location, the start line, and the resource address when
 * the scanner gives one ({@code properties.resource}, the first logical location), else the finding is keyed
 * on the line. The run's {@code tool} must come before its {@code results} (every scanner writes it so); results
 * before it are rejected, because without the tool their rule ids mean nothing.
 *
 * <p>Severity: {@code security-severity} of the result or its rule, a severity label in their properties, then
 * the SARIF level of the result or the rule's default ({@code warning} when neither says). Gone: kind
 * {@code pass}/{@code notApplicable}, an accepted suppression, baseline state {@code absent}.
 */
public final class SarifParser implements FindingParser {

    @Override
    public String format() {
        return "sarif";
    }

    /** Claims a head with a SARIF {@code version} 2.x and a {@code runs} array (or a sarif-schema {@code $schema}). */
    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        if (!s.rootIsObject() || !s.has("runs")) {
            return 0;
        }
        boolean version = s.value("version").filter(v -> v.startsWith("2.")).isPresent();
        boolean schema = s.value("$schema").filter(v -> v.toLowerCase(Locale.ROOT).contains("sarif")).isPresent();
        return version || schema ? 90 : 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        try (JsonInput input = JsonInput.open(in, context)) {
            input.run(() -> {
                input.expect(JsonToken.START_OBJECT, "a SARIF log object");
                JsonParser p = input.parser();
                String field;
                while ((field = Tokens.nextField(p)) != null) {
                    if (field.equals("runs") && p.nextToken() == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            new Run(input, sink).read();
                        }
                        input.expect(JsonToken.END_ARRAY, "a run object");
                    } else if (!field.equals("runs")) {
                        Tokens.skipValue(p);
                    } else {
                        throw input.shape("runs must be an array");
                    }
                }
            });
        }
    }

    /** One rule of the driver: what a result inherits. */
    private record Rule(String id, String title, String securitySeverity, String severityLabel, String level) {

        static Rule of(JsonNode r) {
            return new Rule(Trees.text(r, "id"),
                    Trees.firstText(r, "shortDescription.text", "name"),
                    Trees.text(r, "properties", "security-severity"),
                    Trees.firstText(r, "properties.severity", "properties.Severity"),
                    Trees.text(r, "defaultConfiguration", "level"));
        }
    }

    /** One run: its tool, then its results. */
    private static final class Run {
        private final JsonInput input;
        private final Sink sink;
        private final ParseContext context;
        private final Problems problems = new Problems();
        private String tool = "";
        private final Map<String, Rule> rulesById = new HashMap<>();
        private final List<Rule> rulesByIndex = new ArrayList<>();

        Run(JsonInput input, Sink sink) {
            this.input = input;
            this.sink = sink;
            this.context = input.context();
        }

        void read() throws IOException {
            JsonParser p = input.parser();
            String field;
            while ((field = Tokens.nextField(p)) != null) {
                if (field.equals("tool")) {
                    p.nextToken();
                    input.startRecord();
                    tool(Trees.read(input));
                    input.endRecord();
                } else if (field.equals("results") && p.nextToken() == JsonToken.START_ARRAY) {
                    Records.array(input, sink, this::result);
                } else if (!field.equals("results")) {
                    Tokens.skipValue(p);
                } else {
                    p.skipChildren();
                }
            }
        }

        private void tool(JsonNode node) {
            String name = toolName(Trees.text(node, "driver", "name"));
            tool = name.isEmpty() ? "sarif" : name;
            for (JsonNode r : node.path("driver").path("rules")) {
                Rule rule = Rule.of(r);
                rulesByIndex.add(rule);
                rulesById.putIfAbsent(rule.id(), rule);
            }
        }

        private void result(SourceLocation where) throws IOException {
            JsonNode r = Trees.read(input);
            problems.reset();
            String base = where.pointer();
            if (tool.isEmpty()) {
                problems.add("ingest.no-tool", base, "the run's results come before its tool");
            }
            Rule rule = rule(r);
            String ruleId = Trees.firstText(r, "ruleId", "rule.id");
            if (ruleId.isBlank()) {
                ruleId = rule.id();
            }
            JsonNode location = r.path("locations").path(0);
            String uri = Trees.text(location, "physicalLocation", "artifactLocation", "uri");
            if (ruleId.isBlank()) {
                problems.add("ingest.no-control", base + "/ruleId", "the result names no rule");
            } else if (uri.isBlank()) {
                problems.add("ingest.no-resource", base + "/locations",
                        "the result has no location with an artifact uri");
            }
            String lineText = Trees.text(location, "physicalLocation", "region", "startLine");
            int line = lineText.isBlank() ? 0 : parseLine(lineText, base, problems);
            Optional<Severity> severity = problems.any() ? Optional.empty() : severity(r, rule, base);
            if (problems.reject(sink, where)) {
                return;
            }
            String address = Trees.firstText(r, "properties.resource", "properties.resourceName",
                    "properties.resource_name", "properties.address");
            if (address.isBlank()) {
                address = Trees.firstText(location.path("logicalLocations").path(0), "fullyQualifiedName", "name");
            }
            var resource = new CodeResource("", CodePaths.normalise(uri), address,
                    Trees.firstText(r, "properties.resourceType", "properties.resource_type"), line);
            String title = rule.title().isBlank() ? firstLine(Trees.text(r, "message", "text")) : rule.title();
            sink.finding(new Finding(tool, sourceId(r), context.controls().resolve(tool, ruleId), ruleId,
                    severity.orElseThrow(), sourceSeverity(r, rule), resource, title, active(r),
                    context.observedAt(), context.observedAt(), where));
        }

        private Rule rule(JsonNode r) {
            String id = Trees.firstText(r, "ruleId", "rule.id");
            Rule byId = rulesById.get(id);
            if (byId != null) {
                return byId;
            }
            String index = Trees.firstText(r, "ruleIndex", "rule.index");
            try {
                int i = Integer.parseInt(index);
                if (i >= 0 && i < rulesByIndex.size()) {
                    return rulesByIndex.get(i);
                }
            } catch (NumberFormatException e) {
                // No usable index: the result stands on its own.
            }
            return new Rule(id, "", "", "", "");
        }

        private Optional<Severity> severity(JsonNode r, Rule rule, String base) {
            for (String score : new String[] {Trees.text(r, "properties", "security-severity"), rule.securitySeverity()}) {
                if (!score.isBlank()) {
                    var s = Severities.securitySeverity(score);
                    if (s.isEmpty()) {
                        problems.add("ingest.severity", base + "/properties/security-severity",
                                "security-severity must be a score from 0 to 10, is '" + score + "'");
                    }
                    return s;
                }
            }
            String label = Trees.firstText(r, "properties.severity", "properties.Severity");
            if (label.isBlank()) {
                label = rule.severityLabel();
            }
            if (!label.isBlank()) {
                var s = Severities.label(label);
                if (s.isPresent()) {
                    return s;
                }
            }
            String level = Trees.text(r, "level");
            if (level.isBlank()) {
                level = rule.level().isBlank() ? "warning" : rule.level();
            }
            var s = Severities.label(level);
            if (s.isEmpty()) {
                problems.add("ingest.severity", base + "/level", "unknown SARIF level '" + level + "'");
            }
            return s;
        }

        /** The severity as written, from the same place {@link #severity} took it. */
        private static String sourceSeverity(JsonNode r, Rule rule) {
            for (String s : new String[] {Trees.text(r, "properties", "security-severity"), rule.securitySeverity(),
                    Trees.firstText(r, "properties.severity", "properties.Severity"), rule.severityLabel(),
                    Trees.text(r, "level"), rule.level()}) {
                if (!s.isBlank()) {
                    return s;
                }
            }
            return "warning";
        }

        private static boolean active(JsonNode r) {
            String kind = Trees.text(r, "kind");
            if (kind.equals("pass") || kind.equals("notApplicable")) {
                return false;
            }
            for (JsonNode s : r.path("suppressions")) {
                String status = Trees.text(s, "status");
                if (status.isBlank() || status.equals("accepted")) {
                    return false;
                }
            }
            return !Trees.text(r, "baselineState").equals("absent");
        }

        private static String sourceId(JsonNode r) {
            String id = Trees.firstText(r, "guid", "correlationGuid");
            if (id.isBlank()) {
                var fingerprints = r.path("partialFingerprints").elements();
                if (fingerprints.hasNext()) {
                    id = fingerprints.next().asText();
                }
            }
            return id;
        }

        private static int parseLine(String text, String base, Problems problems) {
            try {
                int line = Integer.parseInt(text);
                if (line >= 0) {
                    return line;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add("ingest.wrong-type", base + "/locations/0/physicalLocation/region/startLine",
                    "startLine must be a positive integer, is '" + text + "'");
            return 0;
        }

        private static String firstLine(String text) {
            int nl = text.indexOf('\n');
            return nl < 0 ? text : text.substring(0, nl);
        }
    }

    /** {@code Checkov} → {@code checkov}; {@code KICS} → {@code kics}; Trivy's and tfsec's drivers likewise. */
    static String toolName(String driver) {
        String d = driver.strip().toLowerCase(Locale.ROOT);
        if (d.startsWith("checkov")) {
            return "checkov";
        }
        if (d.equals("kics") || d.startsWith("keeping infrastructure")) {
            return "kics";
        }
        if (d.startsWith("trivy")) {
            return "trivy";
        }
        if (d.startsWith("tfsec") || d.equals("defsec")) {
            return "tfsec";
        }
        return d.isEmpty() ? "" : d.replace(' ', '-');
    }
}
