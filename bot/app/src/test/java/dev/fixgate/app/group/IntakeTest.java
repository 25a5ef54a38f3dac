package dev.fixgate.app.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.ingest.ParserRegistry;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.Sql;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntakeTest {

    private static final ControlResolver CONTROLS = (tool, id) -> switch (tool + ":" + id) {
        case "securityhub:S3.8", "prowler:s3_bucket_level_public_access_block" ->
                ControlId.canonical("aws.s3.bucket.public_access_block");
        case "securityhub:S3.14" -> ControlId.canonical("aws.s3.bucket.versioning");
        default -> ControlId.unmapped(tool, id);
    };

    @TempDir
    Path home;
    private Database db;
    private Intake intake;

    @BeforeEach
    void open() {
        db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2);
        intake = new Intake(new ParserRegistry(List.of(new LineParser())), CONTROLS, new FindingStore(db),
                new InitiativeStore(db), new AuditLog(db), Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC),
                ParseLimits.defaults());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Intake.Source text(String name, String body) {
        return () -> Input.of(name, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static final String SCAN = """
            securityhub|sh-1|S3.8|acme-logs|true|MEDIUM|2026-11-20T08:00:00Z
            prowler|pr-1|s3_bucket_level_public_access_block|acme-logs|true|HIGH|2026-11-20T08:00:00Z
            securityhub|sh-2|S3.8|acme-site|true|LOW|2026-11-20T08:00:00Z
            !Severity 'sev1' is not a severity
            securityhub|sh-3|S3.14|acme-logs|true|LOW|2026-11-20T08:00:00Z
            securityhub|sh-4|Macie.1|acme-logs|true|LOW|2026-11-20T08:00:00Z
            """;

    @Test
    void countsRecordsFindingsDuplicatesAndGroupsThem() {
        IngestSummary s = intake.run(List.of(text("scan.txt", SCAN)), Optional.empty(), "test", b -> { });

        assertThat(s.records()).isEqualTo(6);
        assertThat(s.findings()).isEqualTo(4);
        assertThat(s.duplicates()).isEqualTo(1);
        assertThat(s.rejected()).isEqualTo(1);
        assertThat(s.stored()).containsEntry("new", 4L).containsEntry("duplicate", 1L);
        assertThat(s.initiatives()).extracting(IngestSummary.InitiativeLine::control, IngestSummary.InitiativeLine::findings,
                IngestSummary.InitiativeLine::severity)
                .containsExactly(
                        tuple("aws.s3.bucket.public_access_block", 2L, "high"),
                        tuple("aws.s3.bucket.versioning", 1L, "low"),
                        tuple("unmapped:securityhub:Macie.1", 1L, "low"));
        assertThat(s.unmapped()).containsExactly(new IngestSummary.Unmapped("securityhub", "Macie.1", 1));
        assertThat(s.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("scan.txt");
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.code()).isEqualTo("ingest.bad-record");
        });
        assertThat(s.files()).singleElement().satisfies(f -> assertThat(f.format()).isEqualTo("lines"));
        assertThat(new InitiativeStore(db).list()).hasSize(3);
        assertThat(new AuditLog(db).recent(Optional.empty(), 5)).singleElement()
                .satisfies(e -> assertThat(e.payload()).contains("\"records\":6", "\"duplicates\":1", "\"errors\":1"));
    }

    @Test
    void reingestingTheSameInputChangesNothingInTheStore() {
        intake.run(List.of(text("scan.txt", SCAN)), Optional.empty(), "test", b -> { });
        IngestSummary again = intake.run(List.of(text("scan.txt", SCAN)), Optional.empty(), "test", b -> { });

        assertThat(again.stored()).containsEntry("unchanged", 5L).containsEntry("new", 0L);
        assertThat(again.initiatives()).allSatisfy(i -> assertThat(i.total()).isEqualTo(i.findings()));
        assertThat(new FindingStore(db).count()).isEqualTo(4);
    }

    @Test
    void tellsOncePerRunWhichInitiativesChangedAndNothingWhenNothingDid() {
        List<String> changed = new java.util.ArrayList<>();
        Intake listening = intake.onInitiativeChanged(id -> changed.add(id.value()));

        listening.run(List.of(text("scan.txt", SCAN)), Optional.empty(), "test", b -> { });
        assertThat(changed).hasSize(3).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(new InitiativeStore(db).list().stream().map(i -> i.id().value()).toList());

        changed.clear();
        listening.run(List.of(text("scan.txt", SCAN)), Optional.empty(), "test", b -> { });
        assertThat(changed).as("the same scan again changes no initiative").isEmpty();

        listening.run(List.of(text("more.txt", "securityhub|sh-9|S3.8|acme-new|true|LOW|2026-11-21T08:00:00Z\n")),
                Optional.empty(), "test", b -> { });
        assertThat(changed).as("a new bucket joins the public-access-block initiative").singleElement()
                .isEqualTo(new InitiativeStore(db).list().stream()
                        .filter(i -> i.control().value().equals("aws.s3.bucket.public_access_block")).findFirst()
                        .orElseThrow().id().value());
    }

    @Test
    void aFailingListenerCostsNoStoredFinding() {
        Intake failing = intake.onInitiativeChanged(id -> {
            throw new IllegalStateException("queue down");
        });
        IngestSummary s = failing.run(List.of(text("scan.txt", SCAN)), Optional.empty(), "test", b -> { });
        assertThat(s.stored()).containsEntry("new", 4L);
        assertThat(new FindingStore(db).count()).isEqualTo(4);
    }

    @Test
    void anUnreadableInputKeepsWhatCameBeforeTheDamageAndTheOtherInputs() {
        String broken = "securityhub|a|S3.8|one|true|LOW|2026-11-20T08:00:00Z\n!!unexpected end of input\n"
                + "securityhub|b|S3.8|two|true|LOW|2026-11-20T08:00:00Z\n";
        IngestSummary s = intake.run(List.of(text("broken.txt", broken), text("good.txt", SCAN)), Optional.empty(),
                "test", b -> { });

        assertThat(s.files()).extracting(IngestSummary.FileLine::file, IngestSummary.FileLine::findings)
                .containsExactly(tuple("broken.txt", 1L),
                        tuple("good.txt", 4L));
        assertThat(s.files().get(0).error()).contains("unexpected end of input");
        assertThat(s.errors()).extracting(IngestSummary.Error::code).contains("ingest.truncated");
        assertThat(new FindingStore(db).count()).isEqualTo(5);
    }

    @Test
    void anInputNoParserRecognisesIsReportedNotFatalToTheRun() {
        IngestSummary s = intake.run(List.of(text("notes.txt", "just prose"), text("scan.txt", SCAN)), Optional.empty(),
                "test", b -> { });
        assertThat(s.errors()).first().satisfies(e -> {
            assertThat(e.code()).isEqualTo("ingest.unknown-format");
            assertThat(e.message()).contains("--format", "lines");
        });
        assertThat(s.findings()).isEqualTo(4);
    }

    @Test
    void gzipInputsAreReadTransparently() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(SCAN.getBytes(StandardCharsets.UTF_8));
        }
        IngestSummary s = intake.run(List.of(() -> Input.of("scan.txt.gz", new ByteArrayInputStream(bytes.toByteArray()))),
                Optional.empty(), "test", b -> { });
        assertThat(s.findings()).isEqualTo(4);
    }

    @Test
    void secretsInTitlesAndErrorsAreRedactedBeforeTheyAreStored() {
        String leaky = "securityhub|s|S3.8|AKIAIOSFODNN7EXAMPLE|true|LOW|2026-11-20T08:00:00Z\n!password=hunter22 found in user data\n";
        IngestSummary s = intake.run(List.of(text("leaky.txt", leaky)), Optional.empty(), "test", b -> { });

        assertThat(s.errors().getFirst().message()).doesNotContain("hunter22");
        String title = db.withConnection(c -> Sql.queryOne(c, "SELECT title FROM findings", rs -> rs.getString(1)))
                .orElseThrow();
        assertThat(title).isEqualTo("bucket [REDACTED:aws-access-key-id]");
    }

    @Test
    void progressIsReported() {
        long[] last = {0};
        intake.run(List.of(text("scan.txt", SCAN)), Optional.empty(), "test", b -> last[0] = b);
        assertThat(last[0]).isEqualTo(SCAN.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void findingsTheSourceReportsGoneUpdateTheStoreButFormNoInitiative() {
        String scan = """
                securityhub|sh-1|S3.8|acme-logs|false|HIGH|2026-11-20T08:00:00Z
                securityhub|sh-2|S3.8|acme-site|true|LOW|2026-11-20T08:00:00Z
                """;
        IngestSummary s = intake.run(List.of(text("scan.txt", scan)), Optional.empty(), "test", b -> { });

        assertThat(s.findings()).isEqualTo(2);
        assertThat(s.stored()).containsEntry("new", 1L).containsEntry("resolved", 1L);
        assertThat(s.initiatives()).singleElement().satisfies(i -> {
            assertThat(i.findings()).isEqualTo(1);
            assertThat(i.severity()).isEqualTo("low");
        });
    }

    @Test
    void aParserBugCostsOnlyItsInput() {
        String buggy = "securityhub|a|S3.8|one|true|LOW|2026-11-20T08:00:00Z\n?!\n";
        IngestSummary s = intake.run(List.of(text("buggy.txt", buggy), text("good.txt", SCAN)), Optional.empty(),
                "test", b -> { });

        assertThat(s.errors()).first().satisfies(e -> {
            assertThat(e.code()).isEqualTo("ingest.internal");
            assertThat(e.message()).contains("IllegalStateException", "a parser bug");
        });
        assertThat(s.files()).extracting(IngestSummary.FileLine::findings).containsExactly(1L, 4L);
    }
}
