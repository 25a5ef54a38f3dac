package dev.fixgate.app.chatops;

import dev.fixgate.app.store.ChatOpsStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code snooze <duration>}: fixgate leaves the initiative alone for a while — it neither merges this pull request
 * nor opens or updates any for the initiative — and picks it up again afterwards. At most {@link Words#MAX_SNOOZE}:
 * longer is an {@code ignore} with a reason.
 */
@ChatCommand(name = "snooze", usage = "snooze <duration>   (3d, 12h, 2w, 1d12h)", permission = Permission.WRITE,
        where = {ChatCommand.Where.OPEN_PULL_REQUEST, ChatCommand.Where.ISSUE},
        summary = "Leave this initiative alone (no merge, no new pull request) for a while.")
public final class SnoozeCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        if (inv.command().args().size() != 1) {
            return Result.refused("Say for how long: `/" + inv.services().slug() + " snooze 3d` (m, h, d or w).");
        }
        Duration d;
        try {
            d = Words.duration(inv.command().args().getFirst());
        } catch (IllegalArgumentException e) {
            return Result.refused(e.getMessage() + ".");
        }
        if (d.compareTo(Words.MAX_SNOOZE) > 0) {
            return Result.refused("A snooze lasts at most " + Words.MAX_SNOOZE.toDays() + " days; for longer, `/"
                    + inv.services().slug() + " ignore --until DATE --reason \"…\"` records why.");
        }
        if (inv.target().remediation().isEmpty()) {
            return Result.refused("fixgate has no record of the fix behind #" + inv.target().number() + ".");
        }
        ChatOpsServices s = inv.services();
        Instant until = s.clock().instant().plus(d);
        s.store().hold(inv.repo().getFullName(), inv.target().remediation().get().initiative(), ChatOpsStore.HoldKind.SNOOZE,
                "", "snoozed for " + inv.command().args().getFirst(), inv.sender(), s.clock().instant(), Optional.of(until));
        return Result.done("Snoozed until " + until + ": fixgate will not merge this or open anything for initiative `"
                + inv.target().remediation().get().initiative().value() + "` until then.");
    }
}
