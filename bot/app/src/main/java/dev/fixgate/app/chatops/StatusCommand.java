package dev.fixgate.app.chatops;

import dev.fixgate.app.deliver.SafetyCheck;
import dev.fixgate.app.gate.ApprovalCheck;
import dev.fixgate.app.merge.MergeDecider;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.spi.gate.GateDecision;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code status}: where this fix stands — the remediation, the gate's decision, approvals, holds. */
@ChatCommand(name = "status", usage = "status", permission = Permission.READ,
        where = {ChatCommand.Where.OPEN_PULL_REQUEST, ChatCommand.Where.MERGED_PULL_REQUEST, ChatCommand.Where.ISSUE,
                ChatCommand.Where.DASHBOARD},
        summary = "Say where this fix stands: decision, approvals, holds (on the dashboard: the repository's totals).")
public final class StatusCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        ChatOpsServices s = inv.services();
        Instant now = s.clock().instant();
        StringBuilder b = new StringBuilder();
        if (inv.target() instanceof Invocation.Target.Dashboard) {
            var all = s.remediations().inRepo(inv.repo().getFullName());
            b.append("fixgate has ").append(all.size()).append(" remediation(s) in this repository: ");
            java.util.Map<String, Long> byStatus = new java.util.TreeMap<>();
            all.forEach(r -> byStatus.merge(r.status().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum));
            b.append(byStatus).append("; ").append(s.store().holdsInForce(inv.repo().getFullName(), now).size())
                    .append(" hold(s) in force. The dashboard above lists them.");
            return Result.done(b.toString());
        }
        inv.target().remediation().ifPresentOrElse(r -> b.append("Remediation #").append(r.id()).append(": ")
                        .append(r.status().name().toLowerCase(java.util.Locale.ROOT)).append(", RCI ").append(r.rciLevel())
                        .append(", initiative `").append(r.initiative().value()).append("`.\n"),
                () -> b.append("fixgate has no record of the fix behind #").append(inv.target().number()).append(".\n"));
        if (inv.target() instanceof Invocation.Target.PullRequest t && !t.merged()) {
            Optional<GateDecision> d = SafetyCheck.find(inv.repo(), t.headSha(), Optional.of(s.merges().appId()))
                    .flatMap(run -> SafetyCheck.decision(run.getExternalId()));
            b.append("Gate decision on `").append(Words.sha(t.headSha())).append("`: ")
                    .append(d.map(StatusCommand::name).orElse("none (someone else's commit?)")).append(".\n");
            if (d.isPresent()) {
                GateDecision effective = MergeDecider.effective(d.get(), inv.config());
                if (effective instanceof GateDecision.NeedsApproval) {
                    ApprovalCheck.Status a = ApprovalCheck.check(effective, inv.config().reviewers(),
                            s.merges().facts(inv.installationId(), inv.repo(), t.pr(), inv.config(), t.headSha(), Set.of()));
                    b.append("Approvals: ").append(a.satisfied() ? "satisfied by " + String.join(", ", a.approvers())
                            : "not yet").append(a.reasons().isEmpty() ? "" : " — " + Words.clean(String.join("; ",
                            a.reasons()))).append(".\n");
                }
            }
        } else if (inv.target() instanceof Invocation.Target.PullRequest t) {
            b.append("Merged").append(t.remediation().flatMap(r -> r.mergedSha()).map(sha -> " as `" + Words.sha(sha) + "`")
                    .orElse("")).append(". Verification after merge is not built yet.\n");
        }
        inv.target().remediation().ifPresent(r -> {
            List<ChatOpsStore.Hold> holds = s.store().holdsInForce(inv.repo().getFullName(), now).stream()
                    .filter(h -> h.initiative().equals(r.initiative())).toList();
            holds.forEach(h -> b.append("Hold: ").append(h.kind().name().toLowerCase(java.util.Locale.ROOT)).append(" by @\u200b")
                    .append(Words.clean(h.createdBy())).append(h.until().map(u -> " until " + u).orElse(""))
                    .append(h.target().isEmpty() ? "" : " on `" + Words.code(h.target()) + "`").append(": ")
                    .append(Words.clean(h.reason())).append(".\n"));
        });
        return Result.done(b.toString().strip());
    }

    private static String name(GateDecision d) {
        return switch (d) {
            case GateDecision.Allow a -> "allow";
            case GateDecision.NeedsApproval n -> "needs " + n.approvals() + " approval(s)";
            case GateDecision.Deny x -> "deny";
        };
    }
}
