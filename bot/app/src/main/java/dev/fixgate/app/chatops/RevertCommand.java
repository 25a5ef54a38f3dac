package dev.fixgate.app.chatops;

import dev.fixgate.app.deliver.DeliveryJobHandler;
import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.plan.TextMerge;
import dev.fixgate.app.plan.UnifiedDiff;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHRepository;

/**
 * {@code revert}: on a merged fixgate pull request, opens a pull request that undoes it — each file it changed
 * merged back three ways (the merge commit as the base, the default branch's head as ours, the commit before the
 * merge as theirs), so later changes to those files stay — carrying the playbook's rollback plan. A revert is gated
 * as RISKY (it merges after an authorised approval and green checks), and the reverted plan is not proposed again.
 * When later changes overlap the fix's lines nothing is guessed: fixgate says which file and stops.
 */
@ChatCommand(name = "revert", usage = "revert", permission = Permission.WRITE,
        where = {ChatCommand.Where.MERGED_PULL_REQUEST},
        summary = "Open a pull request that undoes this merged fix, with its rollback plan (gated as RISKY).")
public final class RevertCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        Invocation.Target.PullRequest t = (Invocation.Target.PullRequest) inv.target();
        ChatOpsServices s = inv.services();
        Optional<FixProposal> original = t.proposal();
        if (original.isEmpty() || t.remediation().isEmpty()) {
            return Result.refused("fixgate has no record of the fix merged in #" + t.number() + ".");
        }
        String mergeSha = t.remediation().get().mergedSha().orElse(t.pr().getMergeCommitSha());
        if (mergeSha == null || mergeSha.isBlank()) {
            return Result.refused("#" + t.number() + " has no merge commit to revert.");
        }
        GHRepository repo = inv.repo();
        GHCommit merge = repo.getCommit(mergeSha);
        if (merge.getParentSHA1s().isEmpty()) {
            return Result.refused("The merge commit `" + Words.sha(mergeSha) + "` has no parent to go back to.");
        }
        String before = merge.getParentSHA1s().getFirst();
        String branch = repo.getDefaultBranch();
        String head = repo.getBranch(branch).getSHA1();
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder diff = new StringBuilder();
        for (GHCommit.File f : merge.listFiles()) {
            String path = f.getFileName();
            if (!"modified".equals(f.getStatus())) {
                return Result.refused("The fix " + f.getStatus() + " `" + Words.code(path) + "`; fixgate only reverts changes"
                        + " to existing files. Revert #" + t.number() + " by hand.");
            }
            Optional<String> base = text(repo, path, mergeSha);
            Optional<String> ours = text(repo, path, head);
            Optional<String> theirs = text(repo, path, before);
            if (base.isEmpty() || theirs.isEmpty()) {
                return Result.refused("`" + Words.code(path) + "` cannot be read at the merge commit or before it.");
            }
            if (ours.isEmpty()) {
                return Result.refused("`" + Words.code(path) + "` no longer exists on `" + branch + "`; nothing to revert"
                        + " there.");
            }
            Optional<String> merged = TextMerge.merge(base.get(), ours.get(), theirs.get());
            if (merged.isEmpty()) {
                return Result.refused("Later changes to `" + Words.code(path) + "` overlap the fix's lines; fixgate does not"
                        + " guess. Revert #" + t.number() + " by hand.");
            }
            if (!merged.get().equals(ours.get())) {
                files.put(path, merged.get());
                diff.append(UnifiedDiff.of(path, ours.get(), merged.get()).text());
            }
        }
        if (files.isEmpty()) {
            return Result.refused("The fix of #" + t.number() + " is no longer on `" + branch + "`: nothing to revert.");
        }
        FixProposal o = original.get();
        Rci rci = new Rci(RciLevel.RISKY, 1.0, List.of(new RciReason("revert", "revert.requested", "@" + inv.sender()
                + " asked to revert #" + t.number() + "; a revert is never merged without an authorised approval",
                RciLevel.RISKY)));
        List<String> approvers = new ArrayList<>(inv.config().reviewers().users());
        inv.config().reviewers().teams().forEach(team -> approvers.add("@" + team));
        GateDecision gate = new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("a revert undoes a merged fix:"
                + " it is gated as RISKY"), inv.config().reviewers().requiredApprovals(), approvers);
        FixProposal revert = FixProposal.revert(o, inv.installationId(), files, diff.toString(), rci,
                FixProposal.LayerDecision.of(gate), t.number(), mergeSha);
        s.store().hold(repo.getFullName(), t.remediation().get().initiative(), ChatOpsStore.HoldKind.REJECT,
                o.planHash(), "reverted by @" + inv.sender() + " (#" + t.number() + ")", inv.sender(), s.clock().instant(),
                Optional.empty());
        long job = DeliveryJobHandler.enqueue(s.queue(), revert, s.clock().instant());
        return Result.done("Opening a pull request that reverts #" + t.number() + " (job " + job + "): " + files.size()
                + " file(s), gated as RISKY — it merges after an authorised approval. Rollback plan: "
                + Words.clean(o.rollback()));
    }

    private static Optional<String> text(GHRepository repo, String path, String ref) throws IOException {
        try {
            return Optional.of(new String(repo.getFileContent(path, ref).read().readAllBytes(), StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }
}
