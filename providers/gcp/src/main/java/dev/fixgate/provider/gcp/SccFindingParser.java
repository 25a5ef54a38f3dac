package dev.fixgate.provider.gcp;

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
import java.util.Optional;

/**
 * Security Command Center findings as {@code ListFindings} returns them: a response
 * ({@code {"listFindingsResults": [{"finding": …, "resource": …}], "nextPageToken"…}}), an array of such results (what
 * {@code gcloud scc findings list --format=json} prints) or of bare findings. ACTIVE is an open finding, INACTIVE a
 * resolved one, both dated by {@code eventTime} and first seen at {@code createTime}; the control is the catalog's
 * mapping of the finding's {@code category} under the tool id {@value #TOOL} (unmapped: {@code unmapped:scc:<category>}).
 * The resource is the finding's {@code resourceName} (a full resource name), in the project the result's
 * {@code resource.projectDisplayName} names.
 */
public final class SccFindingParser implements FindingParser {

    public static final String TOOL = "scc";
    public static final String FORMAT = "gcp-scc";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        if (s.has("listFindingsResults[].finding.category") || s.has("[].finding.category")
                || s.has("listFindingsResults[].finding.resourceName") || s.has("[].finding.resourceName")) {
            return 90;
        }
        if (s.has("[].category") && s.has("[].resourceName") && s.has("[].state")) {
            return 70;
        }
        return 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        try (JsonInput input = JsonInput.open(in, context)) {
            // an empty page is a response without the member (proto JSON omits empty lists): nothing to read, not an error
            input.run(() -> Records.pages(input, sink, "listFindingsResults", "a ListFindings response"
                    + " (listFindingsResults: [...]) or an array of SCC findings",
                    where -> result(Trees.read(input), where, context, sink)));
        }
    }

    private static void result(JsonNode n, SourceLocation where, ParseContext context, Sink sink) {
        boolean wrapped = n.has("finding");
        JsonNode f = wrapped ? n.path("finding") : n;
        String at = wrapped ? where.pointer() + "/finding" : where.pointer();
        Problems problems = new Problems();
        String category = Trees.text(f, "category");
        String resourceName = Trees.text(f, "resourceName");
        String state = Trees.text(f, "state");
        String severityText = Trees.text(f, "severity");
        boolean active = state.equals("ACTIVE");
        if (category.isBlank()) {
            problems.add("ingest.no-control", at + "/category", "the finding names no category");
        } else if (resourceName.isBlank()) {
            problems.add("ingest.no-resource", at + "/resourceName", "the finding names no resource");
        } else if (!active && !state.equals("INACTIVE")) {
            problems.add("ingest.status", at + "/state", "unknown finding state '" + state + "' (expected ACTIVE or INACTIVE)");
        }
        Optional<dev.fixgate.spi.finding.Severity> severity = Severities.label(severityText);
        if (severity.isEmpty() && !problems.any()) {
            problems.add("ingest.severity", at + "/severity", "unknown severity '" + severityText + "'");
        }
        Optional<Instant> last = Trees.text(f, "eventTime").isBlank() ? Optional.of(context.observedAt())
                : Timestamps.parse(Trees.text(f, "eventTime"));
        Optional<Instant> first = Trees.text(f, "createTime").isBlank() ? last : Timestamps.parse(Trees.text(f, "createTime"));
        if (last.isEmpty()) {
            problems.add(Span.BAD_TIMESTAMP, at + "/eventTime", "not a timestamp: '" + Trees.text(f, "eventTime") + "'");
        } else if (first.isEmpty()) {
            problems.add(Span.BAD_TIMESTAMP, at + "/createTime", "not a timestamp: '" + Trees.text(f, "createTime") + "'");
        }
        if (problems.reject(sink, where)) {
            return;
        }
        Instant firstSeen = first.get().isAfter(last.get()) ? last.get() : first.get();
        String project = Trees.text(n, "resource", "projectDisplayName");
        if (project.isBlank()) {
            String parent = Trees.text(f, "parent");
            project = parent.startsWith("projects/") ? parent.split("/")[1] : "";
        }
        var resource = CloudResources.gcp(resourceName, Trees.text(n, "resource", "type"), project, "");
        ControlId control = context.controls().resolve(TOOL, category);
        sink.finding(new Finding(TOOL, Trees.text(f, "name"), control, category,
                severity.orElseThrow(), severityText, resource, category, active, firstSeen, last.get(), where));
    }
}
