package dev.fixgate.provider.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Locale;
import java.util.Set;

/**
 * Wiz GraphQL API responses, saved as they came back (one page, or several pages as JSON lines):
 * {@code data.configurationFindings.nodes[]} (cloud configuration findings: {@code rule}, {@code resource}) and
 * {@code data.issues.nodes[]} / {@code data.issuesV2.nodes[]} (issues: {@code sourceRule} or {@code control},
 * {@code entitySnapshot}). The {@code data} wrapper may be absent. GraphQL {@code errors[]} are reported as
 * rejections, so a partial page is not mistaken for a complete one.
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

    /** Claims a GraphQL response with a {@code configurationFindings}, {@code issues} or {@code issuesV2} connection. */
    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        for (String connection : CONNECTIONS) {
            if (s.has("data." + connection + ".nodes") || s.has(connection + ".nodes")) {
                return 90;
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
                    input.expect(JsonToken.START_OBJECT, "a Wiz GraphQL response object");
                    response(input, sink, true);
                } while (p.nextToken() != null);
            });
        }
    }

    /** A response object, or its {@code data} member; the parser is on its START_OBJECT. */
    private static void response(JsonInput input, Sink sink, boolean top) throws IOException {
        JsonParser p = input.parser();
        String field;
        while ((field = Tokens.nextField(p)) != null) {
            if (top && field.equals("data") && p.nextToken() == JsonToken.START_OBJECT) {
                response(input, sink, false);
            } else if (top && field.equals("errors") && p.nextToken() == JsonToken.START_ARRAY) {
                Records.array(input, sink, where -> {
                    JsonNode error = Trees.read(input);
                    sink.rejected(where, "ingest.source-error", "the Wiz API reported an error: "
                            + Trees.text(error, "message"));
                });
            } else if (CONNECTIONS.contains(field) && p.nextToken() == JsonToken.START_OBJECT) {
                connection(input, sink, !field.equals("configurationFindings"));
            } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                Tokens.skipValue(p);
            } else {
                p.skipChildren();
            }
        }
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
