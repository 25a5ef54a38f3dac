package dev.fixgate.app.chatops;

import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.spi.assess.RciReason;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code explain}: why fixgate did what it did with this fix, as a reply — the RCI and the sentences behind it, the
 * blast radius, the evidence, every gate engine's verdict and the recorded decisions.
 */
@ChatCommand(name = "explain", usage = "explain", permission = Permission.READ,
        where = {ChatCommand.Where.OPEN_PULL_REQUEST, ChatCommand.Where.MERGED_PULL_REQUEST, ChatCommand.Where.ISSUE},
        summary = "Explain the fix's risk rating, blast radius, evidence and gate decision.")
public final class ExplainCommand implements CommandRunner {

    @Override
    public Result run(Invocation inv) throws IOException {
        Optional<FixProposal> p = inv.target().proposal();
        if (p.isEmpty()) {
            return Result.refused("fixgate has no record of the fix behind #" + inv.target().number() + ".");
        }
        return Result.done(explain(p.get()));
    }

    static String explain(FixProposal p) {
        StringBuilder b = new StringBuilder();
        b.append("**Risk of change: ").append(p.rci().level()).append(String.format(Locale.ROOT, "** (confidence %.2f)",
                p.rci().confidence())).append("\n\n");
        for (RciReason r : p.rci().reasons()) {
            b.append("- ").append(r.level()).append(" `").append(Words.code(r.code())).append("`: ")
                    .append(Words.clean(r.message())).append('\n');
        }
        b.append("\n**Blast radius** (").append(Words.clean(p.blastRadius().scope())).append(")\n\n");
        p.blastRadius().affected().forEach(a -> b.append("- `").append(Words.code(a)).append("`\n"));
        p.blastRadius().notes().forEach(n -> b.append("- ").append(Words.clean(n)).append('\n'));
        b.append("\n**Evidence**\n\n");
        if (p.evidence().isEmpty()) {
            b.append("None was collected.\n");
        }
        p.evidence().forEach(e -> b.append("- ").append(Words.clean(e)).append('\n'));
        b.append("\n**Gate**\n\n");
        for (FixProposal.EngineVerdict v : p.verdicts()) {
            b.append("- ").append(v.layer().name().toLowerCase(Locale.ROOT)).append(" / ").append(Words.clean(v.engine()))
                    .append(": ").append(v.outcome());
            if (!v.policies().isEmpty()) {
                b.append(" (").append(String.join(", ", v.policies().stream().map(id -> "`" + Words.code(id) + "`")
                        .toList())).append(")");
            }
            if (!v.reasons().isEmpty()) {
                b.append(" — ").append(Words.clean(String.join("; ", v.reasons())));
            }
            b.append('\n');
        }
        if (p.verdicts().isEmpty()) {
            p.decisions().forEach(d -> b.append("- ").append(d.layer().name().toLowerCase(Locale.ROOT)).append(": ")
                    .append(d.outcome()).append(" — ").append(Words.clean(String.join("; ", d.reasons()))).append('\n'));
        }
        if (!p.decisionIds().isEmpty()) {
            b.append("\nRecorded as decision(s) ").append(String.join(", ", p.decisionIds().stream().map(id -> "#" + id)
                    .toList())).append(" (`gate_decisions`, with the full input for replay).\n");
        }
        return b.toString();
    }
}
