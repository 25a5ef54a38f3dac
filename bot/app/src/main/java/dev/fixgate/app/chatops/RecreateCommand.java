package dev.fixgate.app.chatops;

import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.pipeline.RemediateJobHandler;
import java.io.IOException;
import org.kohsuke.github.GHCommit;

/**
 * {@code recreate}: after a person pushed to fixgate's branch, rebuilds it from the default branch as fixgate's own
 * commit again, discarding that person's commits — which only they, or someone with maintain access, may do. On a
 * branch nobody else touched it is a rebase.
 */
@ChatCommand(name = "recreate", usage = "recreate", permission = Permission.WRITE,
        summary = "Rebuild fixgate's branch from the default branch, discarding commits others pushed to it.")
public final class RecreateCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        Invocation.Target.PullRequest t = (Invocation.Target.PullRequest) inv.target();
        ChatOpsServices s = inv.services();
        if (t.remediation().isEmpty()) {
            return Result.refused("fixgate has no record of the fix behind #" + t.number() + ".");
        }
        GHCommit head = inv.repo().getCommit(t.headSha());
        String email = head.getCommitShortInfo().getAuthor().getEmail();
        String discarded = "";
        if (!PullRequestDelivery.BOT_EMAIL.equalsIgnoreCase(email)) {
            String pusher = head.getAuthor() == null ? "" : head.getAuthor().getLogin();
            Permission held = Permission.ofRole(s.people().role(inv.installationId(), inv.repo().getFullName(), inv.sender()));
            if (!inv.sender().equalsIgnoreCase(pusher) && !Permission.MAINTAIN.grantedBy(held)) {
                return Result.refused("Recreating discards the commits " + (pusher.isEmpty() ? "someone" : "@\u200b" + pusher)
                        + " pushed (head `" + Words.sha(t.headSha()) + "`); only they or someone with maintain access may"
                        + " do that.");
            }
            s.store().allowOverwrite(inv.repo().getFullName(), t.pr().getHead().getRef(), t.headSha(), inv.sender(),
                    s.clock().instant());
            discarded = " The commits up to `" + Words.sha(t.headSha()) + "` are discarded.";
        }
        long job = RemediateJobHandler.enqueue(s.queue(), s.initiatives(), t.remediation().get().initiative(),
                s.clock().instant());
        return Result.done("Recreating this branch from `" + inv.repo().getDefaultBranch() + "` (job " + job + ")."
                + discarded);
    }
}
