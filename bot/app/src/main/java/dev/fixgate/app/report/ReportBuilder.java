package dev.fixgate.app.report;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.report.EvidenceReport.Acceptance;
import dev.fixgate.app.report.EvidenceReport.ControlStatus;
import dev.fixgate.app.report.EvidenceReport.Item;
import dev.fixgate.app.report.EvidenceReport.Stats;
import dev.fixgate.app.store.ExceptionStore;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerificationStore;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.FindingState;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.Severity;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds the {@link EvidenceReport} from a {@link Snapshot}: one item per finding in scope, its timeline (detected
 * = its earliest sighting, merged = the first merge of a remediation that fixes it, verified = the first
 * verification that found it gone), its status at the end of the range, and the aggregates.
 *
 * <p>In scope: findings detected by the end of the range and not closed (merged or resolved at their source)
 * before its start, of the chosen repository and account when given.
 */
public final class ReportBuilder {

    /** FedRAMP's remediation deadlines, in days (docs/reporting.md cites the source). */
    public static final int HIGH_DAYS = 30;
    public static final int MODERATE_DAYS = 90;
    public static final int LOW_DAYS = 180;
    public static final String DEADLINE_SOURCE = "FedRAMP Continuous Monitoring Strategy Guide, version 3.2 (2018-04-04):"
            + " high-risk vulnerabilities mitigated within 30 days, moderate within 90, low within 180 (also the RA-5"
            + " parameter of the FedRAMP Rev. 5 baselines)";
    /** The line to beat. */
    public static final double BASELINE_DAYS = 128;
    public static final String BASELINE_LABEL = "baseline: a 128-day average to fix critical misconfigurations";

    public static final List<String> STATUSES = List.of("open", "remediated", "verified", "excepted", "resolved");
    public static final String UNMAPPED = "unmapped";

    private static final Duration DAY = Duration.ofDays(1);

    /**
     * What to report on.
     *
     * @param repository {@code owner/name}, or empty for all
     * @param account    a cloud account, or empty for all
     * @param webBase    the GitHub web address pull requests and commits are linked under ({@code https://github.com})
     */
    public record Options(Instant from, Instant to, ControlMap controls, String repository, String account,
                          String webBase, Instant generatedAt) {
        public Options {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(controls, "controls");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(webBase, "webBase");
            Objects.requireNonNull(generatedAt, "generatedAt");
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("the range starts after it ends");
            }
            webBase = webBase.replaceAll("/+$", "");
        }
    }

    private final Snapshot data;
    private final Options options;
    /** fingerprint → when its source reported it resolved (findings in state RESOLVED only) */
    private final Map<String, Instant> resolvedAt = new HashMap<>();
    private final Map<String, List<ExceptionStore.RiskAcceptance>> acceptances;

    private ReportBuilder(Snapshot data, Options options) {
        this.data = data;
        this.options = options;
        for (FindingStore.StoredFinding f : data.findings()) {
            if (f.state() == FindingState.RESOLVED) {
                resolvedAt.put(f.fingerprint().value(), f.stateChanged());
            }
        }
        this.acceptances = group(data.exceptions(), ExceptionStore.RiskAcceptance::fingerprint);
    }

    public static EvidenceReport build(Snapshot data, Options options) {
        return new ReportBuilder(data, options).build();
    }

    /** The FedRAMP risk level of a severity, and its deadline in days (0: none). */
    public static String fedrampRisk(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "High";
            case MEDIUM -> "Moderate";
            case LOW -> "Low";
            case INFO -> "";
        };
    }

    public static int deadlineDays(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> HIGH_DAYS;
            case MEDIUM -> MODERATE_DAYS;
            case LOW -> LOW_DAYS;
            case INFO -> 0;
        };
    }

    private EvidenceReport build() {
        Map<String, List<FindingStore.FingerprintSighting>> sightings = group(data.sightings(),
                s -> s.fingerprint().value());
        Map<String, List<RemediationStore.Remediation>> fixes = new HashMap<>();
        Map<Long, RemediationStore.Remediation> byId = new HashMap<>();
        for (RemediationStore.Remediation r : data.remediations()) {
            byId.put(r.id(), r);
            for (Fingerprint f : data.covered().getOrDefault(r.id(), List.of())) {
                fixes.computeIfAbsent(f.value(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<Long, Instant> verifiedAt = new HashMap<>();
        for (VerificationStore.Verification v : data.verifications()) {
            // one step resolving (the code passes, the cloud reads right) is not the fix verified: the verdict is
            if (v.outcome() == VerificationStore.Outcome.RESOLVED && !VerificationStore.isStep(v.method())) {
                verifiedAt.merge(v.remediationId(), v.verifiedAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        Map<String, List<AuditLog.Entry>> audit = group(data.audit(), AuditLog.Entry::subject);

        // The timelines, from events (Mttr is order-independent: the same data gives the same numbers).
        List<Mttr.Event> events = new ArrayList<>();
        for (FindingStore.StoredFinding f : data.findings()) {
            events.add(new Mttr.Detected(f.fingerprint().value(), f.firstSeen()));
        }
        for (FindingStore.FingerprintSighting s : data.sightings()) {
            events.add(new Mttr.Detected(s.fingerprint().value(), s.sighting().firstSeen()));
        }
        fixes.forEach((fp, rs) -> rs.forEach(r -> {
            r.mergedAt().ifPresent(at -> events.add(new Mttr.Merged(fp, at)));
            Optional.ofNullable(verifiedAt.get(r.id())).ifPresent(at -> events.add(new Mttr.Verified(fp, at)));
        }));
        Map<String, Mttr.Timeline> timelines = Mttr.timelines(events);

        List<Item> items = new ArrayList<>();
        Map<String, Severity> severities = new HashMap<>();
        Map<String, ExceptionStore.RiskAcceptance> accepted = new HashMap<>();
        Map<String, Instant> acceptedSince = new HashMap<>();
        for (FindingStore.StoredFinding f : data.findings()) {
            String fp = f.fingerprint().value();
            Mttr.Timeline t = timelines.get(fp);
            Instant detected = t.detected();
            Optional<Instant> merged = t.merged().filter(m -> !m.isAfter(options.to()));
            Optional<Instant> verified = t.verified().filter(v -> !v.isAfter(options.to()));
            Optional<Instant> resolved = f.state() == FindingState.RESOLVED && !f.stateChanged().isAfter(options.to())
                    ? Optional.of(f.stateChanged()) : Optional.empty();
            Optional<Instant> closed = merged.isPresent() ? merged : resolved;
            if (detected.isAfter(options.to()) || closed.filter(c -> c.isBefore(options.from())).isPresent()) {
                continue;
            }
            List<RemediationStore.Remediation> mine = fixes.getOrDefault(fp, List.of());
            Optional<RemediationStore.Remediation> fix = mine.stream()
                    .filter(r -> r.mergedAt().isPresent() && merged.isPresent() && r.mergedAt().get().equals(merged.get()))
                    .findFirst().or(() -> mine.stream().max(Comparator.comparingLong(RemediationStore.Remediation::id)));
            String repository = fix.map(RemediationStore.Remediation::repo)
                    .or(() -> locationOf(f).map(Snapshot.Location::repo).filter(r -> !r.isEmpty()))
                    .or(() -> acceptances.getOrDefault(fp, List.of()).stream().map(ExceptionStore.RiskAcceptance::repo)
                            .filter(r -> !r.isEmpty()).findFirst())
                    .orElse(f.resource() instanceof CodeResource c ? c.repo() : "");
            EvidenceReport.Resource resource = resource(f);
            if (!options.repository().isEmpty() && !options.repository().equals(repository)) {
                continue;
            }
            if (!options.account().isEmpty() && !options.account().equals(resource.account())) {
                continue;
            }
            Optional<ExceptionStore.RiskAcceptance> acceptance = acceptances.getOrDefault(fp, List.of()).stream()
                    .filter(a -> a.activeAt(options.to())).max(Comparator.comparingLong(ExceptionStore.RiskAcceptance::id));
            String status = verified.isPresent() ? "verified" : merged.isPresent() ? "remediated"
                    : resolved.isPresent() ? "resolved" : acceptance.isPresent() ? "excepted" : "open";
            acceptance.ifPresent(a -> {
                accepted.put(fp, a);
                acceptedSince.put(fp, acceptances.get(fp).stream().filter(x -> x.activeAt(options.to()))
                        .map(ExceptionStore.RiskAcceptance::createdAt).min(Comparator.naturalOrder()).orElseThrow());
            });
            int deadline = deadlineDays(f.severity());
            Instant due = deadline == 0 ? null : detected.plus(Duration.ofDays(deadline));
            boolean overdue = due != null && (status.equals("open") ? options.to().isAfter(due)
                    : merged.filter(m -> m.isAfter(due)).isPresent());
            severities.put(fp, f.severity());
            items.add(new Item(fp, f.control().value(), options.controls().controls(f.control().value()),
                    f.severity().id(), Redactor.redact(f.title()), resource, repository, iac(f).orElse(null), detected,
                    merged.orElse(null), verified.orElse(null), status,
                    merged.map(m -> Mttr.days(Duration.between(detected, m).getSeconds())).orElse(null), deadline, due,
                    overdue, fix.map(r -> fix(r, verifiedAt)).orElse(null),
                    sightings.getOrDefault(fp, List.of()).stream().map(s -> sighting(s.sighting())).toList(),
                    fix.map(r -> auditOf(r, audit)).orElse(List.of())));
        }
        items.sort(Comparator.comparing(Item::detectedAt).thenComparing(Item::fingerprint));

        EvidenceReport.MttrSection mttr = mttr(items, severities);
        List<EvidenceReport.Overdue> overdue = items.stream().filter(Item::overdue).map(this::overdue)
                .sorted(Comparator.comparing(EvidenceReport.Overdue::daysOverdue).reversed()).toList();
        List<ControlStatus> controls = controls(items);
        List<Acceptance> exceptions = items.stream().filter(i -> i.status().equals("excepted")).map(i -> {
            ExceptionStore.RiskAcceptance a = accepted.get(i.fingerprint());
            return new Acceptance(i.fingerprint(), i.control(), i.resource().key(), a.kind().id(), a.acceptedBy(),
                    a.reason(), acceptedSince.get(i.fingerprint()), a.expiresAt().orElse(null), a.decisionId().orElse(0L));
        }).toList();
        int count = (int) controls.stream().filter(c -> !c.control().equals(UNMAPPED)).count();
        int withOpen = (int) controls.stream().filter(c -> !c.control().equals(UNMAPPED) && c.counts().get("open") > 0)
                .count();
        EvidenceReport.Summary summary = new EvidenceReport.Summary(items.size(), countStatus(items, "open"),
                countStatus(items, "remediated"), countStatus(items, "verified"), countStatus(items, "excepted"),
                countStatus(items, "resolved"), overdue.size(), count, withOpen,
                (int) items.stream().filter(i -> i.frameworkControls().isEmpty()).count());
        List<String> notes = new ArrayList<>();
        if (!mttr.verificationRecorded()) {
            notes.add("No verification after merge is recorded yet (no merged fix has been verified): MTTR is measured"
                    + " from detection to merge, and merge → verification is empty.");
        }
        if (items.stream().noneMatch(i -> i.status().equals("excepted"))) {
            notes.add("Risk acceptances come from repositories in detect mode and configured exclusions; ChatOps"
                    + " `ignore` (with who, why and until when) is not built yet.");
        }
        Framework fw = options.controls().framework();
        return new EvidenceReport(EvidenceReport.SCHEMA_ID, options.generatedAt(),
                new EvidenceReport.Scope(options.from(), options.to(), fw.id(), fw.title(), options.repository(),
                        options.account()),
                summary, mttr, new EvidenceReport.Deadlines(HIGH_DAYS, MODERATE_DAYS, LOW_DAYS, DEADLINE_SOURCE),
                overdue, controls, weekly(items), exceptions, items,
                new EvidenceReport.AuditHead(data.auditHead().seq(), data.auditHead().hash()), notes);
    }

    private EvidenceReport.MttrSection mttr(List<Item> items, Map<String, Severity> severities) {
        // the population: items merged within the range
        List<Mttr.Timeline> merged = items.stream().filter(i -> i.mergedAt() != null && !i.mergedAt().isBefore(options.from()))
                .map(i -> new Mttr.Timeline(i.fingerprint(), i.detectedAt(), Optional.of(i.mergedAt()),
                        Optional.ofNullable(i.verifiedAt()))).toList();
        boolean verification = data.verifications().stream().anyMatch(v -> !VerificationStore.isStep(v.method()));
        List<EvidenceReport.SeverityRow> bySeverity = new ArrayList<>();
        for (Severity s : Severity.values()) {
            List<Mttr.Timeline> these = merged.stream().filter(t -> severities.get(t.item()) == s).toList();
            List<Item> ofSeverity = items.stream().filter(i -> i.severity().equals(s.id())).toList();
            if (ofSeverity.isEmpty() && s == Severity.INFO) {
                continue;
            }
            int late = (int) ofSeverity.stream().filter(i -> i.overdue() && i.mergedAt() != null
                    && !i.mergedAt().isBefore(options.from())).count();
            int open = countStatus(ofSeverity, "open");
            int openOverdue = (int) ofSeverity.stream().filter(i -> i.overdue() && i.status().equals("open")).count();
            bySeverity.add(new EvidenceReport.SeverityRow(s.id(), fedrampRisk(s), deadlineDays(s), stats(these),
                    these.size(), late, open, openOverdue));
        }
        Map<String, List<Mttr.Timeline>> perControl = new TreeMap<>(ControlMap::byNumber);
        Map<String, Item> byFp = new HashMap<>();
        items.forEach(i -> byFp.put(i.fingerprint(), i));
        for (Mttr.Timeline t : merged) {
            List<String> cs = byFp.get(t.item()).frameworkControls();
            for (String c : cs.isEmpty() ? List.of(UNMAPPED) : cs) {
                perControl.computeIfAbsent(c, k -> new ArrayList<>()).add(t);
            }
        }
        List<EvidenceReport.ControlRow> byControl = new ArrayList<>();
        perControl.forEach((c, ts) -> byControl.add(new EvidenceReport.ControlRow(c, stats(ts))));
        Map<LocalDate, List<Mttr.Timeline>> perWeek = new TreeMap<>();
        for (LocalDate w : weeks()) {
            perWeek.put(w, new ArrayList<>());
        }
        for (Mttr.Timeline t : merged) {
            perWeek.computeIfAbsent(week(t.merged().orElseThrow()), k -> new ArrayList<>()).add(t);
        }
        List<EvidenceReport.TrendWeek> trend = new ArrayList<>();
        perWeek.forEach((w, ts) -> trend.add(new EvidenceReport.TrendWeek(w,
                Mttr.stat(ts.stream().map(x -> x.detectToMerge().orElseThrow()).toList()))));
        List<Mttr.Timeline> critical = merged.stream().filter(t -> severities.get(t.item()) == Severity.CRITICAL).toList();
        return new EvidenceReport.MttrSection(verification, BASELINE_DAYS, BASELINE_LABEL, stats(merged),
                stats(critical), bySeverity, byControl, trend);
    }

    private static Stats stats(List<Mttr.Timeline> ts) {
        return new Stats(Mttr.stat(ts.stream().flatMap(t -> t.detectToMerge().stream()).toList()),
                Mttr.stat(ts.stream().flatMap(t -> t.mergeToVerify().stream()).toList()),
                Mttr.stat(ts.stream().flatMap(t -> t.detectToVerify().stream()).toList()));
    }

    private EvidenceReport.Overdue overdue(Item i) {
        Instant until = i.status().equals("open") || i.mergedAt() == null ? options.to() : i.mergedAt();
        double days = Mttr.days(Duration.between(i.dueAt(), until).getSeconds());
        return new EvidenceReport.Overdue(i.fingerprint(), i.control(), i.frameworkControls(), i.severity(),
                i.resource().key(), i.detectedAt(), i.dueAt(), i.status().equals("open") ? "open" : "merged_late", days,
                i.mergedAt());
    }

    private List<ControlStatus> controls(List<Item> items) {
        Map<String, List<Item>> byControl = new TreeMap<>(ControlMap::byNumber);
        for (Item i : items) {
            for (String c : i.frameworkControls().isEmpty() ? List.of(UNMAPPED) : i.frameworkControls()) {
                byControl.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
            }
        }
        List<ControlStatus> out = new ArrayList<>();
        ControlStatus unmapped = null;
        for (Map.Entry<String, List<Item>> e : byControl.entrySet()) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            Map<String, List<String>> resources = new LinkedHashMap<>();
            for (String s : STATUSES) {
                List<Item> these = e.getValue().stream().filter(i -> i.status().equals(s)).toList();
                counts.put(s, these.size());
                resources.put(s, List.copyOf(new LinkedHashSet<>(these.stream().map(i -> i.resource().key()).toList())));
            }
            String oscal = e.getKey().equals(UNMAPPED) ? UNMAPPED : options.controls().framework().oscalId(e.getKey());
            ControlStatus cs = new ControlStatus(e.getKey(), oscal, counts, resources);
            if (e.getKey().equals(UNMAPPED)) {
                unmapped = cs;
            } else {
                out.add(cs);
            }
        }
        if (unmapped != null) {
            out.add(unmapped);
        }
        return out;
    }

    private List<EvidenceReport.Week> weekly(List<Item> items) {
        List<EvidenceReport.Week> out = new ArrayList<>();
        for (LocalDate w : weeks()) {
            Instant start = w.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = w.plusWeeks(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant at = end.isAfter(options.to()) ? options.to() : end;
            int detected = 0;
            int fixed = 0;
            int resolved = 0;
            int open = 0;
            for (Item i : items) {
                if (within(i.detectedAt(), start, end)) {
                    detected++;
                }
                if (i.mergedAt() != null && within(i.mergedAt(), start, end)) {
                    fixed++;
                }
                if (i.status().equals("resolved") && i.mergedAt() == null) {
                    Instant r = resolvedAt(i);
                    if (r != null && within(r, start, end)) {
                        resolved++;
                    }
                }
                if (openAt(i, at)) {
                    open++;
                }
            }
            out.add(new EvidenceReport.Week(w, detected, fixed, resolved, open));
        }
        return out;
    }

    /** Open at {@code at}: detected by then, not merged, resolved or accepted by then. */
    private boolean openAt(Item i, Instant at) {
        if (i.detectedAt().isAfter(at) || i.mergedAt() != null && !i.mergedAt().isAfter(at)) {
            return false;
        }
        Instant r = resolvedAt(i);
        if (r != null && !r.isAfter(at)) {
            return false;
        }
        return acceptances.getOrDefault(i.fingerprint(), List.of()).stream().noneMatch(a -> a.activeAt(at));
    }

    private Instant resolvedAt(Item i) {
        return i.status().equals("resolved") ? resolvedAt.get(i.fingerprint()) : null;
    }

    /** The Mondays of the weeks the range touches. */
    private List<LocalDate> weeks() {
        List<LocalDate> out = new ArrayList<>();
        LocalDate last = week(options.to());
        for (LocalDate w = week(options.from()); !w.isAfter(last); w = w.plusWeeks(1)) {
            out.add(w);
        }
        return out;
    }

    static LocalDate week(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private static boolean within(Instant t, Instant start, Instant end) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    private static int countStatus(List<Item> items, String status) {
        return (int) items.stream().filter(i -> i.status().equals(status)).count();
    }

    private EvidenceReport.Fix fix(RemediationStore.Remediation r, Map<Long, Instant> verifiedAt) {
        String base = options.webBase() + "/" + r.repo();
        Integer pull = r.pullNumber().isPresent() ? r.pullNumber().getAsInt() : null;
        Integer issue = r.issueNumber().isPresent() ? r.issueNumber().getAsInt() : null;
        return new EvidenceReport.Fix(r.id(), r.status().name().toLowerCase(Locale.ROOT), r.repo(), pull, issue,
                pull == null ? null : base + "/pull/" + pull, r.mergedSha().orElse(null),
                r.mergedSha().map(sha -> base + "/commit/" + sha).orElse(null), r.deliveredAt().orElse(null),
                r.mergedAt().orElse(null), r.rciLevel().name());
    }

    /** The audit entries of the fix's delivery and merge (and verification), with their hashes. */
    private static List<EvidenceReport.AuditRef> auditOf(RemediationStore.Remediation r,
                                                         Map<String, List<AuditLog.Entry>> audit) {
        List<EvidenceReport.AuditRef> out = new ArrayList<>();
        for (AuditLog.Entry e : audit.getOrDefault("initiative:" + r.initiative().value(), List.of())) {
            Map<?, ?> payload = payload(e);
            Object number = payload.get("number");
            boolean ours = r.repo().equals(payload.get("repo")) && number instanceof Number n
                    && (r.pullNumber().isPresent() && n.intValue() == r.pullNumber().getAsInt()
                        || r.issueNumber().isPresent() && n.intValue() == r.issueNumber().getAsInt());
            if (ours || e.type().equals("remediation.verified")) {
                out.add(new EvidenceReport.AuditRef(e.seq(), e.type(), e.at(), e.hash()));
            }
        }
        if (r.pullNumber().isPresent()) {
            for (AuditLog.Entry e : audit.getOrDefault(r.repo() + "#" + r.pullNumber().getAsInt(), List.of())) {
                out.add(new EvidenceReport.AuditRef(e.seq(), e.type(), e.at(), e.hash()));
            }
        }
        out.sort(Comparator.comparingLong(EvidenceReport.AuditRef::seq));
        return out;
    }

    private static Map<?, ?> payload(AuditLog.Entry e) {
        try {
            return Json.mapper().readValue(e.payload(), Map.class);
        } catch (java.io.IOException | RuntimeException x) {
            return Map.of();
        }
    }

    private Optional<Snapshot.Location> locationOf(FindingStore.StoredFinding f) {
        if (f.resource() instanceof CloudResource c) {
            return Optional.ofNullable(data.locations().get(c.id())).or(() -> Optional.ofNullable(data.locations().get(c.key())));
        }
        return Optional.empty();
    }

    private Optional<EvidenceReport.Iac> iac(FindingStore.StoredFinding f) {
        if (f.resource() instanceof CodeResource c) {
            return Optional.of(new EvidenceReport.Iac(c.repo(), c.path(), c.address(), c.line()));
        }
        return locationOf(f).map(l -> new EvidenceReport.Iac(l.repo(), l.file(), l.address(), 0));
    }

    private static EvidenceReport.Resource resource(FindingStore.StoredFinding f) {
        return switch (f.resource()) {
            case CloudResource c -> new EvidenceReport.Resource(c.key(), "cloud", c.cloud().name().toLowerCase(Locale.ROOT),
                    c.account(), c.region(), c.type(), c.id());
            case CodeResource c -> new EvidenceReport.Resource(c.key(), "code", "", c.repo(), "", c.type(), c.path()
                    + (c.address().isEmpty() ? ":" + c.line() : ":" + c.address()));
        };
    }

    private static EvidenceReport.Sighting sighting(FindingStore.Sighting s) {
        return new EvidenceReport.Sighting(s.sourceTool(), Redactor.redact(s.sourceId()), s.sourceControlId(), s.active(),
                s.raw().source(), s.raw().line(), s.raw().pointer(), s.firstSeen(), s.lastSeen());
    }

    private static <T> Map<String, List<T>> group(List<T> values, Function<T, String> key) {
        Map<String, List<T>> out = new HashMap<>();
        for (T v : values) {
            out.computeIfAbsent(key.apply(v), k -> new ArrayList<>()).add(v);
        }
        return out;
    }

}
