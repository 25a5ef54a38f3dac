package dev.fixgate.app.gate;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.app.store.ExceptionStore;
import dev.fixgate.policy.PolicyHit;
import dev.fixgate.spi.audit.AuditEvent;
import dev.fixgate.spi.finding.Fingerprint;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps every decision: a row in {@code gate_decisions} (with the full input, for replay) and audit entries —
 * one {@code remediation.assessed}, one {@code gate.decided} per engine, and one for the final decision. A
 * decision to leave a finding alone on purpose — the repository is in detect mode, or the resource is excluded by
 * configuration — is also a risk acceptance ({@code remediation_exceptions}), which the evidence report lists with
 * who decided it and why.
 */
public final class DecisionRecorder {

    /** The policy that excludes resources by configuration (policies/src/main/resources/policies/builtin). */
    static final String EXCLUSION_POLICY = "excluded-resource";

    private final DecisionStore store;
    private final ExceptionStore exceptions;
    private final AuditLog audit;
    private final Clock clock;

    public DecisionRecorder(DecisionStore store, ExceptionStore exceptions, AuditLog audit, Clock clock) {
        this.store = store;
        this.exceptions = exceptions;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Where a decision was made: the repository ({@code owner/name}, empty when unknown) and the findings the
     * resource's fix is for.
     */
    public record Where(String repo, List<Fingerprint> findings, String control) {
        public Where {
            java.util.Objects.requireNonNull(repo, "repo");
            findings = List.copyOf(findings);
            java.util.Objects.requireNonNull(control, "control");
        }
    }

    /** @return the stored decision's id */
    public long record(RemediationSafety.ResourceDecision d, String actor) {
        return record(d, actor, new Where("", List.of(), ""));
    }

    /** @return the stored decision's id */
    public long record(RemediationSafety.ResourceDecision d, String actor, Where where) {
        Instant now = clock.instant();
        long id = store.record(new DecisionStore.Decision(0, d.initiative(), d.resource(), d.playbookId(),
                d.rci().level().name(), d.rci().confidence(), d.blastRadius().resources(), d.blastRadius().instances(),
                d.gate().decisionId(), d.gate().action().id(), Json.write(layers(d.gate())),
                d.input() == null ? "{}" : Json.write(d.input().toMap()),
                d.input() == null ? now : d.input().now(), now, where.repo()), now);
        acceptance(d, where, id, now);
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

    /**
     * A record-only decision taken on purpose — detect mode, or an exclusion in the repository's configuration —
     * accepts the finding's risk; a change window, a blackout or an internal error only postpones it and is not one.
     */
    private void acceptance(RemediationSafety.ResourceDecision d, Where where, long decisionId, Instant now) {
        if (d.gate().action() != Action.RECORD_ONLY || d.input() == null || where.findings().isEmpty()) {
            return;
        }
        String config = (where.repo().isEmpty() ? "the repository's" : where.repo()) + " .github/fixgate.yml";
        ExceptionStore.Kind kind;
        String by;
        String why;
        if ("detect".equals(d.input().config().mode())) {
            kind = ExceptionStore.Kind.DETECT_MODE;
            by = config + " (mode: detect)";
            why = "the repository is in detect mode: findings are reported, not fixed";
        } else if (d.gate().layers().stream().flatMap(v -> v.hits().stream())
                .anyMatch(h -> h.policyId().equals(EXCLUSION_POLICY))) {
            kind = ExceptionStore.Kind.EXCLUSION;
            by = config + " (exclusions)";
            List<String> patterns = d.input().resource().excludedBy();
            why = "excluded from remediation by configuration"
                    + (patterns.isEmpty() ? " or tag" : ": " + String.join(", ", patterns));
        } else {
            return;
        }
        for (Fingerprint f : where.findings()) {
            exceptions.record(new ExceptionStore.RiskAcceptance(0, kind, f.value(), d.initiative().value(),
                    d.resource(), where.control(), where.repo(), by, Redactor.redact(why), Optional.empty(),
                    Optional.of(decisionId), now));
        }
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
