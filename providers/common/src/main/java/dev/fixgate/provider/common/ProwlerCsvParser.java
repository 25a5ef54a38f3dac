package dev.fixgate.provider.common;

import dev.fixgate.provider.common.resource.CloudResources;
import dev.fixgate.provider.common.stream.CsvReader;
import dev.fixgate.provider.common.stream.JsonInput;
import dev.fixgate.provider.common.stream.Problems;
import dev.fixgate.provider.common.stream.Severities;
import dev.fixgate.provider.common.stream.Span;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prowler's CSV output: semicolon-separated, one header row, one finding per row. Reads the v4/v5 column names
 * ({@code ACCOUNT_UID}, {@code RESOURCE_UID}, {@code FINDING_UID}, {@code TIMESTAMP}) and the v3 ones
 * ({@code ACCOUNT_ID}, {@code RESOURCE_ARN}/{@code RESOURCE_ID}, {@code FINDING_UNIQUE_ID},
 * {@code ASSESSMENT_START_TIME}). A row that cannot be read is rejected with its line; the rest are kept.
 */
public final class ProwlerCsvParser implements FindingParser {

    private static final String TOOL = "prowler";

    @Override
    public String format() {
        return "prowler-csv";
    }

    /** Claims a first line that is a semicolon-separated header naming CHECK_ID, STATUS and SEVERITY. */
    @Override
    public int sniff(byte[] head, String sourceName) {
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int nl = text.indexOf('\n');
        String header = nl < 0 ? text : text.substring(0, nl);
        List<String> columns = List.of(header.strip().split(";"));
        return columns.contains("CHECK_ID") && columns.contains("STATUS") && columns.contains("SEVERITY") ? 90 : 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        CsvReader csv = new CsvReader(in, ';', context);
        var header = csv.next().orElseThrow(() -> new FindingParseException(JsonInput.EMPTY, "the input is empty",
                SourceLocation.of(context.sourceName())));
        Columns columns = new Columns(header, context);
        Problems problems = new Problems();
        var row = csv.next();
        while (row.isPresent()) {
            SourceLocation where = SourceLocation.at(context.sourceName(), csv.recordLine());
            columns.read(row.get(), where, problems, sink);
            row = csv.next();
        }
    }

    /** The header's column positions and the reading of one row by them. */
    private static final class Columns {
        private final Map<String, Integer> index = new HashMap<>();
        private final int count;
        private final ParseContext context;

        Columns(List<String> header, ParseContext context) {
            this.context = context;
            this.count = header.size();
            for (int i = 0; i < header.size(); i++) {
                index.putIfAbsent(header.get(i).strip().toUpperCase(Locale.ROOT), i);
            }
            for (String required : new String[] {"CHECK_ID", "STATUS", "SEVERITY"}) {
                if (!index.containsKey(required)) {
                    throw new FindingParseException(JsonInput.SHAPE, "not a Prowler CSV header: no " + required
                            + " column", SourceLocation.at(context.sourceName(), 1));
                }
            }
        }

        void read(List<String> row, SourceLocation where, Problems problems, Sink sink) {
            problems.reset();
            if (row.size() != count) {
                sink.rejected(where, "ingest.csv-columns", "the row has " + row.size() + " fields, the header "
                        + count);
                return;
            }
            String check = get(row, "CHECK_ID");
            String resourceId = first(row, "RESOURCE_UID", "RESOURCE_ARN", "RESOURCE_ID", "RESOURCE_NAME");
            String severityText = get(row, "SEVERITY");
            var severity = Severities.label(severityText);
            if (check.isBlank()) {
                problems.add("ingest.no-control", "", "the row has no CHECK_ID");
            } else if (resourceId.isBlank()) {
                problems.add("ingest.no-resource", "", "the row names no resource (RESOURCE_UID)");
            } else if (severity.isEmpty()) {
                problems.add("ingest.severity", "", "unknown severity '" + severityText + "'");
            }
            String time = first(row, "TIMESTAMP", "ASSESSMENT_START_TIME");
            var span = Span.read(new String[] {time}, new String[] {time}, context.observedAt(), problems, "");
            if (problems.reject(sink, where)) {
                return;
            }
            var resource = CloudResources.of(CloudResources.cloudOf(get(row, "PROVIDER")), resourceId,
                    get(row, "RESOURCE_TYPE"), first(row, "ACCOUNT_UID", "ACCOUNT_ID"), get(row, "REGION"),
                    get(row, "PARTITION"));
            boolean active = !get(row, "STATUS").equalsIgnoreCase("PASS") && !get(row, "MUTED").equalsIgnoreCase("true");
            sink.finding(new Finding(TOOL, first(row, "FINDING_UID", "FINDING_UNIQUE_ID"),
                    context.controls().resolve(TOOL, check), check, severity.orElseThrow(), severityText, resource,
                    get(row, "CHECK_TITLE"), active, span.orElseThrow().first(), span.orElseThrow().last(), where));
        }

        private String get(List<String> row, String column) {
            Integer i = index.get(column);
            return i == null ? "" : row.get(i).strip();
        }

        private String first(List<String> row, String... columns) {
            for (String c : columns) {
                String v = get(row, c);
                if (!v.isBlank()) {
                    return v;
                }
            }
            return "";
        }
    }
}
