package dev.fixgate.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.provider.common.resource.CloudResources;
import dev.fixgate.provider.common.stream.JsonInput;
import dev.fixgate.provider.common.stream.JsonShape;
import dev.fixgate.provider.common.stream.Problems;
import dev.fixgate.provider.common.stream.Records;
import dev.fixgate.provider.common.stream.Severities;
import dev.fixgate.provider.common.stream.Span;
import dev.fixgate.provider.common.stream.Timestamps;
import dev.fixgate.provider.common.stream.Trees;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;

/**
 * Microsoft Defender for Cloud assessments as Azure Resource Graph returns them from the {@code securityresources}
 * table ({@code type == "microsoft.security/assessments"}): a query response ({@code {"data": [rows], "$skipToken"…}},
 * also what {@code az graph query} prints) or a bare array of rows. A row is either the raw resource ({@code name} is
 * the assessment key; {@code properties.status}, {@code properties.resourceDetails}, {@code properties.metadata}) or
 * the projection fixgate's pull asks for ({@link DefenderAssessments#QUERY}: {@code assessmentKey}, {@code statusCode},
 * {@code statusChangeDate}, {@code firstEvaluationDate}, {@code resourceId}, {@code severity}, {@code displayName},
 * {@code subscriptionId}).
 *
 * <p>Unhealthy is an open finding, Healthy a resolved one (the source says the problem is gone), both dated by the
 * status's last change ({@code statusChangeDate}) and first seen at {@code firstEvaluationDate}; so a later Healthy row
 * resolves an earlier Unhealthy one and the same row twice changes nothing. NotApplicable rows (the assessment does not
 * apply to the resource) are rejected with {@value #NOT_APPLICABLE}, so a file of them says why nothing came of it.
 * The control is the catalog's mapping of the assessment key under the tool id {@value #TOOL}; a key the catalog does
 * not map ingests as {@code unmapped:defender:<key>}.
 */
public final class DefenderAssessmentParser implements FindingParser {

    /** The tool id of Defender's assessment keys in the control catalog. */
    public static final String TOOL = "defender";
    /** The format id. */
    public static final String FORMAT = "azure-defender";
    /** The code of a row that does not apply to its resource. */
    public static final String NOT_APPLICABLE = "ingest.not-applicable";

    @Override
    public String format() {
        return FORMAT;
    }

    /** A Resource Graph response or array of rows whose rows are assessments (raw or fixgate's projection). */
    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        for (String prefix : new String[] {"data[].", "[]."}) {
            if (s.value(prefix + "type").map(t -> t.equalsIgnoreCase("microsoft.security/assessments")).orElse(false)) {
                return 90;
            }
            if (s.has(prefix + "assessmentKey") && s.has(prefix + "statusCode")) {
                return 90;
            }
        }
        return 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        try (JsonInput input = JsonInput.open(in, context)) {
            input.run(() -> Records.pagesRequiring(input, sink, "data", "a Resource Graph response (data: [...]) or an"
                    + " array of Defender assessment rows", "a Resource Graph response has a data array; this object has"
                    + " none", where -> row(Trees.read(input), where, context, sink)));
        }
    }

    private static void row(JsonNode n, SourceLocation where, ParseContext context, Sink sink) {
        boolean raw = n.has("properties");
        String base = where.pointer();
        String key = raw ? Trees.text(n, "name") : Trees.text(n, "assessmentKey");
        String status = raw ? Trees.text(n, "properties", "status", "code") : Trees.text(n, "statusCode");
        String resourceId = raw ? Trees.firstText(n, "properties.resourceDetails.Id", "properties.resourceDetails.id",
                "properties.resourceDetails.ResourceId") : Trees.text(n, "resourceId");
        String severityText = raw ? Trees.text(n, "properties", "metadata", "severity") : Trees.text(n, "severity");
        String title = raw ? Trees.firstText(n, "properties.displayName", "properties.metadata.displayName")
                : Trees.text(n, "displayName");
        String changed = raw ? Trees.text(n, "properties", "status", "statusChangeDate") : Trees.text(n, "statusChangeDate");
        String first = raw ? Trees.text(n, "properties", "status", "firstEvaluationDate")
                : Trees.text(n, "firstEvaluationDate");
        Problems problems = new Problems();
        boolean active;
        switch (status.toLowerCase(Locale.ROOT)) {
            case "unhealthy" -> active = true;
            case "healthy" -> active = false;
            case "notapplicable" -> {
                sink.rejected(where, NOT_APPLICABLE, "assessment " + key + " does not apply to " + resourceId
                        + " (status NotApplicable): not a finding");
                return;
            }
            default -> {
                problems.add("ingest.status", base + (raw ? "/properties/status/code" : "/statusCode"),
                        "unknown assessment status '" + status + "' (expected Healthy, Unhealthy or NotApplicable)");
                active = false;
            }
        }
        if (key.isBlank()) {
            problems.add("ingest.no-control", base + (raw ? "/name" : "/assessmentKey"), "the row names no assessment key");
        } else if (resourceId.isBlank()) {
            problems.add("ingest.no-resource", base + (raw ? "/properties/resourceDetails/Id" : "/resourceId"),
                    "the row names no assessed resource");
        }
        var severity = Severities.label(severityText);
        if (severity.isEmpty() && !problems.any()) {
            problems.add("ingest.severity", base + (raw ? "/properties/metadata/severity" : "/severity"),
                    "unknown severity '" + severityText + "'");
        }
        java.util.Optional<Instant> last = changed.isBlank() ? java.util.Optional.of(context.observedAt())
                : Timestamps.parse(changed);
        java.util.Optional<Instant> evaluated = first.isBlank() ? last : Timestamps.parse(first);
        if (last.isEmpty()) {
            problems.add(Span.BAD_TIMESTAMP, base + (raw ? "/properties/status/statusChangeDate" : "/statusChangeDate"),
                    "not a timestamp: '" + changed + "'");
        } else if (evaluated.isEmpty()) {
            problems.add(Span.BAD_TIMESTAMP, base + (raw ? "/properties/status/firstEvaluationDate" : "/firstEvaluationDate"),
                    "not a timestamp: '" + first + "'");
        }
        if (problems.reject(sink, where)) {
            return;
        }
        // first evaluated after the last change cannot be: read it as first seen at the change
        Instant firstSeen = evaluated.get().isAfter(last.get()) ? last.get() : evaluated.get();
        var arm = ArmId.tryParse(resourceId);
        String subscription = Trees.text(n, "subscriptionId");
        String type = arm.map(a -> a.namespace() + "/" + String.join("/", a.types())).orElse("");
        var resource = CloudResources.azure(resourceId, type, subscription, "");
        ControlId control = context.controls().resolve(TOOL, key);
        sink.finding(new Finding(TOOL, Trees.text(n, "id").isBlank() ? resourceId + "/" + key : Trees.text(n, "id"),
                control, key, severity.orElseThrow(), severityText, resource, title, active, firstSeen, last.get(), where));
    }
}
