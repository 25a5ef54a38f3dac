package dev.fixgate.app.report;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.report.EvidenceReport.Item;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The report as OSCAL assessment results (OSCAL 1.0.6, validated in tests against NIST's published JSON Schema):
 * one result for the range; an observation per finding sighting (a scanner's test) and per remediation step (pull
 * request opened, merged, verified); a finding per finding × framework control, its target the control's
 * objective, satisfied once the fix is merged; a risk per finding still open (its deadline FedRAMP's) or accepted
 * (status {@code deviation-approved}, who, why and until when). Subjects are inventory items: the cloud resources
 * and the places in code that define them. Evidence links point at the pull request, the merge commit and the audit
 * log entries with their hashes.
 *
 * <p>UUIDs are version 5 (name-based), so the same data gives the same document. OSCAL arrays may not be empty:
 * empty ones are left out.
 */
public final class OscalWriter {

    public static final String OSCAL_VERSION = "1.0.6";
    /** The namespace of fixgate's own property names. */
    public static final String NS = "https://fixgate.dev/ns/oscal";
    private static final UUID NAMESPACE = UUID.fromString("6f1c8f3e-2b8a-5c55-9d43-1b1f0c2a7e10");

    private final EvidenceReport report;
    private final Map<String, String> inventory = new LinkedHashMap<>(); // key → uuid
    private final List<Map<String, Object>> inventoryItems = new ArrayList<>();
    private final Map<String, String> components = new LinkedHashMap<>(); // name → uuid
    private final List<Map<String, Object>> componentList = new ArrayList<>();
    private final Map<String, String> parties = new LinkedHashMap<>();
    private final List<Map<String, Object>> partyList = new ArrayList<>();

    private OscalWriter(EvidenceReport report) {
        this.report = report;
    }

    /** The OSCAL document as pretty JSON, keys in OSCAL's order. */
    public static String write(EvidenceReport report) {
        return Json.prettyInOrder(new OscalWriter(report).document());
    }

    /** A version-5 (SHA-1, name-based) UUID of {@code name} in fixgate's namespace. */
    static String uuid(String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            long msb = NAMESPACE.getMostSignificantBits();
            long lsb = NAMESPACE.getLeastSignificantBits();
            byte[] ns = new byte[16];
            for (int i = 0; i < 8; i++) {
                ns[i] = (byte) (msb >>> 8 * (7 - i));
                ns[8 + i] = (byte) (lsb >>> 8 * (7 - i));
            }
            sha1.update(ns);
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) (h[6] & 0x0f | 0x50);
            h[8] = (byte) (h[8] & 0x3f | 0x80);
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = hi << 8 | h[i] & 0xff;
                lo = lo << 8 | h[8 + i] & 0xff;
            }
            return new UUID(hi, lo).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-1", e);
        }
    }

    private Map<String, Object> document() {
        EvidenceReport.Scope scope = report.scope();
        String id = "ar:" + scope.framework() + ":" + scope.from() + ":" + scope.to() + ":" + scope.repository() + ":"
                + scope.account() + ":" + report.generatedAt();
        String backMatter = uuid(id + ":ap");
        component("fixgate", "fixgate", "The fixgate GitHub App: ingests findings, fixes them through reviewed pull"
                + " requests and records every step in a hash-chained audit log.");

        List<Map<String, Object>> observations = new ArrayList<>();
        List<Map<String, Object>> findings = new ArrayList<>();
        List<Map<String, Object>> risks = new ArrayList<>();
        Map<Long, List<Item>> byRemediation = new LinkedHashMap<>();
        for (Item i : report.items()) {
            if (i.fix() != null) {
                byRemediation.computeIfAbsent(i.fix().remediationId(), k -> new ArrayList<>()).add(i);
            }
        }
        Map<String, List<String>> itemObservations = new LinkedHashMap<>();
        for (Item i : report.items()) {
            List<String> subjects = subjects(i);
            for (int n = 0; n < i.sightings().size(); n++) {
                EvidenceReport.Sighting s = i.sightings().get(n);
                String uuid = uuid("obs:sighting:" + i.fingerprint() + ":" + s.tool() + ":" + s.sourceId());
                itemObservations.computeIfAbsent(i.fingerprint(), k -> new ArrayList<>()).add(uuid);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("uuid", uuid);
                o.put("title", s.tool() + " reported " + i.control() + " on " + i.resource().key());
                o.put("description", i.title().isBlank() ? i.control() : i.title());
                list(o, "props", props(prop("finding-fingerprint", i.fingerprint()), prop("control", i.control()),
                        prop("severity", i.severity()), prop("source-control", s.sourceControl()),
                        prop("still-reported", Boolean.toString(s.active()))));
                o.put("methods", List.of("TEST"));
                o.put("types", List.of("finding"));
                o.put("origins", List.of(Map.of("actors", List.of(actor("tool", component(s.tool(), s.tool(),
                        "A security scanner whose findings fixgate ingests."))))));
                list(o, "subjects", subjectRefs(subjects));
                Map<String, Object> evidence = new LinkedHashMap<>();
                evidence.put("description", "The scanner's record " + s.sourceId() + " in " + s.rawSource()
                        + (s.rawLine() > 0 ? ":" + s.rawLine() : "") + (s.rawPointer().isEmpty() ? "" : " at " + s.rawPointer()));
                list(evidence, "props", props(prop("source-file", s.rawSource()), prop("first-seen", s.firstSeen().toString()),
                        prop("last-seen", s.lastSeen().toString())));
                o.put("relevant-evidence", List.of(evidence));
                o.put("collected", s.lastSeen().toString());
                observations.add(o);
            }
        }
        for (Map.Entry<Long, List<Item>> e : byRemediation.entrySet()) {
            Item first = e.getValue().getFirst();
            EvidenceReport.Fix fix = first.fix();
            List<String> subjects = new ArrayList<>();
            e.getValue().forEach(i -> subjects.addAll(subjects(i)));
            List<String> steps = new ArrayList<>();
            if (fix.deliveredAt() != null || fix.pullRequest() != null) {
                steps.add("delivered");
            }
            if (fix.mergedAt() != null) {
                steps.add("merged");
            }
            for (String step : steps) {
                String uuid = uuid("obs:" + step + ":" + fix.remediationId());
                e.getValue().forEach(i -> itemObservations.computeIfAbsent(i.fingerprint(), k -> new ArrayList<>()).add(uuid));
                observations.add(step(uuid, step, fix, e.getValue(), subjects));
            }
        }
        Set<String> reviewed = new LinkedHashSet<>();
        for (Item i : report.items()) {
            String riskUuid = null;
            if (i.status().equals("open") || i.status().equals("excepted")) {
                riskUuid = uuid("risk:" + i.fingerprint());
                risks.add(risk(riskUuid, i, itemObservations.getOrDefault(i.fingerprint(), List.of())));
            }
            Set<String> mine = new LinkedHashSet<>();
            for (String control : i.frameworkControls()) {
                String oscal = Framework.of(report.scope().framework()).map(f -> f.oscalId(control)).orElse(control);
                reviewed.add(oscal);
                if (!mine.add(oscal)) {
                    continue; // AC-21 and AC-21(b): one finding for the control
                }
                findings.add(finding(i, control, oscal, itemObservations.getOrDefault(i.fingerprint(), List.of()), riskUuid));
            }
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("uuid", uuid(id + ":result"));
        result.put("title", "fixgate continuous monitoring, " + scope.frameworkTitle());
        result.put("description", "Findings, remediations and risk acceptances recorded by fixgate from " + scope.from()
                + " to " + scope.to() + (scope.repository().isEmpty() ? "" : " in " + scope.repository())
                + (scope.account().isEmpty() ? "" : " for account " + scope.account()) + ".");
        result.put("start", scope.from().toString());
        result.put("end", scope.to().toString());
        list(result, "props", props(prop("framework", scope.framework()),
                prop("audit-head-seq", Long.toString(report.auditHead().seq())),
                prop("audit-head-hash", report.auditHead().hash())));
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("components", componentList);
        list(local, "inventory-items", inventoryItems);
        result.put("local-definitions", local);
        Map<String, Object> selection = new LinkedHashMap<>();
        if (reviewed.isEmpty()) {
            selection.put("include-all", Map.of());
        } else {
            selection.put("include-controls", reviewed.stream().map(c -> Map.of("control-id", c)).toList());
        }
        result.put("reviewed-controls", Map.of("control-selections", List.of(selection)));
        list(result, "observations", observations);
        list(result, "risks", risks);
        list(result, "findings", findings);
        if (!report.notes().isEmpty()) {
            result.put("remarks", String.join("\n\n", report.notes()));
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("title", "fixgate evidence report: " + scope.frameworkTitle());
        metadata.put("last-modified", report.generatedAt().toString());
        metadata.put("version", report.generatedAt().toString());
        metadata.put("oscal-version", OSCAL_VERSION);
        list(metadata, "parties", partyList);

        Map<String, Object> ar = new LinkedHashMap<>();
        ar.put("uuid", uuid(id));
        ar.put("metadata", metadata);
        ar.put("import-ap", Map.of("href", "#" + backMatter, "remarks", "fixgate assesses continuously from scanner"
                + " findings; there is no separate assessment plan. The back-matter resource describes the method."));
        ar.put("results", List.of(result));
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("uuid", backMatter);
        plan.put("title", "fixgate continuous monitoring method");
        plan.put("description", "Findings come from the security scanners named as observation origins; fixgate groups"
                + " them, fixes them through pull requests gated by policy, reasoning and human approval, and records every"
                + " step in an append-only, hash-chained audit log (head " + report.auditHead().hash() + " at entry "
                + report.auditHead().seq() + "). Remediation deadlines: " + report.deadlines().source() + ".");
        ar.put("back-matter", Map.of("resources", List.of(plan)));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("assessment-results", ar);
        return root;
    }

    private Map<String, Object> step(String uuid, String step, EvidenceReport.Fix fix, List<Item> items,
                                     List<String> subjects) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("uuid", uuid);
        boolean merged = step.equals("merged");
        o.put("title", merged ? "fix merged in " + fix.repository() + (fix.pullNumber() == null ? "" : " #" + fix.pullNumber())
                : fix.pullNumber() != null ? "fix proposed as pull request " + fix.repository() + " #" + fix.pullNumber()
                : "routed to the owners as issue " + fix.repository() + " #" + fix.issueNumber());
        o.put("description", (merged ? "The remediation was merged" : "The remediation was delivered") + " for "
                + items.size() + " finding" + (items.size() == 1 ? "" : "s") + " (remediation " + fix.remediationId()
                + ", RCI " + fix.rci() + ").");
        list(o, "props", props(prop("remediation-id", Long.toString(fix.remediationId())), prop("rci", fix.rci()),
                prop("remediation-status", fix.status())));
        o.put("methods", List.of("EXAMINE"));
        o.put("types", List.of("mitigation"));
        o.put("origins", List.of(Map.of("actors", List.of(actor("tool", components.get("fixgate"))))));
        list(o, "subjects", subjectRefs(subjects));
        List<Map<String, Object>> evidence = new ArrayList<>();
        if (fix.pullRequest() != null) {
            evidence.add(evidence(fix.pullRequest(), "Pull request " + fix.repository() + " #" + fix.pullNumber(), List.of()));
        }
        if (merged && fix.mergeCommit() != null) {
            evidence.add(evidence(fix.mergeCommit(), "Merge commit " + fix.mergeSha(), props(prop("merge-commit", fix.mergeSha()))));
        }
        Set<Long> cited = new LinkedHashSet<>();
        for (Item i : items) {
            for (EvidenceReport.AuditRef a : i.audit()) {
                boolean forStep = merged ? a.type().equals("remediation.merged") : a.type().equals("remediation.delivered");
                if (forStep && cited.add(a.seq())) {
                    evidence.add(evidence(null, "fixgate audit log entry " + a.seq() + " (" + a.type() + ", " + a.at() + ")",
                            props(prop("audit-seq", Long.toString(a.seq())), prop("audit-hash", a.hash()))));
                }
            }
        }
        if (evidence.isEmpty()) {
            evidence.add(evidence(null, "fixgate's remediations table, row " + fix.remediationId(), List.of()));
        }
        o.put("relevant-evidence", evidence);
        Instant at = merged ? fix.mergedAt() : fix.deliveredAt() != null ? fix.deliveredAt() : report.generatedAt();
        o.put("collected", at.toString());
        return o;
    }

    private Map<String, Object> finding(Item i, String control, String oscal, List<String> observations, String risk) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("uuid", uuid("finding:" + i.fingerprint() + ":" + oscal));
        f.put("title", control + ": " + i.control() + " on " + i.resource().key());
        f.put("description", (i.title().isBlank() ? i.control() : i.title()) + ". Status: " + i.status()
                + (i.mergedAt() != null ? ", fixed by a merge at " + i.mergedAt() : "")
                + (i.dueAt() != null ? "; FedRAMP deadline " + i.dueAt() : "") + ".");
        list(f, "props", props(prop("finding-fingerprint", i.fingerprint()), prop("severity", i.severity()),
                prop("status", i.status()), prop("detected", i.detectedAt().toString()),
                prop("merged", i.mergedAt() == null ? "" : i.mergedAt().toString()),
                prop("days-to-merge", i.daysToMerge() == null ? "" : i.daysToMerge().toString()),
                prop("overdue", Boolean.toString(i.overdue()))));
        f.put("origins", List.of(Map.of("actors", List.of(actor("tool", components.get("fixgate"))))));
        boolean satisfied = i.status().equals("remediated") || i.status().equals("verified") || i.status().equals("resolved");
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", satisfied ? "satisfied" : "not-satisfied");
        status.put("reason", satisfied ? "pass" : "fail");
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("type", "objective-id");
        target.put("target-id", oscal + "_obj");
        target.put("title", control);
        list(target, "props", props(prop("label", control)));
        target.put("status", status);
        f.put("target", target);
        list(f, "related-observations", observations.stream().map(o -> Map.<String, Object>of("observation-uuid", o)).toList());
        if (risk != null) {
            f.put("related-risks", List.of(Map.of("risk-uuid", risk)));
        }
        return f;
    }

    private Map<String, Object> risk(String uuid, Item i, List<String> observations) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("uuid", uuid);
        r.put("title", i.control() + " on " + i.resource().key());
        r.put("description", i.title().isBlank() ? i.control() : i.title());
        EvidenceReport.Acceptance a = report.exceptions().stream().filter(x -> x.fingerprint().equals(i.fingerprint()))
                .findFirst().orElse(null);
        if (a != null) {
            r.put("statement", "Risk accepted by " + a.acceptedBy() + " since " + a.since() + ": " + a.reason()
                    + (a.until() == null ? " (no expiry set)" : " (until " + a.until() + ")"));
            list(r, "props", props(prop("severity", i.severity()), prop("acceptance-kind", a.kind()),
                    prop("accepted-by", a.acceptedBy()), prop("accepted-since", a.since().toString()),
                    prop("gate-decision", a.decisionId() == 0 ? "" : Long.toString(a.decisionId()))));
            r.put("status", "deviation-approved");
            r.put("origins", List.of(Map.of("actors", List.of(actor("party", party(a.acceptedBy()))))));
            if (a.until() != null) {
                r.put("deadline", a.until().toString());
            }
        } else {
            r.put("statement", "Open since " + i.detectedAt() + (i.dueAt() == null ? "; no FedRAMP deadline (informational)"
                    : "; to be fixed by " + i.dueAt() + " (" + i.deadlineDays() + " days, FedRAMP)")
                    + (i.fix() != null && i.fix().pullRequest() != null ? "; fix proposed in " + i.fix().pullRequest() : ""));
            list(r, "props", props(prop("severity", i.severity()), prop("overdue", Boolean.toString(i.overdue()))));
            r.put("status", i.fix() != null ? "remediating" : "open");
            r.put("origins", List.of(Map.of("actors", List.of(actor("tool", components.get("fixgate"))))));
            if (i.dueAt() != null) {
                r.put("deadline", i.dueAt().toString());
            }
        }
        list(r, "related-observations", observations.stream().map(o -> Map.<String, Object>of("observation-uuid", o)).toList());
        return r;
    }

    /** The inventory items an item is about: its cloud resource (or file) and, when known, its place in code. */
    private List<String> subjects(Item i) {
        List<String> out = new ArrayList<>();
        EvidenceReport.Resource res = i.resource();
        out.add(inventory("resource:" + res.key(), i.resource().kind().equals("code")
                        ? "Infrastructure code " + res.id() + " in " + res.account() : "Cloud resource " + res.id(),
                props(prop("resource-kind", res.kind()), prop("cloud", res.cloud()), prop("account", res.account()),
                        prop("region", res.region()), prop("resource-type", res.type()), prop("resource-key", res.key())),
                List.of()));
        EvidenceReport.Iac iac = i.iac();
        if (iac != null && !i.resource().kind().equals("code")) {
            List<Map<String, Object>> links = new ArrayList<>();
            if (i.fix() != null && i.fix().mergeCommit() != null && !iac.repository().isEmpty()) {
                links.add(link(i.fix().mergeCommit().replace("/commit/", "/blob/") + "/" + iac.file(), "iac-location"));
            }
            out.add(inventory("iac:" + iac.repository() + ":" + iac.file() + ":" + iac.address(),
                    "Infrastructure code defining it: " + (iac.repository().isEmpty() ? "" : iac.repository() + " ")
                            + iac.file() + (iac.address().isEmpty() ? "" : " " + iac.address()),
                    props(prop("repository", iac.repository()), prop("file", iac.file()), prop("address", iac.address())),
                    links));
        }
        return out;
    }

    private String inventory(String key, String description, List<Map<String, Object>> props,
                             List<Map<String, Object>> links) {
        return inventory.computeIfAbsent(key, k -> {
            String uuid = uuid("inventory:" + k);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("uuid", uuid);
            item.put("description", description);
            list(item, "props", props);
            list(item, "links", links);
            inventoryItems.add(item);
            return uuid;
        });
    }

    private String component(String name, String title, String description) {
        return components.computeIfAbsent(name, k -> {
            String uuid = uuid("component:" + k);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("uuid", uuid);
            c.put("type", "software");
            c.put("title", title.isBlank() ? "unknown tool" : title);
            c.put("description", description);
            c.put("status", Map.of("state", "operational"));
            componentList.add(c);
            return uuid;
        });
    }

    private String party(String name) {
        return parties.computeIfAbsent(name, k -> {
            String uuid = uuid("party:" + k);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("uuid", uuid);
            p.put("type", k.contains(" ") ? "organization" : "person");
            p.put("name", clean(k));
            partyList.add(p);
            return uuid;
        });
    }

    private static List<Map<String, Object>> subjectRefs(Collection<String> uuids) {
        return new LinkedHashSet<>(uuids).stream().map(u -> Map.<String, Object>of("subject-uuid", u, "type", "inventory-item"))
                .toList();
    }

    private static Map<String, Object> actor(String type, String uuid) {
        return Map.of("type", type, "actor-uuid", uuid);
    }

    private static Map<String, Object> evidence(String href, String description, List<Map<String, Object>> props) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (href != null) {
            e.put("href", href);
        }
        e.put("description", description);
        list(e, "props", props);
        return e;
    }

    private static Map<String, Object> link(String href, String rel) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("href", href);
        l.put("rel", rel);
        return l;
    }

    @SafeVarargs
    private static List<Map<String, Object>> props(Map<String, Object>... props) {
        return java.util.Arrays.asList(props);
    }

    /** A fixgate property; {@code null} (left out) when the value is empty, as OSCAL strings may not be. */
    private static Map<String, Object> prop(String name, String value) {
        String v = clean(value);
        if (v.isEmpty()) {
            return null;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("ns", NS);
        p.put("value", v);
        return p;
    }

    /** OSCAL strings have no leading or trailing white space and no line breaks inside. */
    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    /** Puts the list without its nulls, or nothing when that leaves it empty (OSCAL arrays have at least one item). */
    private static void list(Map<String, Object> into, String key, List<? extends Map<String, Object>> values) {
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> v : values) {
            if (v != null) {
                kept.add(v);
            }
        }
        if (!kept.isEmpty()) {
            into.put(key, kept);
        }
    }
}
