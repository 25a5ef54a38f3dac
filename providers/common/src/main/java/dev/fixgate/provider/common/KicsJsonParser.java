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
import dev.fixgate.provider.common.stream.Span;
import dev.fixgate.provider.common.stream.Tokens;
import dev.fixgate.provider.common.stream.Trees;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import java.io.IOException;
import java.io.InputStream;

/**
 * KICS's own JSON results: {@code queries[]} with the query's id, name and severity, each with its
 * {@code files[]} hits. One finding per hit, about a {@link CodeResource}: the file, the line, and as address
 * {@code <resource_type>.<resource_name>} for Terraform, the logical id for CloudFormation, none otherwise.
 *
 * <p>KICS's {@code remediation} / {@code remediation_type} (a suggested replacement value) are read but not
 * kept: the SPI's {@link Finding} has no field for them, and fixgate plans its own fixes from playbooks.
 */
public final class KicsJsonParser implements FindingParser {

    private static final String TOOL = "kics";

    @Override
    public String format() {
        return "kics";
    }

    /** Claims a top-level {@code kics_version} string beside {@code queries}. */
    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        boolean kics = s.rootIsObject() && s.value("kics_version").isPresent();
        return kics && (s.has("queries") || s.has("files_scanned") || s.has("total_counter")) ? 90 : 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        try (JsonInput input = JsonInput.open(in, context)) {
            input.run(() -> new Walk(input, sink).root());
        }
    }

    /** The query a hit belongs to, read from the query's members before its {@code files}. */
    private record Query(String id, String name, String severity, String platform) {
    }

    private static final class Walk {
        private final JsonInput input;
        private final JsonParser p;
        private final Sink sink;
        private final ParseContext context;
        private final Problems problems = new Problems();
        private String start = "";
        private String end = "";

        Walk(JsonInput input, Sink sink) {
            this.input = input;
            this.p = input.parser();
            this.sink = sink;
            this.context = input.context();
        }

        void root() throws IOException {
            input.expect(JsonToken.START_OBJECT, "a KICS result object");
            String field;
            while ((field = Tokens.nextField(p)) != null) {
                switch (field) {
                    case "start" -> start = Tokens.text(p, problems);
                    case "end" -> end = Tokens.text(p, problems);
                    case "queries" -> {
                        if (p.nextToken() != JsonToken.START_ARRAY) {
                            throw input.shape("queries must be an array");
                        }
                        Records.array(input, sink, where -> query());
                    }
                    default -> Tokens.skipValue(p);
                }
            }
        }

        /**
         * One query. KICS writes the query's members before its files, so hits stream one by one. Files that come
         * before the query's id and severity are rejected rather than held: holding them would let one query take
         * unbounded memory.
         */
        private void query() throws IOException {
            String id = "";
            String name = "";
            String severity = "";
            String platform = "";
            Problems queryProblems = new Problems();
            String field;
            while ((field = Tokens.nextField(p)) != null) {
                switch (field) {
                    case "query_id" -> id = Tokens.text(p, queryProblems);
                    case "query_name" -> name = Tokens.text(p, queryProblems);
                    case "severity" -> severity = Tokens.text(p, queryProblems);
                    case "platform" -> platform = Tokens.text(p, queryProblems);
                    case "files" -> {
                        if (p.nextToken() != JsonToken.START_ARRAY) {
                            p.skipChildren();
                            continue;
                        }
                        Query q = new Query(id, name, severity, platform);
                        boolean known = !id.isBlank() && !severity.isBlank();
                        Records.array(input, sink, where -> {
                            if (known) {
                                hit(q, Trees.read(input), where);
                            } else {
                                p.skipChildren();
                                sink.rejected(where, "ingest.no-control",
                                        "the hit comes before its query's query_id and severity");
                            }
                        });
                    }
                    default -> Tokens.skipValue(p);
                }
            }
        }

        private void hit(Query q, JsonNode hit, SourceLocation where) {
            problems.reset();
            String base = where.pointer();
            String file = Trees.text(hit, "file_name");
            var severity = Severities.label(q.severity());
            if (q.id().isBlank()) {
                problems.add("ingest.no-control", base, "the query of this hit has no query_id");
            } else if (file.isBlank()) {
                problems.add("ingest.no-resource", base + "/file_name", "the hit names no file");
            } else if (severity.isEmpty()) {
                problems.add("ingest.severity", base, "unknown KICS severity '" + q.severity() + "'");
            }
            int line = hit.path("line").asInt(0);
            if (line < 0) {
                line = 0;
            }
            var span = Span.read(new String[] {start, end}, new String[] {end, start}, context.observedAt(),
                    problems, "/start");
            if (problems.reject(sink, where)) {
                return;
            }
            String type = Trees.text(hit, "resource_type");
            String name = Trees.text(hit, "resource_name");
            String address = switch (q.platform().toLowerCase(java.util.Locale.ROOT)) {
                case "terraform" -> type.isBlank() || name.isBlank() ? "" : type + "." + name;
                case "cloudformation" -> name;
                default -> "";
            };
            var resource = new CodeResource("", CodePaths.normalise(file), address, type, line);
            sink.finding(new Finding(TOOL, Trees.text(hit, "similarity_id"), context.controls().resolve(TOOL, q.id()),
                    q.id(), severity.orElseThrow(), q.severity(), resource, q.name(), true,
                    span.orElseThrow().first(), span.orElseThrow().last(), where));
        }
    }
}
