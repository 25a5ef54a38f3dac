package dev.fixgate.app.assess;

import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.policy.Cel;
import dev.fixgate.policy.CelValues;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Remediation Confidence Indicator of one planned fix on one resource, from the playbook's risk data, what the
 * plan could write, and the evidence about the resource.
 *
 * <ol>
 *   <li><b>Evidence rules.</b> A rule is <i>matched</i> when evidence of its kind was observed and its
 *       {@code when} (CEL over {@code value}) is true. With at least one match, the level is the strictest
 *       matched level; with none, it is the playbook's default. So missing evidence is never good news: a
 *       playbook whose SAFE depends on evidence stays at its (RISKY) default without it. A rule that cannot be
 *       evaluated counts as RISKY.</li>
 *   <li><b>Freshness.</b> An observation older than the repository's {@code evidence.max_age} (default 30 days)
 *       at the decision's instant counts as missing: a rule it matches counts only when the rule is stricter than
 *       the playbook's default (old evidence of plain-HTTP clients still stops a fix; a year-old "no requests"
 *       never makes one SAFE), and it adds nothing to confidence. An observation made after the decision's
 *       instant (a replay with {@code --at}) was not known then and is missing too.</li>
 *   <li><b>Hard constraints</b> can only raise the level, to at least RISKY (never SAFE): the change forces
 *       replacement, can lose data, deletes, changes IAM, changes the network of a production database, or could
 *       not be written without guessing (a value from an unresolved variable or module input), or declares an
 *       input without a default that the repository must set.</li>
 *   <li><b>Confidence</b> = fresh observed distinct kinds named by the rules / all distinct kinds named (1.0 when
 *       the playbook names none).</li>
 * </ol>
 * Every step that sets or raises the level adds a reason a reviewer can read.
 */
public final class RciAssessor {

    private static final Cel CEL = Cel.over("value");
    private final Map<String, Cel.Condition> compiled = new ConcurrentHashMap<>();

    /**
     * @param risk         the playbook's risk data
     * @param rollback     the playbook's rollback data
     * @param resourceType e.g. {@code aws_security_group}
     * @param evidence     per kind, the newest observation about the resource
     * @param patch        what the plan stage could do with the fix
     * @param patchCode    for {@link Planner.Status#CANNOT_PATCH}, the refusal code
     * @param now          the decision's instant
     * @param maxAge       evidence older than this counts as missing ({@code evidence.max_age})
     */
    public Rci assess(Playbook.Risk risk, Playbook.RollbackSpec rollback, String resourceType,
                      Map<String, Observation> evidence, Planner.Status patch, String patchCode, Instant now,
                      Duration maxAge) {
        List<RciReason> reasons = new ArrayList<>();
        List<RciReason> matched = new ArrayList<>();
        Set<String> fresh = new LinkedHashSet<>();
        for (Map.Entry<String, Observation> e : evidence.entrySet()) {
            if (isFresh(e.getValue(), now, maxAge)) {
                fresh.add(e.getKey());
            }
        }
        for (Playbook.EvidenceRule rule : risk.evidence()) {
            Observation o = evidence.get(rule.kind());
            if (o == null) {
                continue;
            }
            boolean holds;
            try {
                holds = compiled.computeIfAbsent(rule.when(), CEL::compile).test(CelValues.of(o.value()));
            } catch (RuntimeException e) {
                matched.add(new RciReason("evidence", "evidence.rule-error", "could not evaluate `" + rule.when()
                        + "` on " + rule.kind() + " = " + o.value() + " (" + e.getMessage() + ") → RISKY", RciLevel.RISKY));
                continue;
            }
            if (!holds) {
                continue;
            }
            if (fresh.contains(rule.kind())) {
                matched.add(new RciReason("evidence", "evidence." + rule.kind(), sentence(rule, o), rule.level()));
            } else if (rule.level().compareTo(risk.defaultLevel()) > 0) {
                matched.add(new RciReason("evidence", "evidence." + rule.kind(), sentence(rule, o)
                        + " (observed " + o.observedAt() + ", stale: it still counts against the fix)", rule.level()));
            }
        }
        if (matched.isEmpty()) {
            reasons.add(new RciReason("playbook", "playbook.default", (risk.evidence().isEmpty()
                    ? "the playbook rates this fix " : "no evidence rule matched; the playbook's default is ")
                    + risk.defaultLevel(), risk.defaultLevel()));
        } else {
            reasons.addAll(matched);
        }
        Set<String> named = new LinkedHashSet<>();
        risk.evidence().forEach(r -> named.add(r.kind()));
        for (String kind : named) {
            Observation o = evidence.get(kind);
            if (o == null) {
                reasons.add(new RciReason("evidence", "evidence.missing", "no " + kind + " evidence was observed",
                        RciLevel.SAFE));
            } else if (!fresh.contains(kind)) {
                reasons.add(new RciReason("evidence", "evidence.stale", o.observedAt().isAfter(now)
                        ? kind + " was observed at " + o.observedAt() + ", after the decision's instant " + now
                                + "; it counts as missing"
                        : kind + " was observed at " + o.observedAt() + ", more than " + describe(maxAge)
                                + " before the decision (evidence.max_age); it counts as missing, so it cannot make the fix SAFE",
                        RciLevel.SAFE));
            }
        }
        reasons.addAll(hardConstraints(risk, rollback, resourceType, evidence, patch, patchCode));

        long observed = named.stream().filter(fresh::contains).count();
        double confidence = named.isEmpty() ? 1.0 : (double) observed / named.size();
        RciLevel level = reasons.stream().map(RciReason::level).reduce(RciLevel.SAFE, RciLevel::atLeast);
        return new Rci(level, Math.round(confidence * 1000) / 1000.0, reasons);
    }

    /** Whether {@code o} was observed no earlier than {@code maxAge} before {@code now}, and not after it. */
    public static boolean isFresh(Observation o, Instant now, Duration maxAge) {
        return !o.observedAt().isAfter(now) && !o.observedAt().isBefore(now.minus(maxAge));
    }

    private static String describe(Duration d) {
        return d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toHours() + " hours";
    }

    private static List<RciReason> hardConstraints(Playbook.Risk risk, Playbook.RollbackSpec rollback, String resourceType,
                                                   Map<String, Observation> evidence, Planner.Status patch,
                                                   String patchCode) {
        List<RciReason> out = new ArrayList<>();
        if (rollback.forcesReplacement()) {
            out.add(hard("replace", "the change forces the resource to be replaced"));
        }
        if (rollback.dataLoss()) {
            out.add(hard("data-loss", "the change or its rollback can lose data"));
        }
        if (risk.actions().contains("delete")) {
            out.add(hard("delete", "the change deletes something"));
        }
        if (risk.actions().contains("replace") && !rollback.forcesReplacement()) {
            out.add(hard("replace", "the change replaces something"));
        }
        if (risk.actions().contains("iam")) {
            out.add(hard("iam", "the change touches IAM"));
        }
        if (risk.actions().contains("network") && "production".equals(Environments.of(evidence))
                && Environments.databaseNetwork(resourceType, evidence)) {
            out.add(hard("production-database-network", "the change restricts the network of a production database"));
        }
        if (patch == Planner.Status.CANNOT_PATCH) {
            out.add(hard("cannot-patch", "the fix cannot be written without guessing (" + patchCode + ")"));
        }
        if (patch == Planner.Status.PATCHED && patchCode.equals(Planner.DECLARES_INPUT)) {
            out.add(hard("declares-input", "the fix declares a variable or parameter without a default, which the"
                    + " repository must set (or set the playbook's params in .github/fixgate.yml)"));
        }
        return out;
    }

    private static RciReason hard(String code, String message) {
        return new RciReason("constraint", "constraint." + code, message + " → never SAFE", RciLevel.RISKY);
    }

    /** The rule's sentence with {@code {value}} filled in, the source, and the level it argues for. */
    static String sentence(Playbook.EvidenceRule rule, Observation o) {
        String text = rule.reason().replace("{value}", String.valueOf(o.value()));
        return text + (o.source().isEmpty() ? "" : " (" + o.source() + ")") + " → " + rule.level();
    }
}
