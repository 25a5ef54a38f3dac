package dev.fixgate.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.spi.audit.AuditEvent;
import dev.fixgate.spi.finding.InitiativeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Lives with the store tests because it is about what the database keeps; the log itself is the audit stage's. */
class AuditLogTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456789Z");

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void appendsAChainThatVerifies(TestDb kind) {
        try (Database db = kind.fresh()) {
            AuditLog log = new AuditLog(db);
            InitiativeId id = new InitiativeId("abc123");
            log.append(new AuditEvent.FindingsIngested(T0, "cli", "securityhub.json", 10, 8, 2, 0));
            log.append(new AuditEvent.Delivered(T0.plusSeconds(1), "fixgate", id, "acme/infra", "pull", 7));
            AuditLog.Entry last = log.append(new AuditEvent.Merged(T0.plusSeconds(2), "fixgate", "acme/infra", 7, "a".repeat(40)));

            AuditLog.Verification v = log.verify();
            assertThat(v.intact()).isTrue();
            assertThat(v.entries()).isEqualTo(3);
            assertThat(v.headHash()).isEqualTo(last.hash());

            List<AuditLog.Entry> recent = log.recent(Optional.empty(), 10);
            assertThat(recent).extracting(AuditLog.Entry::type)
                    .containsExactly("remediation.merged", "remediation.delivered", "findings.ingested");
            assertThat(recent.get(2).at()).isEqualTo(Sql.truncate(T0));
            assertThat(recent.get(1).payload()).contains("\"initiative\":\"abc123\"", "\"number\":7");
            assertThat(log.recent(Optional.of("initiative:abc123"), 10)).singleElement()
                    .extracting(AuditLog.Entry::type).isEqualTo("remediation.delivered");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void anEditThatBypassesTheTriggerIsDetected(TestDb kind) {
        try (Database db = kind.fresh()) {
            AuditLog log = new AuditLog(db);
            for (int i = 0; i < 3; i++) {
                log.append(new AuditEvent.FindingsIngested(T0.plusSeconds(i), "cli", "f" + i, i, i, 0, 0));
            }
            // An operator with DDL rights can switch the guard off; the chain still tells.
            db.withConnection(c -> {
                if (db.dialect() == Dialect.POSTGRESQL) {
                    Sql.execute(c, "ALTER TABLE audit_log DISABLE TRIGGER USER");
                } else {
                    Sql.execute(c, "DROP TRIGGER audit_log_no_update");
                }
                return Sql.update(c, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
            });

            AuditLog.Verification v = log.verify();
            assertThat(v.intact()).isFalse();
            assertThat(v.problem()).contains("entry 2 was modified after it was written");
            assertThat(v.entries()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void concurrentWritersProduceOneUnbrokenChain(TestDb kind) throws Exception {
        try (Database db = kind.fresh()) {
            AuditLog log = new AuditLog(db);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<AuditLog.Entry>> futures = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> log.append(
                            new AuditEvent.FindingsIngested(T0.plusMillis(n), "w" + n % 4, "f" + n, n, n, 0, 0))));
                }
                for (Future<AuditLog.Entry> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            AuditLog.Verification v = log.verify();
            assertThat(v.intact()).as(v.problem().orElse("")).isTrue();
            assertThat(v.entries()).isEqualTo(40);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aTailCutOffIsDetected(TestDb kind) {
        try (Database db = kind.fresh()) {
            AuditLog log = new AuditLog(db);
            for (int i = 0; i < 3; i++) {
                log.append(new AuditEvent.FindingsIngested(T0.plusSeconds(i), "cli", "f" + i, i, i, 0, 0));
            }
            db.withConnection(c -> {
                Sql.execute(c, db.dialect() == Dialect.POSTGRESQL ? "ALTER TABLE audit_log DISABLE TRIGGER USER"
                        : "DROP TRIGGER audit_log_no_delete");
                return Sql.update(c, "DELETE FROM audit_log WHERE seq = 3");
            });

            assertThat(log.verify().problem()).hasValueSatisfying(p -> assertThat(p).contains("removed from the end"));
        }
    }
}
