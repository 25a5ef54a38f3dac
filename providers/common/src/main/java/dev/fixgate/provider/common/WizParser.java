package dev.fixgate.provider.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.provider.common.resource.CloudResources;
import dev.fixgate.provider.common.stream.JsonInput;
import dev.fixgate.provider.common.stream.JsonShape;
import dev.fixgate.provider.common.stream.Problems;
import dev.fixgate.provider.common.stream.Records;
import dev.fixgate.provider.common.stream.Severities;
import dev.fixgate.provider.common.stream.Span;
import dev.fixgate.provider.common.stream.Tokens;
import dev.fixgate.provider.common.stream.Trees;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Wiz GraphQL API responses, saved as they came back (one page, or several pages as JSON lines):
 * {@code data.configurationFindings.nodes[]} (cloud configuration findings: {@code rule}, {@code resource}) and
 * {@code data.issues.nodes[]} / {@code data.issuesV2.nodes[]} (issues: {@code sourceRule} or {@code control},
 * {@code entitySnapshot}). The {@code data} wrapper may be absent. GraphQL {@code errors[]} are reported as
 * rejections, so a partial page is not mistaken for a complete one.
 *
 * <p>Wiz also pushes findings one at a time, and people save them that way: an automation rule's webhook payload
 * ({@code trigger}, {@code issue}, {@code control} or {@code rule}, {@code resource}), a single issue or
 * configuration-finding node (as an API client logs or forwards it), an array of nodes, or any of these as JSON
 * lines. Each is read as the node it is. An input from which nothing could be read says why (a rejection), never
 * zero records and zero errors.
 *
 * <p>The shapes follow public API clients (see {@code src/test/resources/wiz/README.md}); no Wiz export was
 * available to test against. The resource is the cloud's own id ({@code providerId}: ARN, Azure id, GCP name),
 * falling back to Wiz's {@code externalId} and then its graph id.
 */
public final class WizParser implements FindingParser {

    private static final String TOOL = "wiz";
    private static final Set<String> CONNECTIONS = Set.of("configurationFindings", "issues", "issuesV2");

    @Override
    public String format() {
        return "wiz";
    }

    /**
     * Claims a GraphQL response with a {@code configurationFindings}, {@code issues} or {@code issuesV2} connection
     * (90), and a webhook payload or a bare issue / configuration-finding node, alone, in an array or as JSON lines
     * (80; never an object with an OCSF {@code class_uid}).
     */
    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        for (String connection : CONNECTIONS) {
            if (s.has("data." + connection + ".nodes") || s.has(connection + ".nodes")) {
                return 90;
            }
        }
        for (String prefix : new String[] {"", "[]."}) {
            if (s.has(prefix + "class_uid")) {
                return 0;
            }
            boolean webhook = s.has(prefix + "issue") && (s.has(prefix + "control") || s.has(prefix + "rule")
                    || s.has(prefix + "trigger")) && s.has(prefix + "resource");
            boolean issue = s.has(prefix + "entitySnapshot") && (s.has(prefix + "sourceRule") || s.has(prefix + "control"));
            boolean configurationFinding = s.has(prefix + "rule.id") && s.has(prefix + "resource")
                    && (s.has(prefix + "result") || s.has(prefix + "analyzedAt") || s.has(prefix + "firstSeenAt"));
            if (webhook || issue || configurationFinding) {
                return 80;
            }
        }
        return 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        try (JsonInput input = JsonInput.open(in, context)) {
            input.run(() -> {
                JsonParser p = input.parser();
                do {
                    if (p.currentToken() == JsonToken.START_ARRAY) {
                        Records.array(input, sink, where -> single(input, where, sink));
                        continue;
                    }
                    input.expect(JsonToken.START_OBJECT, "a Wiz GraphQL response, issue, configuration finding or"
                            + " webhook payload");
                    String pointer = input.pointerHere();
                    input.startRecord();
                    root(input, input.recordLocation(pointer), sink);
                } while (p.nextToken() != null);
            });
        }
    }

    /** One root object: a GraphQL response streamed, or else a single node read whole. */
    private static void root(JsonInput input, SourceLocation where, Sink sink) throws IOException {
        JsonParser p = input.parser();
        ObjectNode rest = JsonNodeFactory.instance.objectNode();
        boolean response = false;
        int connections = 0;
        String field;
        while ((field = Tokens.nextField(p)) != null) {
            if (field.equals("data") && p.nextToken() == JsonToken.START_OBJECT) {
                response = true;
                connections += response(input, sink, false);
            } else if (field.equals("errors") && p.nextToken() == JsonToken.START_ARRAY) {
                response = true;
                errors(input, sink);
            } else if (CONNECTIONS.contains(field) && !rest.has("rule") && !rest.has("sourceRule")
                    && p.nextToken() == JsonToken.START_OBJECT) {
                response = true;
                connections++;
                connection(input, sink, !field.equals("configurationFindings"));
            } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                p.nextToken();
                rest.set(field, Trees.read(input));
            } else {
                rest.set(field, Trees.read(input));
            }
        }
        if (response) {
            if (connections == 0) {
                sink.rejected(where, "ingest.shape", "the Wiz GraphQL response has no configurationFindings, issues"
                        + " or issuesV2 connection; members: " + String.join(", ", names(rest)));
            }
            return;
        }
        node(rest, where, input.context(), sink);
    }

    /** One element of a root array: a node (or a webhook payload). */
    private static void single(JsonInput input, SourceLocation where, Sink sink) throws IOException {
        node(Trees.read(input), where, input.context(), sink);
    }

    /** A single object: a webhook payload, an issue node or a configuration-finding node; else a rejection saying so. */
    private static void node(JsonNode n, SourceLocation where, ParseContext context, Sink sink) {
        Problems problems = new Problems();
        if (n.has("issue") && n.path("issue").isObject() && n.path("resource").isObject()) {
            node(webhook(n), true, where, context, sink, problems);
        } else if (n.has("entitySnapshot") || n.has("sourceRule") || (n.has("control") && !n.has("resource"))) {
            node(n, true, where, context, sink, problems);
        } else if (n.has("rule") && n.has("resource")) {
            node(n, false, where, context, sink, problems);
        } else {
            sink.rejected(where, "ingest.shape", "not a Wiz issue, configuration finding, webhook payload or GraphQL"
                    + " response: an object with members " + String.join(", ", names(n)));
        }
    }

    /**
     * A webhook payload as the issue node it describes: {@code issue} (id, status, severity, created/updated),
     * {@code control} or {@code rule} (the rule), {@code resource} (the entity).
     */
    private static JsonNode webhook(JsonNode n) {
        JsonNode issue = n.path("issue");
        JsonNode rule = n.has("control") ? n.path("control")
                : n.has("rule") ? n.path("rule") : n.path("cloudConfigurationRule");
        JsonNode resource = n.path("resource");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", Trees.text(issue, "id"));
        out.put("status", Trees.text(issue, "status"));
        String severity = Trees.text(issue, "severity");
        out.put("severity", severity.isBlank() ? Trees.text(rule, "severity") : severity);
        out.put("createdAt", Trees.firstText(issue, "createdAt", "created"));
        out.put("updatedAt", Trees.firstText(issue, "updatedAt", "updated", "statusChangedAt"));
        ObjectNode sourceRule = out.putObject("sourceRule");
        sourceRule.put("id", Trees.text(rule, "id"));
        sourceRule.put("name", Trees.text(rule, "name"));
        ObjectNode entity = out.putObject("entitySnapshot");
        for (String f : new String[] {"providerId", "externalId", "id", "cloudPlatform", "region", "nativeType", "type"}) {
            entity.put(f, Trees.text(resource, f));
        }
        entity.put("subscriptionExternalId", Trees.firstText(resource, "subscriptionExternalId", "subscriptionId",
                "subscription.externalId"));
        return out;
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out.isEmpty() ? List.of("(none)") : out;
    }

    private static void errors(JsonInput input, Sink sink) throws IOException {
        Records.array(input, sink, where -> {
            JsonNode error = Trees.read(input);
            sink.rejected(where, "ingest.source-error", "the Wiz API reported an error: "
                    + Trees.text(error, "message"));
        });
    }

    /** A response's {@code data} member; the parser is on its START_OBJECT. Returns how many connections it had. */
    private static int response(JsonInput input, Sink sink, boolean top) throws IOException {
        JsonParser p = input.parser();
        int connections = 0;
        String field;
        while ((field = Tokens.nextField(p)) != null) {
            if (CONNECTIONS.contains(field) && p.nextToken() == JsonToken.START_OBJECT) {
                connections++;
                connection(input, sink, !field.equals("configurationFindings"));
            } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                Tokens.skipValue(p);
            } else {
                p.skipChildren();
            }
        }
        return connections;
    }

    private static void connection(JsonInput input, Sink sink, boolean issues) throws IOException {
        JsonParser p = input.parser();
        Problems problems = new Problems();
        String field;
        while ((field = Tokens.nextField(p)) != null) {
            if (field.equals("nodes") && p.nextToken() == JsonToken.START_ARRAY) {
                Records.array(input, sink, where -> node(Trees.read(input), issues, where, input.context(), sink,
                        problems));
            } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                Tokens.skipValue(p);
            } else {
                p.skipChildren();
            }
        }
    }

    private static void node(JsonNode n, boolean issue, SourceLocation where, ParseContext context, Sink sink,
                             Problems problems) {
        problems.reset();
        String base = where.pointer();
        JsonNode rule = issue ? (n.has("sourceRule") ? n.path("sourceRule") : n.path("control")) : n.path("rule");
        JsonNode entity = issue ? n.path("entitySnapshot") : n.path("resource");
        String ruleId = Trees.text(rule, "id");
        String resourceId = Trees.firstText(entity, "providerId", "externalId", "id");
        String severityText = Trees.text(n, "severity");
        var severity = Severities.label(severityText);
        if (ruleId.isBlank()) {
            problems.add("ingest.no-control", base + (issue ? "/sourceRule" : "/rule"), "the node names no rule id");
        } else if (resourceId.isBlank()) {
            problems.add("ingest.no-resource", base + (issue ? "/entitySnapshot" : "/resource"),
                    "the node names no resource");
        } else if (severity.isEmpty()) {
            problems.add("ingest.severity", base + "/severity", "unknown severity '" + severityText + "'");
        }
        var span = issue
                ? Span.read(new String[] {Trees.text(n, "createdAt")},
                        new String[] {Trees.text(n, "updatedAt"), Trees.text(n, "statusChangedAt")},
                        context.observedAt(), problems, base)
                : Span.read(new String[] {Trees.text(n, "firstSeenAt")},
                        new String[] {Trees.text(n, "analyzedAt"), Trees.text(n, "updatedAt")},
                        context.observedAt(), problems, base);
        if (problems.reject(sink, where)) {
            return;
        }
        String provider = issue ? Trees.text(entity, "cloudPlatform")
                : Trees.firstText(entity, "cloudPlatform", "subscription.cloudProvider");
        if (provider.isBlank()) {
            provider = Trees.text(n, "subscription", "cloudProvider");
        }
        Cloud cloud = CloudResources.cloudOf(provider);
        if (cloud == Cloud.UNKNOWN) {
            cloud = CloudResources.cloudOfId(resourceId);
        }
        String account = issue ? Trees.text(entity, "subscriptionExternalId")
                : Trees.firstText(entity, "subscription.externalId");
        if (account.isBlank()) {
            account = Trees.text(n, "subscription", "externalId");
        }
        var resource = CloudResources.of(cloud, resourceId, Trees.firstText(entity, "nativeType", "type"), account,
                Trees.text(entity, "region"), "");
        ControlId control = context.controls().resolve(TOOL, ruleId);
        String ruleName = Trees.text(rule, "name");
        if (!control.isMapped() && !ruleName.isBlank()) {
            // Wiz rule ids are per-tenant UUIDs for custom rules but names are stable: the catalog may know the name.
            ControlId byName = context.controls().resolve(TOOL, ruleName);
            control = byName.isMapped() ? byName : control;
        }
        String status = Trees.text(n, "status").toUpperCase(Locale.ROOT);
        boolean active = !status.equals("RESOLVED") && !status.equals("REJECTED")
                && !Trees.text(n, "result").equalsIgnoreCase("PASS");
        sink.finding(new Finding(TOOL, Trees.text(n, "id"), control, ruleId, severity.orElseThrow(), severityText,
                resource, ruleName.isBlank() ? Trees.text(n, "title") : ruleName, active,
                span.orElseThrow().first(), span.orElseThrow().last(), where));
    }
}
