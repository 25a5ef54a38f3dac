package dev.fixgate.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.ExceptionStore;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.app.store.VerificationStore;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.audit.AuditEvent;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.Severity;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The report over a store with known timestamps, on H2 and PostgreSQL: statuses, MTTR, FedRAMP deadlines, risk
 * acceptances; the JSON valid against docs/schema/report.schema.json, the OSCAL against NIST's schema.
 */
class ReportBuilderTest {

    static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z"); // a Monday
    static final PlaybookCatalog CATALOG = PlaybookCatalog.builtIn();

    static Instant day(double d) {
        return T0.plusSeconds((long) (d * 86_400));
    }

    static Finding finding(String tool, String control, Severity severity, String bucket, boolean active, Instant seen) {
        return new Finding(tool, tool + ":" + control + ":" + bucket, ControlId.canonical(control), "X.1", severity,
                severity.id(), new CloudResource(Cloud.AWS, "111122223333", "us-east-1", "AwsS3Bucket",
                "arn:aws:s3:::" + bucket), "S3 bucket " + bucket + " fails " + control, active, seen, seen,
                SourceLocation.at(tool + ".json", 3));
    }

    /**
     * a: versioning (medium) on bucket-a, seen by two tools (day 0 and 2), merged day 10, verified day 12;
     * b: TLS (high) on bucket-b, day 1, merged day 41 — 10 days late; c: public access (critical), day 3, open;
     * d: logging (low), day 4, repository in detect mode: accepted; e: versioning (medium) on bucket-e, day 0,
     * resolved at its source on day 20.
     */
    static Database fixture(TestDb kind) {
        Database db = kind.fresh();
        FindingStore findings = new FindingStore(db);
        findings.recordAll(List.of(
                finding("securityhub", "aws.s3.bucket.versioning", Severity.MEDIUM, "bucket-a", true, day(0)),
                finding("prowler", "aws.s3.bucket.versioning", Severity.MEDIUM, "bucket-a", true, day(2)),
                finding("securityhub", "aws.s3.bucket.ssl_requests_only", Severity.HIGH, "bucket-b", true, day(1)),
                finding("securityhub", "aws.s3.bucket.public_access_block", Severity.CRITICAL, "bucket-c", true, day(3)),
                finding("securityhub", "aws.s3.bucket.access_logging", Severity.LOW, "bucket-d", true, day(4)),
                finding("securityhub", "aws.s3.bucket.versioning", Severity.MEDIUM, "bucket-e", true, day(0))));
        findings.record(finding("securityhub", "aws.s3.bucket.versioning", Severity.MEDIUM, "bucket-e", false, day(20)));
        AuditLog audit = new AuditLog(db);
        RemediationStore remediations = new RemediationStore(db);
        Finding a = finding("securityhub", "aws.s3.bucket.versioning", Severity.MEDIUM, "bucket-a", true, day(0));
        Finding b = finding("securityhub", "aws.s3.bucket.ssl_requests_only", Severity.HIGH, "bucket-b", true, day(1));
        InitiativeId ia = InitiativeId.of(a.control(), "account:111122223333");
        InitiativeId ib = InitiativeId.of(b.control(), "account:111122223333");
        InitiativeStore initiatives = new InitiativeStore(db);
        initiatives.save(new Initiative(ia, a.control(), "account:111122223333", Severity.MEDIUM, List.of(a.fingerprint())), day(0));
        initiatives.save(new Initiative(ib, b.control(), "account:111122223333", Severity.HIGH, List.of(b.fingerprint())), day(1));
        long ra = remediations.create(ia, "s3_bucket_versioning", RciLevel.SAFE, 1.0, "acme/infra",
                "fixgate/versioning/aaaa", "{}", day(5));
        remediations.covers(ra, List.of(a.fingerprint()));
        remediations.delivered(ra, 7, day(5));
        audit.append(new AuditEvent.Delivered(day(5), "fixgate", ia, "acme/infra", "pull_request", 7));
        remediations.merged(ra, "a".repeat(40), day(10));
        audit.append(new AuditEvent.Merged(day(10), "fixgate[bot]", "acme/infra", 7, "a".repeat(40)));
        remediations.merged(ra, "a".repeat(40), day(11)); // a repeated event keeps the first merge
        new VerificationStore(db).record(ra, day(12), VerificationStore.Outcome.RESOLVED, "rescan:securityhub", "gone");
        long rb = remediations.create(ib, "s3_bucket_https_only", RciLevel.SAFE, 1.0, "acme/infra",
                "fixgate/tls/bbbb", "{}", day(30));
        remediations.covers(rb, List.of(b.fingerprint()));
        remediations.delivered(rb, 8, day(30));
        remediations.merged(rb, "b".repeat(40), day(41));
        Finding d = finding("securityhub", "aws.s3.bucket.access_logging", Severity.LOW, "bucket-d", true, day(4));
        new ExceptionStore(db).record(new ExceptionStore.RiskAcceptance(0, ExceptionStore.Kind.DETECT_MODE,
                d.fingerprint().value(), "init-d", "arn:aws:s3:::bucket-d", d.control().value(), "acme/infra",
                "acme/infra .github/fixgate.yml (mode: detect)", "the repository is in detect mode", Optional.empty(),
                Optional.of(3L), day(4)));
        return db;
    }

    static EvidenceReport report(Database db, Framework framework) {
        return ReportBuilder.build(Snapshot.load(db), new ReportBuilder.Options(day(-7), day(60),
                ControlMap.of(CATALOG, framework), "", "", "https://github.com", day(60)));
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void statusesTimesAndDeadlinesFromKnownTimestamps(TestDb kind) {
        try (Database db = fixture(kind)) {
            EvidenceReport r = report(db, Framework.NIST_800_53);

            Map<String, String> status = r.items().stream().collect(Collectors.toMap(
                    i -> i.resource().id().replace("arn:aws:s3:::", ""), EvidenceReport.Item::status));
            assertThat(status).containsExactlyInAnyOrderEntriesOf(Map.of("bucket-a", "verified", "bucket-b", "remediated",
                    "bucket-c", "open", "bucket-d", "excepted", "bucket-e", "resolved"));
            assertThat(r.summary()).isEqualTo(new EvidenceReport.Summary(5, 1, 1, 1, 1, 1, 2,
                    r.summary().controls(), r.summary().controlsWithOpenFindings(), 0));

            // detection → merge: 10 days (a) and 40 days (b)
            assertThat(r.mttr().overall().detectToMerge()).isEqualTo(new Mttr.Stat(2, 25.0, 40.0, 25.0));
            assertThat(r.mttr().overall().mergeToVerify()).isEqualTo(new Mttr.Stat(1, 2.0, 2.0, 2.0));
            assertThat(r.mttr().overall().detectToVerify()).isEqualTo(new Mttr.Stat(1, 12.0, 12.0, 12.0));
            assertThat(r.mttr().verificationRecorded()).isTrue();
            EvidenceReport.SeverityRow high = r.mttr().bySeverity().stream().filter(s -> s.severity().equals("high"))
                    .findFirst().orElseThrow();
            assertThat(high).extracting(EvidenceReport.SeverityRow::fedrampRisk, EvidenceReport.SeverityRow::deadlineDays,
                    EvidenceReport.SeverityRow::merged, EvidenceReport.SeverityRow::mergedLate)
                    .containsExactly("High", 30, 1, 1);
            EvidenceReport.SeverityRow critical = r.mttr().bySeverity().getFirst();
            assertThat(critical.severity()).isEqualTo("critical");
            assertThat(critical.openOverdue()).isEqualTo(1);

            // past their deadline: c open 27 days over (due day 33), b merged 10 days late (due day 31)
            assertThat(r.overdue()).extracting(EvidenceReport.Overdue::resource, EvidenceReport.Overdue::status,
                    EvidenceReport.Overdue::daysOverdue).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("arn:aws:s3:::bucket-c", "open", 27.0),
                    org.assertj.core.groups.Tuple.tuple("arn:aws:s3:::bucket-b", "merged_late", 10.0));

            assertThat(r.exceptions()).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo("detect_mode");
                assertThat(e.acceptedBy()).isEqualTo("acme/infra .github/fixgate.yml (mode: detect)");
                assertThat(e.until()).isNull();
                assertThat(e.since()).isEqualTo(day(4));
            });

            EvidenceReport.Item a = r.items().stream().filter(i -> i.resource().id().endsWith("bucket-a")).findFirst().orElseThrow();
            assertThat(a.detectedAt()).isEqualTo(day(0));
            assertThat(a.mergedAt()).isEqualTo(day(10));
            assertThat(a.daysToMerge()).isEqualTo(10.0);
            assertThat(a.sightings()).extracting(EvidenceReport.Sighting::tool).containsExactly("securityhub", "prowler");
            assertThat(a.fix().pullRequest()).isEqualTo("https://github.com/acme/infra/pull/7");
            assertThat(a.fix().mergeCommit()).isEqualTo("https://github.com/acme/infra/commit/" + "a".repeat(40));
            assertThat(a.audit()).extracting(EvidenceReport.AuditRef::type)
                    .containsExactly("remediation.delivered", "remediation.merged");
            assertThat(a.frameworkControls()).contains("CP-9", "AU-9(2)");

            // per control: CP-9 is behind versioning (a verified, e resolved)
            EvidenceReport.ControlStatus cp9 = r.controls().stream().filter(c -> c.control().equals("CP-9")).findFirst()
                    .orElseThrow();
            assertThat(cp9.counts()).containsEntry("verified", 1).containsEntry("resolved", 1).containsEntry("open", 0);
            assertThat(cp9.oscalId()).isEqualTo("cp-9");
            assertThat(r.controls().stream().filter(c -> c.control().equals("AU-9(2)")).findFirst().orElseThrow().oscalId())
                    .isEqualTo("au-9.2");

            // per week: everything detected in the first week, a fixed in week 2, b in week 6
            assertThat(r.weekly().getFirst().week()).isEqualTo(java.time.LocalDate.parse("2025-12-29"));
            EvidenceReport.Week first = r.weekly().get(1);
            assertThat(first.detected()).isEqualTo(5);
            assertThat(first.openAtEnd()).isEqualTo(4); // d is accepted from day 4
            assertThat(r.weekly().stream().mapToInt(EvidenceReport.Week::fixed).sum()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void everyFormatIsValid(TestDb kind) throws Exception {
        try (Database db = fixture(kind)) {
            for (Framework f : Framework.values()) {
                EvidenceReport r = report(db, f);
                String json = Json.prettyInOrder(r);
                assertThat(reportSchemaProblems(json)).as(f.id()).isEmpty();
                String oscal = OscalWriter.write(r);
                assertThat(OscalSchema.problems(oscal)).as(f.id()).isEmpty();
                assertThat(OscalWriter.write(r)).as("the same data, the same document").isEqualTo(oscal);
                JsonNode result = Json.mapper().readTree(oscal).at("/assessment-results/results/0");
                assertThat(result.get("risks").findValuesAsText("status")).contains("deviation-approved", "open");
                String csv = CsvWriter.write(r);
                assertThat(csv.lines()).hasSize(1 + r.items().size());
                String html = HtmlWriter.write(r);
                assertThat(html).contains("<canvas id=\"chart-mttr\"", "<canvas id=\"chart-weekly\"",
                        "<canvas id=\"chart-controls\"", "Chart.js v4", "data-metric=\"summary.open\">1<");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aRepositoryOrAnAccountNarrowsTheReport(TestDb kind) {
        try (Database db = fixture(kind)) {
            Snapshot s = Snapshot.load(db);
            ControlMap nist = ControlMap.of(CATALOG, Framework.NIST_800_53);
            EvidenceReport repo = ReportBuilder.build(s, new ReportBuilder.Options(day(-7), day(60), nist, "acme/infra", "",
                    "https://github.com", day(60)));
            assertThat(repo.items()).extracting(i -> i.resource().id().replace("arn:aws:s3:::", ""))
                    .containsExactlyInAnyOrder("bucket-a", "bucket-b", "bucket-d");
            EvidenceReport other = ReportBuilder.build(s, new ReportBuilder.Options(day(-7), day(60), nist, "", "999",
                    "https://github.com", day(60)));
            assertThat(other.items()).isEmpty();
            assertThat(OscalSchema.problems(OscalWriter.write(other))).isEmpty();
            // a range that ends before the merges: nothing is remediated yet, and b is not late yet
            EvidenceReport early = ReportBuilder.build(s, new ReportBuilder.Options(day(-7), day(8), nist, "", "",
                    "https://github.com", day(8)));
            assertThat(early.summary().remediated()).isZero();
            assertThat(early.summary().open()).isEqualTo(4);
            assertThat(early.mttr().overall().detectToMerge().count()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void untrustedTextCannotBreakThePageOrTheSpreadsheet(TestDb kind) {
        try (Database db = kind.fresh()) {
            new FindingStore(db).record(new Finding("securityhub", "x", ControlId.canonical("aws.s3.bucket.versioning"),
                    "S3.14", Severity.HIGH, "HIGH", new CloudResource(Cloud.AWS, "1", "us-east-1", "AwsS3Bucket",
                    "arn:aws:s3:::b"), "=HYPERLINK(\"x\") </script><script>alert(1)</script> {{DATA}}", true, day(0), day(0),
                    SourceLocation.of("f.json")));
            EvidenceReport r = report(db, Framework.NIST_800_53);
            String html = HtmlWriter.write(r);
            assertThat(html).doesNotContain("<script>alert(1)").contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)");
            assertThat(html.split("</script>", -1)).hasSize(4); // the JSON, Chart.js and the page's script only
            assertThat(CsvWriter.write(r)).contains(",\"'=HYPERLINK(\"\"x\"\")");
        }
    }

    static List<String> reportSchemaProblems(String json) throws Exception {
        try (InputStream in = ReportBuilderTest.class.getResourceAsStream("/schema/report.schema.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
            return registry.getSchema(text, InputFormat.JSON).validate(json, InputFormat.JSON).stream()
                    .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
        }
    }
}
