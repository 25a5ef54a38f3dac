package dev.fixgate.provider.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.provider.common.resource.CloudResources;
import dev.fixgate.provider.common.stream.CodePaths;
import dev.fixgate.provider.common.stream.JsonInput;
import dev.fixgate.provider.common.stream.JsonShape;
import dev.fixgate.provider.common.stream.Problems;
import dev.fixgate.provider.common.stream.Records;
import dev.fixgate.provider.common.stream.Span;
import dev.fixgate.provider.common.stream.Tokens;
import dev.fixgate.provider.common.stream.Trees;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ResourceRef;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * fixgate's own findings format, for tools fixgate has no parser for: {@code docs/findings-format.md}, schema
 * {@code docs/schema/findings.schema.json}. {@code schema} and {@code tool} come before {@code findings} so that
 * the findings can stream; each record is validated as the schema says and rejected with the pointer of the
 * member at fault.
 */
public final class GenericJsonParser implements FindingParser {

    public static final String SCHEMA = "fixgate/findings/v1";

    private static final Pattern TOOL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Set<String> RECORD = Set.of("id", "control", "severity", "title", "status", "resource",
            "code", "first_seen", "last_seen");
    private static final Set<String> CLOUD_RESOURCE = Set.of("cloud", "account", "region", "type", "id");
    private static final Set<String> CODE_RESOURCE = Set.of("repo", "path", "address", "type", "line");
    private static final Set<String> SEVERITIES = Set.of("critical", "high", "medium", "low", "info");
    private static final Map<String, Boolean> STATUS_ACTIVE = Map.of("open", true, "resolved", false,
            "suppressed", false);

    @Override
    public String format() {
        return "fixgate";
    }

    /** Claims an object whose {@code schema} is {@code fixgate/findings/...}. */
    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        return s.rootIsObject() && s.value("schema").filter(v -> v.startsWith("fixgate/findings/")).isPresent() ? 100 : 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        try (JsonInput input = JsonInput.open(in, context)) {
            input.run(() -> {
                input.expect(JsonToken.START_OBJECT, "a fixgate findings document");
                JsonParser p = input.parser();
                Problems problems = new Problems();
                String schema = "";
                String tool = "";
                String field;
                while ((field = Tokens.nextField(p)) != null) {
                    switch (field) {
                        case "schema" -> schema = Tokens.text(p, problems);
                        case "tool" -> tool = Tokens.text(p, problems);
                        case "findings" -> {
                            if (!schema.equals(SCHEMA)) {
                                throw input.shape("schema must be \"" + SCHEMA + "\" and come before findings, is \""
                                        + schema + "\"");
                            }
                            if (!TOOL.matcher(tool).matches()) {
                                throw input.shape("tool must be a lower-case name ([a-z0-9._-]) before findings, is \""
                                        + tool + "\"");
                            }
                            if (p.nextToken() != JsonToken.START_ARRAY) {
                                throw input.shape("findings must be an array");
                            }
                            String t = tool;
                            Records.array(input, sink, where -> record(Trees.read(input), t, where, context, sink));
                        }
                        default -> throw input.shape("unknown member \"" + field + "\"");
                    }
                }
            });
        }
    }

    private static void record(JsonNode r, String tool, SourceLocation where, ParseContext context, Sink sink) {
        Problems problems = new Problems();
        String base = where.pointer();
        unknownMembers(r, RECORD, base, problems);
        String control = string(r, "control", base, problems, true);
        String severity = string(r, "severity", base, problems, true).toLowerCase(Locale.ROOT);
        if (!problems.any() && !SEVERITIES.contains(severity)) {
            problems.add("ingest.severity", base + "/severity", "severity must be one of " + SEVERITIES);
        }
        String status = string(r, "status", base, problems, false);
        if (!problems.any() && !status.isEmpty() && !STATUS_ACTIVE.containsKey(status)) {
            problems.add("ingest.invalid", base + "/status", "status must be open, resolved or suppressed");
        }
        ResourceRef resource = problems.any() ? null : resource(r, base, problems);
        String id = string(r, "id", base, problems, false);
        String title = string(r, "title", base, problems, false);
        var span = Span.read(new String[] {string(r, "first_seen", base, problems, false)},
                new String[] {string(r, "last_seen", base, problems, false)}, context.observedAt(), problems, base);
        if (problems.reject(sink, where)) {
            return;
        }
        sink.finding(new Finding(tool, id, context.controls().resolve(tool, control), control,
                Severity.parse(severity).orElseThrow(), severity, resource, title,
                STATUS_ACTIVE.getOrDefault(status.isEmpty() ? "open" : status, true),
                span.orElseThrow().first(), span.orElseThrow().last(), where));
    }

    private static ResourceRef resource(JsonNode r, String base, Problems problems) {
        boolean cloud = r.has("resource");
        boolean code = r.has("code");
        if (cloud == code) {
            problems.add("ingest.no-resource", base, "a finding needs exactly one of resource and code");
            return null;
        }
        if (cloud) {
            JsonNode n = object(r, "resource", base, problems);
            String at = base + "/resource";
            unknownMembers(n, CLOUD_RESOURCE, at, problems);
            String provider = string(n, "cloud", at, problems, true);
            var c = CloudResources.cloudOf(provider);
            if (!problems.any() && c == dev.fixgate.spi.finding.Cloud.UNKNOWN && !provider.equals("unknown")) {
                problems.add("ingest.invalid", at + "/cloud", "cloud must be aws, azure, gcp or unknown");
            }
            String id = string(n, "id", at, problems, true);
            String account = string(n, "account", at, problems, false);
            String region = string(n, "region", at, problems, false);
            String type = string(n, "type", at, problems, false);
            return problems.any() ? null : CloudResources.of(c, id, type, account, region, "");
        }
        JsonNode n = object(r, "code", base, problems);
        String at = base + "/code";
        unknownMembers(n, CODE_RESOURCE, at, problems);
        String path = string(n, "path", at, problems, true);
        JsonNode line = n.path("line");
        if (!line.isMissingNode() && !(line.canConvertToInt() && line.isIntegralNumber() && line.asInt() >= 0)) {
            problems.add("ingest.wrong-type", at + "/line", "line must be a non-negative integer");
        }
        String repo = string(n, "repo", at, problems, false);
        String address = string(n, "address", at, problems, false);
        String type = string(n, "type", at, problems, false);
        return problems.any() ? null : new CodeResource(repo, CodePaths.normalise(path), address, type, line.asInt(0));
    }

    private static JsonNode object(JsonNode parent, String member, String base, Problems problems) {
        JsonNode n = parent.path(member);
        if (!n.isObject()) {
            problems.add("ingest.wrong-type", base + "/" + member, member + " must be an object");
        }
        return n;
    }

    private static String string(JsonNode parent, String member, String base, Problems problems, boolean required) {
        JsonNode n = parent.path(member);
        if (n.isMissingNode() || n.isNull()) {
            if (required) {
                problems.add("ingest.missing-field", base + "/" + member, member + " is required");
            }
            return "";
        }
        if (!n.isTextual()) {
            problems.add("ingest.wrong-type", base + "/" + member, member + " must be a string");
            return "";
        }
        if (required && n.asText().isBlank()) {
            problems.add("ingest.missing-field", base + "/" + member, member + " must not be empty");
        }
        return n.asText();
    }

    private static void unknownMembers(JsonNode n, Set<String> known, String base, Problems problems) {
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add("ingest.unknown-member", base + "/" + name, "unknown member \"" + name + "\"");
            }
        }
    }
}
