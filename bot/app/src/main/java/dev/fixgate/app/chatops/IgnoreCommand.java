package dev.fixgate.app.chatops;

import dev.fixgate.app.pipeline.RemediateJobHandler;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.RemediationStore;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code ignore [resource <address>] [--until DATE] --reason TEXT}: a risk acceptance. fixgate stops proposing fixes
 * for the whole initiative (this pull request or issue is closed) or for one of its resources (the fix is planned
 * again without it) until the date, or until the hold is lifted on the dashboard. The reason is required and kept.
 */
@ChatCommand(name = "ignore", usage = "ignore [resource <file:address>] [--until 2027-01-31] --reason \"why\"",
        permission = Permission.WRITE, flags = {"until", "reason"},
        where = {ChatCommand.Where.OPEN_PULL_REQUEST, ChatCommand.Where.ISSUE},
        summary = "Accept the risk: stop fixing this initiative (or one resource of it) until a date, with a reason.")
public final class IgnoreCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        ChatOpsServices s = inv.services();
        String slug = s.slug();
        Optional<String> reason = inv.command().flag("reason").map(String::strip).filter(r -> !r.isEmpty());
        if (reason.isEmpty()) {
            return Result.refused("An ignore needs a reason: `/" + slug + " ignore --reason \"…\"` (and optionally"
                    + " `--until 2027-01-31`).");
        }
        Instant now = s.clock().instant();
        Optional<Instant> until = Optional.empty();
        if (inv.command().flag("until").isPresent()) {
            try {
                until = Optional.of(Words.until(inv.command().flag("until").get(), now));
            } catch (IllegalArgumentException e) {
                return Result.refused(e.getMessage() + ".");
            }
        }
        List<String> args = inv.command().args();
        String target = "";
        if (!args.isEmpty()) {
            if (args.size() != 2 || !args.getFirst().equalsIgnoreCase("resource")) {
                return Result.refused("Usage: `/" + slug + " " + declaration().usage() + "`.");
            }
            target = args.get(1);
            String wanted = target;
            boolean ours = inv.target().proposal().map(p -> p.resources().stream().anyMatch(r -> r.equals(wanted)
                    || r.endsWith(":" + wanted))).orElse(false);
            if (!ours) {
                return Result.refused("`" + Words.code(target) + "` is not one of this fix's resources: "
                        + inv.target().proposal().map(p -> String.join(", ", p.resources())).orElse("none recorded") + ".");
            }
        }
        Optional<RemediationStore.Remediation> r = inv.target().remediation();
        if (r.isEmpty()) {
            return Result.refused("fixgate has no record of the fix behind #" + inv.target().number() + ".");
        }
        s.store().hold(inv.repo().getFullName(), r.get().initiative(), ChatOpsStore.HoldKind.IGNORE, target, reason.get(),
                inv.sender(), now, until);
        accept(s, inv, r.get(), target, reason.get(), now, until);
        String when = until.map(u -> " until " + u).orElse(" until the hold is lifted on the dashboard");
        if (target.isEmpty()) {
            s.remediations().setStatus(r.get().id(), RemediationStore.Status.ABANDONED, now);
            switch (inv.target()) {
                case Invocation.Target.PullRequest t -> t.pr().close();
                case Invocation.Target.Issue t -> t.issue().close();
                case Invocation.Target.Dashboard d -> { }
            }
            return Result.done("Ignored by @\u200b" + inv.sender() + when + ": " + Words.clean(reason.get()) + ". Closed;"
                    + " fixgate proposes nothing for initiative `" + r.get().initiative().value() + "`" + when + ".");
        }
        RemediateJobHandler.enqueue(s.queue(), s.initiatives(), r.get().initiative(), now);
        return Result.done("Ignored `" + Words.code(target) + "`" + when + ": " + Words.clean(reason.get())
                + ". The fix is planned again without it.");
    }
    /**
     * The risk acceptance the evidence report counts ({@code remediation_exceptions}, kind {@code ignore}): one per
     * finding the fix covers, with who accepted it, why and until when. Ignoring one resource accepts the findings on
     * that resource only.
     */
    private static void accept(ChatOpsServices s, Invocation inv, RemediationStore.Remediation r, String target,
                               String reason, Instant now, Optional<Instant> until) {
        Optional<dev.fixgate.app.deliver.FixProposal> proposal = inv.target().proposal();
        String control = proposal.map(dev.fixgate.app.deliver.FixProposal::control).orElse("");
        String resource = target.isEmpty()
                ? proposal.map(p -> String.join(", ", p.resources())).orElse("") : target;
        List<String> fingerprints = s.remediations().covered(r.id()).stream()
                .map(dev.fixgate.spi.finding.Fingerprint::value).toList();
        if (fingerprints.isEmpty()) {
            fingerprints = proposal.map(p -> p.findings().stream()
                    .map(dev.fixgate.app.deliver.FixProposal.FindingSummary::fingerprint).toList()).orElse(List.of());
        }
        for (String fp : fingerprints) {
            s.exceptions().record(new dev.fixgate.app.store.ExceptionStore.RiskAcceptance(0,
                    dev.fixgate.app.store.ExceptionStore.Kind.IGNORE, fp, r.initiative().value(), resource, control,
                    inv.repo().getFullName(), inv.sender(), reason, until, Optional.empty(), now));
        }
    }
}
