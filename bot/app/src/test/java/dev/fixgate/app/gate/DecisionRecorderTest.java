package dev.fixgate.app.gate;

import static dev.fixgate.app.gate.Cases.NOW;
import static dev.fixgate.app.gate.Cases.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.app.store.TestDb;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Decisions are stored with their input (for replay) and appear in the audit log, on H2 and PostgreSQL. */
class DecisionRecorderTest {

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void decisionsAreStoredAndAudited(TestDb kind) throws Exception {
        try (Database db = kind.fresh()) {
            DecisionStore store = new DecisionStore(db);
            AuditLog audit = new AuditLog(db);
            DecisionRecorder recorder = new DecisionRecorder(store, new dev.fixgate.app.store.ExceptionStore(db), audit, Clock.fixed(NOW, ZoneOffset.UTC));
            RemediationSafety safety = Gates.builtIn();
            var safe = Cases.decide(safety, Cases.bucket("empty", List.of(seen("empty", "s3.object_count", 0L)), Cases.autonomous(), NOW));
            var unsafe = Cases.decide(safety, Cases.bucket("web", List.of(seen("web", "s3.http_requests_90d", 45L)), Cases.autonomous(), NOW));
            long first = recorder.record(safe, "fixgate");
            long second = recorder.record(unsafe, "fixgate");
            assertThat(second).isGreaterThan(first);

            List<DecisionStore.Decision> stored = store.forInitiative(Cases.INITIATIVE);
            assertThat(stored).extracting(DecisionStore.Decision::resourceKey, DecisionStore.Decision::rciLevel,
                            DecisionStore.Decision::decision, DecisionStore.Decision::action)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("arn:aws:s3:::empty", "SAFE", "allow", "automerge"),
                            org.assertj.core.groups.Tuple.tuple("arn:aws:s3:::web", "UNSAFE", "deny", "route_to_owner"));
            DecisionStore.Decision u = store.latest("arn:aws:s3:::web").orElseThrow();
            Map<?, ?> input = Json.mapper().readValue(u.inputJson(), Map.class);
            assertThat(((Map<?, ?>) input.get("rci")).get("level")).isEqualTo("UNSAFE");
            assertThat(u.layersJson()).contains("\"engine\":\"cel\"").contains("rci-unsafe");
            assertThat(u.decidedAt()).isEqualTo(NOW);

            List<AuditLog.Entry> entries = audit.recent(Optional.of("initiative:" + Cases.INITIATIVE), 50);
            assertThat(entries).extracting(AuditLog.Entry::type).contains("remediation.assessed", "gate.decided");
            assertThat(entries).filteredOn(e -> e.type().equals("gate.decided"))
                    .anyMatch(e -> e.payload().contains("final decision") && e.payload().contains("route_to_owner"));
            assertThat(audit.verify().intact()).isTrue();
        }
    }
}
