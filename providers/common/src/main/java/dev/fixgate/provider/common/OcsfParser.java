package dev.fixgate.provider.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.fixgate.provider.common.resource.CloudResources;
import dev.fixgate.provider.common.stream.JsonInput;
import dev.fixgate.provider.common.stream.JsonShape;
import dev.fixgate.provider.common.stream.Problems;
import dev.fixgate.provider.common.stream.Records;
import dev.fixgate.provider.common.stream.Severities;
import dev.fixgate.provider.common.stream.Span;
import dev.fixgate.provider.common.stream.Tokens;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * OCSF 1.x findings: Detection Finding (class 2004), Compliance Finding (2003) and the older Security Finding
 * (2001) — Prowler's {@code json-ocsf} output (an array) and Security Hub's OCSF findings (one object, an array or
 * JSON lines). Streamed like ASFF: it is the other format that comes in millions.
 *
 * <p>Tool: {@code metadata.product.name} ({@code prowler}, {@code securityhub}). Control: Prowler's check id in
 * {@code metadata.event_code}; otherwise {@code compliance.control}, then {@code metadata.event_code}. Gone:
 * {@code status_code} PASS, {@code status_id} 3/4 (suppressed/resolved), {@code compliance.status} pass.
 */
public final class OcsfParser implements FindingParser {

    private static final Set<String> CLASSES = Set.of("2001", "2003", "2004");

    @Override
    public String format() {
        return "ocsf";
    }

    /** Claims OCSF finding classes: a {@code class_uid} of 2001/2003/2004 beside {@code finding_info} or {@code metadata}. */
    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        for (String prefix : new String[] {"", "[]."}) {
            boolean finding = s.value(prefix + "class_uid").filter(CLASSES::contains).isPresent();
            if (finding && (s.has(prefix + "finding_info") || s.has(prefix + "metadata"))) {
                return 90;
            }
        }
        return 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        try (JsonInput input = JsonInput.open(in, context)) {
            OcsfRecord record = new OcsfRecord(input.parser(), context, sink);
            input.run(() -> Records.roots(input, sink, "an OCSF finding or an array of them", record::read));
        }
    }

    /** One OCSF finding's kept fields, reused across records (see {@code AsffRecord} for why). */
    private static final class OcsfRecord {
        private final JsonParser p;
        private final ParseContext context;
        private final Sink sink;
        private final Problems problems = new Problems();

        private String classUid;
        private String statusCode;
        private String status;
        private String statusId;
        private String severityId;
        private String severity;
        private String message;
        private String uid;
        private String title;
        private String firstSeen;
        private String firstSeenDt;
        private String createdTime;
        private String createdTimeDt;
        private String lastSeen;
        private String lastSeenDt;
        private String modifiedTime;
        private String modifiedTimeDt;
        private String time;
        private String timeDt;
        private String eventCode;
        private String productName;
        private String productUid;
        private String complianceControl;
        private String complianceStatus;
        private String complianceStatusId;
        private String provider;
        private String cloudRegion;
        private String accountUid;
        private boolean haveResource;
        private String resourceUid;
        private String resourceName;
        private String resourceType;
        private String resourceRegion;
        private String resourcePartition;

        OcsfRecord(JsonParser p, ParseContext context, Sink sink) {
            this.p = p;
            this.context = context;
            this.sink = sink;
        }

        void read(SourceLocation where) throws IOException {
            reset();
            String field;
            while ((field = Tokens.nextField(p)) != null) {
                switch (field) {
                    case "class_uid" -> classUid = Tokens.text(p, problems);
                    case "status_code" -> statusCode = Tokens.text(p, problems);
                    case "status" -> status = Tokens.text(p, problems);
                    case "status_id" -> statusId = Tokens.text(p, problems);
                    case "severity_id" -> severityId = Tokens.text(p, problems);
                    case "severity" -> severity = Tokens.text(p, problems);
                    case "message" -> message = Tokens.text(p, problems);
                    case "time" -> time = Tokens.text(p, problems);
                    case "time_dt" -> timeDt = Tokens.text(p, problems);
                    case "finding_info" -> findingInfo();
                    case "metadata" -> metadata();
                    case "compliance" -> compliance();
                    case "cloud" -> cloud();
                    case "resources" -> resources();
                    default -> Tokens.skipValue(p);
                }
            }
            emit(where);
        }

        private void reset() {
            problems.reset();
            classUid = statusCode = status = statusId = severityId = severity = message = "";
            uid = title = firstSeen = firstSeenDt = createdTime = createdTimeDt = "";
            lastSeen = lastSeenDt = modifiedTime = modifiedTimeDt = time = timeDt = "";
            eventCode = productName = productUid = complianceControl = complianceStatus = complianceStatusId = "";
            provider = cloudRegion = accountUid = "";
            haveResource = false;
            resourceUid = resourceName = resourceType = resourceRegion = resourcePartition = "";
        }

        private void findingInfo() throws IOException {
            if (!Tokens.object(p, problems)) {
                return;
            }
            String f;
            while ((f = Tokens.nextField(p)) != null) {
                switch (f) {
                    case "uid" -> uid = Tokens.text(p, problems);
                    case "title" -> title = Tokens.text(p, problems);
                    case "first_seen_time" -> firstSeen = Tokens.text(p, problems);
                    case "first_seen_time_dt" -> firstSeenDt = Tokens.text(p, problems);
                    case "created_time" -> createdTime = Tokens.text(p, problems);
                    case "created_time_dt" -> createdTimeDt = Tokens.text(p, problems);
                    case "last_seen_time" -> lastSeen = Tokens.text(p, problems);
                    case "last_seen_time_dt" -> lastSeenDt = Tokens.text(p, problems);
                    case "modified_time" -> modifiedTime = Tokens.text(p, problems);
                    case "modified_time_dt" -> modifiedTimeDt = Tokens.text(p, problems);
                    default -> Tokens.skipValue(p);
                }
            }
        }

        private void metadata() throws IOException {
            if (!Tokens.object(p, problems)) {
                return;
            }
            String f;
            while ((f = Tokens.nextField(p)) != null) {
                if (f.equals("event_code")) {
                    eventCode = Tokens.text(p, problems);
                } else if (f.equals("product") && Tokens.object(p, problems)) {
                    String g;
                    while ((g = Tokens.nextField(p)) != null) {
                        switch (g) {
                            case "name" -> productName = Tokens.text(p, problems);
                            case "uid" -> productUid = Tokens.text(p, problems);
                            default -> Tokens.skipValue(p);
                        }
                    }
                } else if (!f.equals("product")) {
                    Tokens.skipValue(p);
                }
            }
        }

        private void compliance() throws IOException {
            if (!Tokens.object(p, problems)) {
                return;
            }
            String f;
            while ((f = Tokens.nextField(p)) != null) {
                switch (f) {
                    case "control" -> complianceControl = Tokens.text(p, problems);
                    case "status" -> complianceStatus = Tokens.text(p, problems);
                    case "status_id" -> complianceStatusId = Tokens.text(p, problems);
                    default -> Tokens.skipValue(p);
                }
            }
        }

        private void cloud() throws IOException {
            if (!Tokens.object(p, problems)) {
                return;
            }
            String f;
            while ((f = Tokens.nextField(p)) != null) {
                if (f.equals("provider")) {
                    provider = Tokens.text(p, problems);
                } else if (f.equals("region")) {
                    cloudRegion = Tokens.text(p, problems);
                } else if (f.equals("account") && Tokens.object(p, problems)) {
                    String g;
                    while ((g = Tokens.nextField(p)) != null) {
                        if (g.equals("uid")) {
                            accountUid = Tokens.text(p, problems);
                        } else {
                            Tokens.skipValue(p);
                        }
                    }
                } else if (!f.equals("account")) {
                    Tokens.skipValue(p);
                }
            }
        }

        /** The first resource is the one the finding is about (Prowler and Security Hub write one). */
        private void resources() throws IOException {
            if (!Tokens.array(p, problems)) {
                return;
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (haveResource || p.currentToken() != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                haveResource = true;
                String f;
                while ((f = Tokens.nextField(p)) != null) {
                    switch (f) {
                        case "uid" -> resourceUid = Tokens.text(p, problems);
                        case "name" -> resourceName = Tokens.text(p, problems);
                        case "type" -> resourceType = Tokens.text(p, problems);
                        case "region" -> resourceRegion = Tokens.text(p, problems);
                        case "cloud_partition" -> resourcePartition = Tokens.text(p, problems);
                        default -> Tokens.skipValue(p);
                    }
                }
            }
        }

        private void emit(SourceLocation where) {
            String base = where.pointer();
            if (!problems.any()) {
                validate(base);
            }
            Optional<Severity> sev = problems.any() ? Optional.empty() : severity(base);
            String tool = tool();
            var span = problems.any() ? Optional.<Span>empty()
                    : Span.read(new String[] {firstSeenDt, firstSeen, createdTimeDt, createdTime, timeDt, time},
                            new String[] {lastSeenDt, lastSeen, modifiedTimeDt, modifiedTime, timeDt, time},
                            context.observedAt(), problems, base + "/finding_info");
            if (problems.reject(sink, where)) {
                return;
            }
            String control = control(tool);
            String id = resourceUid.isBlank() ? resourceName : resourceUid;
            Cloud cloud = CloudResources.cloudOf(provider);
            if (cloud == Cloud.UNKNOWN) {
                cloud = CloudResources.cloudOfId(id);
            }
            var resource = CloudResources.of(cloud, id, resourceType, accountUid,
                    resourceRegion.isBlank() ? cloudRegion : resourceRegion, resourcePartition);
            sink.finding(new Finding(tool, uid, context.controls().resolve(tool, control), control, sev.orElseThrow(),
                    severity.isBlank() ? severityId : severity, resource, title.isBlank() ? message : title,
                    active(), span.orElseThrow().first(), span.orElseThrow().last(), where));
        }

        private void validate(String base) {
            if (!CLASSES.contains(classUid)) {
                problems.add("ingest.unsupported-class", base + "/class_uid", classUid.isBlank()
                        ? "not an OCSF finding: no class_uid"
                        : "OCSF class " + classUid + " is not a finding class (2001, 2003, 2004)");
            } else if (!haveResource || (resourceUid.isBlank() && resourceName.isBlank())) {
                problems.add("ingest.no-resource", base + "/resources", "the finding names no resource uid");
            } else if (control(tool()).isBlank()) {
                problems.add("ingest.no-control", base + "/metadata/event_code",
                        "no control id in metadata.event_code or compliance.control");
            }
        }

        private Optional<Severity> severity(String base) {
            Optional<Severity> s = Severities.ocsfId(severityId);
            if (s.isEmpty()) {
                s = Severities.label(severity);
            }
            if (s.isEmpty()) {
                problems.add("ingest.severity", base + "/severity_id",
                        "unknown severity: severity_id '" + severityId + "', severity '" + severity + "'");
            }
            return s;
        }

        private String tool() {
            String name = productName.isBlank() ? productUid : productName;
            String t = name.toLowerCase(Locale.ROOT).replace(" ", "");
            return t.isBlank() ? "ocsf" : t;
        }

        private String control(String tool) {
            if (tool.equals("prowler") && !eventCode.isBlank()) {
                return eventCode;
            }
            return complianceControl.isBlank() ? eventCode : complianceControl;
        }

        private boolean active() {
            String code = statusCode.toUpperCase(Locale.ROOT);
            String st = status.toLowerCase(Locale.ROOT);
            String cs = complianceStatus.toLowerCase(Locale.ROOT);
            return !code.equals("PASS")
                    && !statusId.equals("3") && !statusId.equals("4")
                    && !st.equals("suppressed") && !st.equals("resolved")
                    && !cs.startsWith("pass") && !complianceStatusId.equals("1");
        }
    }
}
