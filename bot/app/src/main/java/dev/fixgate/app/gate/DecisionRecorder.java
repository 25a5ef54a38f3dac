package dev.fixgate.app.gate;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.policy.PolicyHit;
import dev.fixgate.spi.audit.AuditEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps every decision: a row in {@code gate_decisions} (with the full input, for replay) and audit entries —
 * one {@code remediation.assessed}, one {@code gate.decided} per engine, and one for the final decision.
 */
public final class DecisionRecorder {

    private final DecisionStore store;
    private final AuditLog audit;
    private final Clock clock;

    public DecisionRecorder(DecisionStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** @return the stored decision's id */
    public long record(RemediationSafety.ResourceDecision d, String actor) {
        Instant now = clock.instant();
        long id = store.record(new DecisionStore.Decision(0, d.initiative(), d.resource(), d.playbookId(),
                d.rci().level().name(), d.rci().confidence(), d.blastRadius().resources(), d.blastRadius().instances(),
                d.gate().decisionId(), d.gate().action().id(), Json.write(layers(d.gate())),
                d.input() == null ? "{}" : Json.write(d.input().toMap()),
                d.input() == null ? now : d.input().now(), now), now);
        audit.append(new AuditEvent.Assessed(now, actor, d.initiative(), d.rci().level(), d.rci().confidence()));
        for (LayerVerdict v : d.gate().layers()) {
            audit.append(new AuditEvent.GateDecided(now, actor, d.initiative(), v.layer(), v.verdictId(),
                    "resource " + d.resource() + "; engine " + v.engine() + ": " + String.join("; ", v.verdict().reasons())));
        }
        audit.append(new AuditEvent.GateDecided(now, actor, d.initiative(), d.gate().decision().layer(),
                d.gate().decisionId(), "resource " + d.resource() + "; final decision (#" + id + "), action "
                        + d.gate().action().id() + ": " + String.join("; ", d.gate().decision().reasons())));
        return id;
    }

    /** The JSON shape of the layers, shared with {@code fixgate assess --json}. */
    public static List<Map<String, Object>> layers(GateOutcome outcome) {
        return outcome.layers().stream().map(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", v.layer().name().toLowerCase(java.util.Locale.ROOT));
            m.put("engine", v.engine());
            m.put("verdict", v.verdictId());
            m.put("reasons", v.verdict().reasons());
            m.put("policies", v.hits().stream().map(PolicyHit::policyId).distinct().toList());
            return m;
        }).toList();
    }
}
