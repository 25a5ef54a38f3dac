package dev.fixgate.app.assess;

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
 * The Remediation Confidence Indicator of one fix on one resource, from the playbook's risk data and the
 * evidence about that resource.
 *
 * <ol>
 *   <li><b>Evidence rules.</b> A rule is <i>matched</i> when evidence of its kind was observed and its
 *       {@code when} (CEL over {@code value}) is true. With at least one match, the level is the strictest
 *       matched level; with none, it is the playbook's default. So missing evidence is never good news: a
 *       playbook whose SAFE depends on evidence stays at its (RISKY) default without it. A rule that cannot be
 *       evaluated counts as RISKY.</li>
 *   <li><b>Hard constraints</b> can only raise the level, to at least RISKY (never SAFE): the change forces
 *       replacement, can lose data, deletes, changes IAM, changes the network of a production database, or could
 *       not be written without guessing (a value from an unresolved variable or module input).</li>
 *   <li><b>Confidence</b> = observed distinct kinds named by the rules / all distinct kinds named (1.0 when
 *       the playbook names none), where evidence older than {@link #STALE_AFTER} counts half: traffic from
 *       a month ago says less about today's clients.</li>
 * </ol>
 * Every step that sets or raises the level adds a reason a reviewer can read.
 */
public final class RciAssessor {

    /** Evidence older than this (at the time of the decision) counts half towards confidence. */
    public static final Duration STALE_AFTER = Duration.ofDays(30);

    private static final Cel CEL = Cel.over("value");
    private final Map<String, Cel.Condition> compiled = new ConcurrentHashMap<>();

    /**
     * @param risk         the playbook's risk data
     * @param rollback     the playbook's rollback data
     * @param resourceType e.g. {@code aws_security_group}
     * @param evidence     per kind, the newest observation about the resource
     * @param patch        whether the fix could be written
     * @param now          the decision's instant
     */
    public Rci assess(Playbook.Risk risk, Playbook.RollbackSpec rollback, String resourceType,
                      Map<String, Observation> evidence, PatchState patch, Instant now) {
        List<RciReason> reasons = new ArrayList<>();
        List<RciReason> matched = new ArrayList<>();
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
            if (holds) {
                matched.add(new RciReason("evidence", "evidence." + rule.kind(), sentence(rule, o), rule.level()));
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
            if (!evidence.containsKey(kind)) {
                reasons.add(new RciReason("evidence", "evidence.missing", "no " + kind + " evidence was observed",
                        RciLevel.SAFE));
            }
        }
        reasons.addAll(hardConstraints(risk, rollback, resourceType, evidence, patch));

        double observed = 0;
        for (String kind : named) {
            Observation o = evidence.get(kind);
            if (o != null) {
                observed += o.observedAt().isBefore(now.minus(STALE_AFTER)) ? 0.5 : 1.0;
            }
        }
        double confidence = named.isEmpty() ? 1.0 : observed / named.size();
        for (String kind : named) {
            Observation o = evidence.get(kind);
            if (o != null && o.observedAt().isBefore(now.minus(STALE_AFTER))) {
                reasons.add(new RciReason("evidence", "evidence.stale", kind + " was observed " + o.observedAt()
                        + ", more than " + STALE_AFTER.toDays() + " days before the decision; it counts half", RciLevel.SAFE));
            }
        }
        RciLevel level = reasons.stream().map(RciReason::level).reduce(RciLevel.SAFE, RciLevel::atLeast);
        return new Rci(level, Math.round(confidence * 1000) / 1000.0, reasons);
    }

    private static List<RciReason> hardConstraints(Playbook.Risk risk, Playbook.RollbackSpec rollback, String resourceType,
                                                   Map<String, Observation> evidence, PatchState patch) {
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
        if (patch.status().equals("cannot_patch")) {
            out.add(hard("cannot-patch", "the fix cannot be written without guessing (" + patch.code() + ")"));
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
