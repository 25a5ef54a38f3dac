package dev.fixgate.app.chatops;

import dev.fixgate.app.deliver.SafetyCheck;
import dev.fixgate.app.merge.MergeDecider;
import dev.fixgate.spi.gate.GateDecision;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code approve}: an approval of the pull request's current commit, given by an authorised reviewer (the same
 * people whose approving review counts), until {@code approval_expiry_days}. A new commit needs a new approval.
 * fixgate then decides at once whether the pull request can merge.
 */
@ChatCommand(name = "approve", usage = "approve", permission = Permission.REVIEWER,
        summary = "Approve this pull request's fix at its current commit, as an approving review by you would.")
public final class ApproveCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        Invocation.Target.PullRequest t = (Invocation.Target.PullRequest) inv.target();
        ChatOpsServices s = inv.services();
        String head = t.headSha();
        Optional<GateDecision> decision = SafetyCheck.find(inv.repo(), head, Optional.of(s.merges().appId()))
                .flatMap(run -> SafetyCheck.decision(run.getExternalId()));
        if (decision.isEmpty()) {
            return Result.refused("There is no fixgate/safety decision on `" + Words.sha(head) + "` (was the branch "
                    + "changed by someone else?), so there is nothing to approve.");
        }
        GateDecision effective = MergeDecider.effective(decision.get(), inv.config());
        if (effective instanceof GateDecision.Deny) {
            return Result.refused("The gate denied this fix; no approval can make fixgate merge it.");
        }
        if (effective instanceof GateDecision.Allow) {
            return Result.done("No approval is needed: the gate allowed this fix, and it merges when the required checks"
                    + " pass.");
        }
        Instant now = s.clock().instant();
        int days = inv.config().reviewers().approvalExpiryDays();
        Instant expires = now.plus(Duration.ofDays(days > 0 ? days : 3650));
        s.store().grant(inv.repo().getFullName(), t.number(), inv.sender(), head, now, expires);
        MergeDecider.Decision d = s.merges().evaluate(inv.installationId(), inv.repo(), t.pr());
        String then = switch (d) {
            case MergeDecider.Decision.Merge m -> "Merged.";
            case MergeDecider.Decision.Wait w -> "Not merged yet: " + Words.clean(w.reason()) + ".";
            case MergeDecider.Decision.Refuse r -> "fixgate will not merge it: " + Words.clean(r.reason()) + ".";
        };
        return Result.done("Approved `" + Words.sha(head) + "` as @\u200b" + inv.sender() + " (it counts for this commit"
                + (days > 0 ? " until " + expires : "") + "). " + then);
    }
}
