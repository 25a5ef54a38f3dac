package dev.fixgate.app.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The evidence report: what was found, fixed, verified and accepted over a time range, per control of one
 * framework, and how long fixing took against FedRAMP's remediation deadlines. This record is the JSON format
 * ({@code docs/schema/report.schema.json}); CSV, OSCAL and HTML are written from it, so every format says the same.
 * Built by {@link ReportBuilder}. Days are rounded to a tenth.
 *
 * @param schema      the JSON Schema's {@code $id}
 * @param generatedAt when the report was made
 * @param scope       what it covers
 * @param summary     counts of the items by status at the end of the range
 * @param mttr        time to remediate
 * @param deadlines   the remediation deadlines the items are held to, and their source
 * @param overdue     items past their deadline: still open, or merged late
 * @param controls    per framework control, the items behind it by status (and {@code unmapped})
 * @param weekly      per week of the range: detected, fixed, open at its end
 * @param exceptions  risk acceptances in force at the end of the range
 * @param items       every finding in scope, with its timeline and evidence
 * @param auditHead   the audit log's head when the report was made
 * @param notes       what the report cannot say yet, and why
 */
public record EvidenceReport(String schema, Instant generatedAt, Scope scope, Summary summary, MttrSection mttr,
                             Deadlines deadlines, List<Overdue> overdue, List<ControlStatus> controls,
                             List<Week> weekly, List<Acceptance> exceptions, List<Item> items, AuditHead auditHead,
                             List<String> notes) {

    public static final String SCHEMA_ID = "https://fixgate.dev/schema/report.schema.json";

    public EvidenceReport {
        Objects.requireNonNull(scope, "scope");
        overdue = List.copyOf(overdue);
        controls = List.copyOf(controls);
        weekly = List.copyOf(weekly);
        exceptions = List.copyOf(exceptions);
        items = List.copyOf(items);
        notes = List.copyOf(notes);
    }

    /**
     * @param repository {@code owner/name}, or empty for every repository
     * @param account    a cloud account (or, for code findings, the repository field), or empty for all
     */
    public record Scope(Instant from, Instant to, String framework, String frameworkTitle, String repository,
                        String account) {
    }

    /** Items by status at the end of the range (each item counted once). */
    public record Summary(int findings, int open, int remediated, int verified, int excepted, int resolved,
                          int overdue, int controls, int controlsWithOpenFindings, int unmapped) {
    }

    /**
     * @param verificationRecorded whether any verdict of verification after merge is recorded
     * @param baselineDays         the line to beat: the 128-day average time to fix critical misconfigurations
     * @param overall              detection → merge over the items merged in the range
     * @param critical             the same for critical items, whose mean is what the baseline compares to
     */
    public record MttrSection(boolean verificationRecorded, double baselineDays, String baselineLabel, Stats overall,
                              Stats critical, List<SeverityRow> bySeverity, List<ControlRow> byControl,
                              List<TrendWeek> trend) {
        public MttrSection {
            bySeverity = List.copyOf(bySeverity);
            byControl = List.copyOf(byControl);
            trend = List.copyOf(trend);
        }
    }

    /** The three spans; merge → verification and detection → verification are empty until verification is recorded. */
    public record Stats(Mttr.Stat detectToMerge, Mttr.Stat mergeToVerify, Mttr.Stat detectToVerify) {
    }

    /**
     * @param fedrampRisk   High, Moderate, Low, or empty when FedRAMP sets no deadline (informational)
     * @param deadlineDays  0 when none
     * @param merged        items merged in the range
     * @param mergedLate    of those, merged after their deadline
     * @param openOverdue   items still open at the end of the range and past their deadline
     */
    public record SeverityRow(String severity, String fedrampRisk, int deadlineDays, Stats stats, int merged,
                              int mergedLate, int open, int openOverdue) {
    }

    public record ControlRow(String control, Stats stats) {
    }

    /** @param week the Monday (UTC) the week starts on */
    public record TrendWeek(LocalDate week, Mttr.Stat detectToMerge) {
    }

    /** @param source the document the deadlines come from (docs/reporting.md cites it) */
    public record Deadlines(int highDays, int moderateDays, int lowDays, String source) {
    }

    /** @param status {@code open} (past its deadline now) or {@code merged_late} */
    public record Overdue(String fingerprint, String control, List<String> frameworkControls, String severity,
                          String resource, Instant detectedAt, Instant dueAt, String status, double daysOverdue,
                          Instant mergedAt) {
    }

    /**
     * @param control  the framework's control id ({@code unmapped} for findings no playbook maps to it)
     * @param oscalId  the control as an OSCAL token
     * @param counts   status → items
     * @param resources status → the resources behind those items
     */
    public record ControlStatus(String control, String oscalId, Map<String, Integer> counts,
                                Map<String, List<String>> resources) {
    }

    /** @param openAtEnd items open when the week ends (or the range, whichever is first) */
    public record Week(LocalDate week, int detected, int fixed, int resolved, int openAtEnd) {
    }

    /** A risk acceptance: who accepted the risk, why, since when and until when (empty: no expiry set). */
    public record Acceptance(String fingerprint, String control, String resource, String kind, String acceptedBy,
                            String reason, Instant since, Instant until, long decisionId) {
    }

    /**
     * One finding.
     *
     * @param status            open | remediated | verified | excepted | resolved (its source reports it gone,
     *                          without a fixgate merge) — at the end of the range
     * @param frameworkControls the chosen framework's controls its playbooks map to (empty: unmapped)
     * @param iac               where it lives in code, when known
     * @param daysToMerge       detection → merge, when merged
     */
    public record Item(String fingerprint, String control, List<String> frameworkControls, String severity,
                       String title, Resource resource, String repository, Iac iac, Instant detectedAt,
                       Instant mergedAt, Instant verifiedAt, String status, Double daysToMerge, int deadlineDays,
                       Instant dueAt, boolean overdue, Fix fix, List<Sighting> sightings, List<AuditRef> audit) {
        public Item {
            frameworkControls = List.copyOf(frameworkControls);
            sightings = List.copyOf(sightings);
            audit = List.copyOf(audit);
        }
    }

    /** @param kind cloud | code */
    public record Resource(String key, String kind, String cloud, String account, String region, String type,
                           String id) {
    }

    public record Iac(String repository, String file, String address, int line) {
    }

    /**
     * The remediation that fixed (or is fixing) the item.
     *
     * @param pullRequest  the pull request's web address, when one was opened
     * @param mergeCommit  the merge commit's web address, when merged
     */
    public record Fix(long remediationId, String status, String repository, Integer pullNumber, Integer issueNumber,
                      String pullRequest, String mergeSha, String mergeCommit, Instant deliveredAt, Instant mergedAt,
                      String rci) {
    }

    /** A tool's record of the finding, and where it is in the tool's output. */
    public record Sighting(String tool, String sourceId, String sourceControl, boolean active, String rawSource,
                           long rawLine, String rawPointer, Instant firstSeen, Instant lastSeen) {
    }

    /** An audit log entry cited as evidence. */
    public record AuditRef(long seq, String type, Instant at, String hash) {
    }

    public record AuditHead(long seq, String hash) {
    }
}
