package dev.fixgate.app.chatops;

import dev.fixgate.app.pipeline.RemediateJobHandler;
import java.io.IOException;

/**
 * {@code rescan}: runs the initiative's remediation again — evidence re-collected, the fix re-planned on the
 * default branch's current head, re-assessed and re-gated — and updates the pull request (body, labels, check run)
 * or the issue with the new decision.
 */
@ChatCommand(name = "rescan", usage = "rescan", permission = Permission.WRITE,
        where = {ChatCommand.Where.OPEN_PULL_REQUEST, ChatCommand.Where.ISSUE},
        summary = "Re-collect evidence, re-plan and re-gate this fix, and update it.")
public final class RescanCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        return inv.target().remediation().map(r -> {
            long job = RemediateJobHandler.enqueueRescan(inv.services().queue(), inv.services().initiatives(), r.initiative(),
                    inv.services().clock().instant());
            return Result.done("Rescanning initiative `" + r.initiative().value() + "` (job " + job + "): evidence, plan and"
                    + " gate run again; this " + (inv.target() instanceof Invocation.Target.Issue ? "issue" : "pull request")
                    + " is updated with the result.");
        }).orElse(Result.refused("fixgate has no record of the fix behind #" + inv.target().number() + "."));
    }
}
