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
                    "evidence_observations", "rci_history", "verify_tracks", "recurrences");
            List<String> applied = db.withConnection(c -> Sql.query(c,
                    "SELECT version FROM flyway_schema_history WHERE success = TRUE AND version IS NOT NULL ORDER BY installed_rank",
                    rs -> rs.getString(1)));
            assertThat(applied).startsWith("1", "2", "3", "4", "5").contains("20", "30", "50");
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
        Path home = Files.createTempDirectory("fixgate-reopen-");
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

    @Test
    void anUnsupportedUrlIsATypedError() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://x/y", "", Secret.none(), 1))
                .hasMessageContaining("unsupported database URL")
                .isInstanceOfSatisfying(FixgateException.class,
                        e -> assertThat(e.code()).isEqualTo("store.unsupported-database"));
    }

}
