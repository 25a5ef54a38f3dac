package dev.fixgate.app.chatops;

import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.RemediationStore;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code reject}: closes fixgate's pull request (or issue) and records why; the same plan — the same changed files
 * with the same text — is never proposed again for the initiative. A different plan (the code or the evidence
 * changed) may be.
 */
@ChatCommand(name = "reject", usage = "reject --reason \"why\"", permission = Permission.WRITE, flags = {"reason"},
        where = {ChatCommand.Where.OPEN_PULL_REQUEST, ChatCommand.Where.ISSUE},
        summary = "Close this fix and never propose the same plan again; say why.")
public final class RejectCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        String reason = inv.command().flag("reason").orElse(String.join(" ", inv.command().args())).strip();
        if (reason.isEmpty()) {
            return Result.refused("Say why: `/" + inv.services().slug() + " reject --reason \"…\"`. The reason is kept with"
                    + " the rejection in the audit log.");
        }
        Optional<RemediationStore.Remediation> r = inv.target().remediation();
        Optional<FixProposal> p = inv.target().proposal();
        if (r.isEmpty() || p.isEmpty()) {
            return Result.refused("fixgate has no record of the fix behind #" + inv.target().number() + ", so there is no plan"
                    + " to reject.");
        }
        ChatOpsServices s = inv.services();
        s.store().hold(inv.repo().getFullName(), r.get().initiative(), ChatOpsStore.HoldKind.REJECT, p.get().planHash(),
                reason, inv.sender(), s.clock().instant(), Optional.empty());
        s.remediations().setStatus(r.get().id(), RemediationStore.Status.ABANDONED, s.clock().instant());
        switch (inv.target()) {
            case Invocation.Target.PullRequest t -> t.pr().close();
            case Invocation.Target.Issue t -> t.issue().close();
            case Invocation.Target.Dashboard d -> { }
        }
        return Result.done("Rejected by @\u200b" + inv.sender() + ": " + Words.clean(reason) + ". Closed; fixgate will not"
                + " propose this plan again (a different one, after the code or the evidence changes, may be).");
    }
}
