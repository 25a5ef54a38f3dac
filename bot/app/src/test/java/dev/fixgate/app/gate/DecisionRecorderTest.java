package dev.fixgate.app.gate;

import static dev.fixgate.app.gate.Cases.NOW;
import static dev.fixgate.app.gate.Cases.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.app.store.ExceptionStore;
import dev.fixgate.spi.finding.Fingerprint;
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

    /** Detect mode and an exclusion are risk acceptances, with who decided and why; a merge-ready fix is not. */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void detectModeAndExclusionsAreRecordedAsRiskAcceptances(TestDb kind) {
        try (Database db = kind.fresh()) {
            ExceptionStore exceptions = new ExceptionStore(db);
            DecisionRecorder recorder = new DecisionRecorder(new DecisionStore(db), exceptions, new AuditLog(db),
                    Clock.fixed(NOW, ZoneOffset.UTC));
            RemediationSafety safety = Gates.builtIn();
            Fingerprint a = new Fingerprint("a".repeat(64));
            Fingerprint b = new Fingerprint("b".repeat(64));
            Fingerprint c = new Fingerprint("c".repeat(64));
            var detect = Cases.decide(safety, Cases.bucket("logs", List.of(seen("logs", "s3.object_count", 0L)),
                    Cases.config("mode: detect\n"), NOW));
            var excluded = Cases.decide(safety, Cases.bucket("legacy", List.of(seen("legacy", "s3.object_count", 0L)),
                    Cases.config("mode: autonomous\nexclusions:\n  resources: [\"arn:aws:s3:::legacy\"]\n"), NOW));
            var fixed = Cases.decide(safety, Cases.bucket("empty", List.of(seen("empty", "s3.object_count", 0L)),
                    Cases.autonomous(), NOW));
            long detectId = recorder.record(detect, "fixgate", new DecisionRecorder.Where("acme/infra", List.of(a), Cases.TLS.value()));
            recorder.record(excluded, "fixgate", new DecisionRecorder.Where("acme/infra", List.of(b), Cases.TLS.value()));
            recorder.record(fixed, "fixgate", new DecisionRecorder.Where("acme/infra", List.of(c), Cases.TLS.value()));

            List<ExceptionStore.RiskAcceptance> all = exceptions.all();
            assertThat(all).extracting(ExceptionStore.RiskAcceptance::fingerprint, ExceptionStore.RiskAcceptance::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(a.value(), ExceptionStore.Kind.DETECT_MODE),
                            org.assertj.core.groups.Tuple.tuple(b.value(), ExceptionStore.Kind.EXCLUSION));
            assertThat(all.get(0).acceptedBy()).isEqualTo("acme/infra .github/fixgate.yml (mode: detect)");
            assertThat(all.get(0).decisionId()).contains(detectId);
            assertThat(all.get(0).expiresAt()).isEmpty();
            assertThat(all.get(0).activeAt(NOW)).isTrue();
            assertThat(all.get(1).reason()).contains("arn:aws:s3:::legacy");
            assertThat(all.get(1).controlId()).isEqualTo(Cases.TLS.value());
            assertThat(new DecisionStore(db).all()).extracting(DecisionStore.Decision::repo).containsOnly("acme/infra");
        }
    }
}
