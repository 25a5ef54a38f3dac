package dev.fixgate.app.chatops;

import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.pipeline.RemediateJobHandler;
import java.io.IOException;

/**
 * {@code rebase}: rebuilds fixgate's branch on the default branch's current head — the fix planned again there
 * and force-pushed as one fixgate commit. Refused when a person has pushed to the branch: {@code recreate} is the
 * command that may discard their commits.
 */
@ChatCommand(name = "rebase", usage = "rebase", permission = Permission.WRITE,
        summary = "Rebuild this fix on the default branch's current head.")
public final class RebaseCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        Invocation.Target.PullRequest t = (Invocation.Target.PullRequest) inv.target();
        String author = inv.repo().getCommit(t.headSha()).getCommitShortInfo().getAuthor().getEmail();
        if (!PullRequestDelivery.BOT_EMAIL.equalsIgnoreCase(author)) {
            return Result.refused("Someone else pushed to this branch (`" + Words.sha(t.headSha()) + "`), so fixgate leaves"
                    + " it alone. `/" + inv.services().slug() + " recreate` rebuilds it from the default branch,"
                    + " discarding those commits.");
        }
        return t.remediation().map(r -> {
            long job = RemediateJobHandler.enqueue(inv.services().queue(), inv.services().initiatives(), r.initiative(),
                    inv.services().clock().instant());
            return Result.done("Rebasing: the fix is planned again on the current `" + inv.repo().getDefaultBranch()
                    + "` and pushed to this branch (job " + job + ").");
        }).orElse(Result.refused("fixgate has no record of the fix behind #" + t.number() + "."));
    }
}
