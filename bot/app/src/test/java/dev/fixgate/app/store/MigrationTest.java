package dev.fixgate.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.spi.audit.AuditEvent;
import dev.fixgate.spi.error.FixgateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationTest {

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void migratesAnEmptyDatabaseToTheCurrentSchema(TestDb kind) {
        try (Database db = kind.fresh()) {
            List<String> tables = db.withConnection(c -> Sql.query(c, """
                    SELECT LOWER(table_name) FROM information_schema.tables
                    WHERE LOWER(table_schema) = 'public' ORDER BY 1""", rs -> rs.getString(1)));
            assertThat(tables).contains("audit_head", "audit_log", "finding_sightings", "findings", "initiative_findings",
                    "initiatives", "jobs", "remediations", "webhook_deliveries", "gate_decisions", "flyway_schema_history",
                    "chatops_commands", "approval_grants", "remediation_holds", "branch_overrides", "remediation_notes",
                    "dashboards", "remediation_findings", "remediation_verifications", "remediation_exceptions",
                    "evidence_observations", "rci_history", "named_locks", "verify_tracks", "pull_cursors",
                    "recurrences");
            List<String> applied = db.withConnection(c -> Sql.query(c,
                    "SELECT version FROM flyway_schema_history WHERE success = TRUE AND version IS NOT NULL ORDER BY installed_rank",
                    rs -> rs.getString(1)));
            assertThat(applied).startsWith("1", "2", "3", "4", "5").contains("20", "30", "31", "40", "41", "50", "60");
            assertThat(applied.stream().map(Integer::parseInt).toList()).isSorted();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void theAuditLogRefusesUpdatesAndDeletes(TestDb kind) {
        try (Database db = kind.fresh()) {
            new AuditLog(db).append(new AuditEvent.FindingsIngested(Instant.now(), "test", "f.json", 1, 1, 0, 0));

            assertThatThrownBy(() -> db.withConnection(c -> Sql.update(c, "UPDATE audit_log SET actor = 'mallory'")))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> db.withConnection(c -> Sql.update(c, "DELETE FROM audit_log")))
                    .hasMessageContaining("append-only");
            Optional<String> actor = db.withConnection(c -> Sql.queryOne(c, "SELECT actor FROM audit_log", rs -> rs.getString(1)));
            assertThat(actor).contains("test");
        }
    }

    @Test
    void reopeningTheEmbeddedDatabaseKeepsItsDataAndAppliesNothingTwice() throws Exception {
        Path home = TestDb.tempHome("fixgate-reopen-");
        String url = Database.embeddedUrl(home);
        Optional<Integer> applied;
        try (Database db = Database.open(url, "", Secret.none(), 2)) {
            new AuditLog(db).append(new AuditEvent.FindingsIngested(Instant.now(), "test", "a", 1, 1, 0, 0));
            applied = db.withConnection(c -> Sql.queryOne(c,
                    "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL", rs -> rs.getInt(1)));
        }
        assertThat(applied).hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(5));
        try (Database db = Database.open(url, "", Secret.none(), 2)) {
            assertThat(new AuditLog(db).verify().entries()).isEqualTo(1);
            Optional<Integer> migrations = db.withConnection(c -> Sql.queryOne(c,
                    "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL", rs -> rs.getInt(1)));
            assertThat(migrations).as("nothing applied twice").isEqualTo(applied);
        }
        assertThat(home.resolve("db")).isDirectory();
    }

    /**
     * V41 makes "one open remediation per initiative, repository and branch" a unique key. A database that already
     * holds two open ones (two replicas raced before the key existed) keeps the newest open and abandons the other.
     */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void theOneOpenRemediationKeyKeepsTheNewestOfDuplicatesOpen(TestDb kind) throws Exception {
        String url = kind == TestDb.POSTGRESQL ? TestDb.freshPostgresUrl()
                : Database.embeddedUrl(TestDb.tempHome("fixgate-h2-v41-"));
        String user = kind == TestDb.POSTGRESQL ? "postgres" : "";
        Dialect dialect = Dialect.ofUrl(url);
        org.flywaydb.core.Flyway.configure().dataSource(url, user, "")
                .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.migrationFolder())
                .placeholders(java.util.Map.of("text", dialect.textType())).target("4").load().migrate();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, "")) {
            Sql.execute(c, "INSERT INTO initiatives (id, control_id, scope, severity, status, created_at, updated_at)"
                    + " VALUES ('i1', 'c', 's', 'LOW', 'OPEN', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            for (String status : List.of("MERGED", "DELIVERED", "PLANNED")) {
                Sql.execute(c, "INSERT INTO remediations (initiative_id, status, playbook_id, rci_level, rci_confidence,"
                        + " repo, branch, plan, created_at, updated_at) VALUES ('i1', '" + status + "', 'p', 'SAFE', 1,"
                        + " 'acme/infra', 'fixgate/x', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            }
        }
        try (Database db = Database.open(url, user, Secret.none(), 2)) {
            List<String> statuses = db.withConnection(c -> Sql.query(c, "SELECT status FROM remediations ORDER BY id",
                    rs -> rs.getString(1)));
            assertThat(statuses).containsExactly("MERGED", "ABANDONED", "PLANNED");
            RemediationStore store = new RemediationStore(db);
            assertThat(store.openIn("acme/infra")).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo(3));
        }
    }

    @Test
    void anUnsupportedUrlIsATypedError() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://x/y", "", Secret.none(), 1))
                .hasMessageContaining("unsupported database URL")
                .isInstanceOfSatisfying(FixgateException.class,
                        e -> assertThat(e.code()).isEqualTo("store.unsupported-database"));
    }

}
