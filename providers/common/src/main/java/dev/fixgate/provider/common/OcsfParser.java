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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 *
 * <p>Resources: OCSF 1.1+ findings list them in {@code resources[]}; Compliance Findings as Security Hub maps them
 * (and OCSF 1.0's) carry one {@code resource} object. A finding about several resources is one {@link Finding} per
 * resource, since each is fixed (and located) on its own. Other classes of the Findings category (Vulnerability,
 * Incident, Data Security, Application Security Posture) are claimed so that they are rejected by name, record by
 * record, instead of the whole input being an "unknown format".
 */
public final class OcsfParser implements FindingParser {

    private static final Set<String> CLASSES = Set.of("2001", "2003", "2004");
    /** The OCSF Findings category (2xxx), so an unsupported one is named rather than unknown. */
    private static final Map<String, String> CATEGORY = Map.of(
            "2001", "Security Finding", "2002", "Vulnerability Finding", "2003", "Compliance Finding",
            "2004", "Detection Finding", "2005", "Incident Finding", "2006", "Data Security Finding",
            "2007", "Application Security Posture Finding");

    @Override
    public String format() {
        return "ocsf";
    }

    /**
     * Claims OCSF Findings-category classes (2001–2007) beside {@code finding_info} or {@code metadata}; records of
     * classes other than 2001/2003/2004 are then rejected as unsupported, by name.
     */
    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        for (String prefix : new String[] {"", "[]."}) {
            boolean finding = s.value(prefix + "class_uid").filter(CATEGORY::containsKey).isPresent();
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
        /** Every resource the finding names, in order ({@code resource} and {@code resources[]}). */
        private final List<Res> found = new ArrayList<>();
        private boolean sawResources;

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
                    case "resource" -> resource();
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
            found.clear();
            sawResources = false;
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

        /** {@code resources[]}: every object in it is a resource of the finding. */
        private void resources() throws IOException {
            if (!Tokens.array(p, problems)) {
                return;
            }
            sawResources = true;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                found.add(readResource());
            }
        }

        /** {@code resource}: one object (Compliance Findings as Security Hub's OCSF mapping writes them, OCSF 1.0). */
        private void resource() throws IOException {
            if (!Tokens.object(p, problems)) {
                return;
            }
            sawResources = true;
            found.add(readResource());
        }

        /** One resource object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
        private Res readResource() throws IOException {
            String uid = "";
            String name = "";
            String type = "";
            String region = "";
            String partition = "";
            String f;
            while ((f = Tokens.nextField(p)) != null) {
                switch (f) {
                    case "uid" -> uid = Tokens.text(p, problems);
                    case "name" -> name = Tokens.text(p, problems);
                    case "type" -> type = Tokens.text(p, problems);
                    case "region" -> region = Tokens.text(p, problems);
                    case "cloud_partition" -> partition = Tokens.text(p, problems);
                    default -> Tokens.skipValue(p);
                }
            }
            return new Res(uid, name, type, region, partition);
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
            var controlId = context.controls().resolve(tool, control);
            for (Res r : found) {
                String id = r.uid().isBlank() ? r.name() : r.uid();
                if (id.isBlank()) {
                    continue; // validate() made sure that at least one resource names itself
                }
                Cloud cloud = CloudResources.cloudOf(provider);
                if (cloud == Cloud.UNKNOWN) {
                    cloud = CloudResources.cloudOfId(id);
                }
                var resource = CloudResources.of(cloud, id, r.type(), accountUid,
                        r.region().isBlank() ? cloudRegion : r.region(), r.partition());
                sink.finding(new Finding(tool, uid, controlId, control, sev.orElseThrow(),
                        severity.isBlank() ? severityId : severity, resource, title.isBlank() ? message : title,
                        active(), span.orElseThrow().first(), span.orElseThrow().last(), where));
            }
        }

        private void validate(String base) {
            if (!CLASSES.contains(classUid)) {
                String name = CATEGORY.get(classUid);
                problems.add("ingest.unsupported-class", base + "/class_uid", classUid.isBlank()
                        ? "not an OCSF finding: no class_uid"
                        : name != null
                        ? "OCSF class " + classUid + " (" + name + ") is not supported: fixgate reads Security (2001),"
                                + " Compliance (2003) and Detection (2004) Findings about cloud resources"
                        : "OCSF class " + classUid + " is not a finding class (2001, 2003, 2004)");
            } else if (found.stream().allMatch(r -> r.uid().isBlank() && r.name().isBlank())) {
                problems.add("ingest.no-resource", base + (sawResources || found.isEmpty() ? "/resources" : "/resource"),
                        found.isEmpty() ? "the finding names no resource (neither resources[] nor resource)"
                                : "no resource of the finding has a uid or a name");
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

        /** One resource of a finding, as written. */
        private record Res(String uid, String name, String type, String region, String partition) {
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
