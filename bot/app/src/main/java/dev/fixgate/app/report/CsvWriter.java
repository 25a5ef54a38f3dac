package dev.fixgate.app.report;

import dev.fixgate.app.report.EvidenceReport.Item;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The report's items as CSV for spreadsheets (RFC 4180: comma-separated, CRLF, fields quoted when they need it),
 * one row per finding with its controls, timeline, deadline, fix and risk acceptance; the aggregates are a pivot
 * away. A field that a spreadsheet would read as a formula ({@code = + - @} first) gets a leading apostrophe:
 * titles and ids come from scanners and are untrusted.
 */
public final class CsvWriter {

    private record Column(String name, Function<Item, Object> value) {
    }

    private CsvWriter() {
    }

    public static String write(EvidenceReport report) {
        Map<String, EvidenceReport.Acceptance> accepted = report.exceptions().stream()
                .collect(Collectors.toMap(EvidenceReport.Acceptance::fingerprint, a -> a, (a, b) -> a));
        List<Column> columns = List.of(
                new Column("fingerprint", Item::fingerprint),
                new Column("control", Item::control),
                new Column("framework", i -> report.scope().framework()),
                new Column("framework_controls", i -> String.join(" ", i.frameworkControls())),
                new Column("severity", Item::severity),
                new Column("fedramp_risk", i -> ReportBuilder.fedrampRisk(
                        dev.fixgate.spi.finding.Severity.valueOf(i.severity().toUpperCase(java.util.Locale.ROOT)))),
                new Column("title", Item::title),
                new Column("resource", i -> i.resource().key()),
                new Column("resource_kind", i -> i.resource().kind()),
                new Column("cloud", i -> i.resource().cloud()),
                new Column("account", i -> i.resource().account()),
                new Column("region", i -> i.resource().region()),
                new Column("resource_type", i -> i.resource().type()),
                new Column("repository", Item::repository),
                new Column("iac_file", i -> i.iac() == null ? "" : i.iac().file()),
                new Column("iac_address", i -> i.iac() == null ? "" : i.iac().address()),
                new Column("detected_at", Item::detectedAt),
                new Column("merged_at", Item::mergedAt),
                new Column("verified_at", Item::verifiedAt),
                new Column("status", Item::status),
                new Column("days_to_merge", Item::daysToMerge),
                new Column("deadline_days", i -> i.deadlineDays() == 0 ? "" : i.deadlineDays()),
                new Column("due_at", Item::dueAt),
                new Column("overdue", Item::overdue),
                new Column("remediation_id", i -> i.fix() == null ? "" : i.fix().remediationId()),
                new Column("pull_request", i -> i.fix() == null ? "" : i.fix().pullRequest()),
                new Column("merge_commit", i -> i.fix() == null ? "" : i.fix().mergeSha()),
                new Column("accepted_by", i -> accepted.containsKey(i.fingerprint()) ? accepted.get(i.fingerprint()).acceptedBy() : ""),
                new Column("acceptance_reason", i -> accepted.containsKey(i.fingerprint()) ? accepted.get(i.fingerprint()).reason() : ""),
                new Column("accepted_until", i -> accepted.containsKey(i.fingerprint()) ? accepted.get(i.fingerprint()).until() : ""),
                new Column("sightings", i -> i.sightings().size()),
                new Column("tools", i -> String.join(" ", new LinkedHashSet<>(i.sightings().stream()
                        .map(EvidenceReport.Sighting::tool).toList()))));
        StringBuilder out = new StringBuilder();
        row(out, columns.stream().map(Column::name).map(n -> (Object) n).toList());
        for (Item i : report.items()) {
            List<Object> values = new ArrayList<>();
            for (Column c : columns) {
                values.add(c.value().apply(i));
            }
            row(out, values);
        }
        return out.toString();
    }

    private static void row(StringBuilder out, List<Object> values) {
        for (int n = 0; n < values.size(); n++) {
            if (n > 0) {
                out.append(',');
            }
            out.append(field(values.get(n)));
        }
        out.append("\r\n");
    }

    static String field(Object value) {
        String s = Objects.toString(value, "");
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !(value instanceof Number)) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
