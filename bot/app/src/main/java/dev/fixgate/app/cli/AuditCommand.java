package dev.fixgate.app.cli;

import dev.fixgate.app.audit.AuditAnchors;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.spi.error.FixgateException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fixgate audit}: read, verify and anchor the append-only audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "Read, verify and anchor the append-only audit log.",
        subcommands = {AuditCommand.Log.class, AuditCommand.Verify.class, AuditCommand.Anchor.class})
final class AuditCommand extends DatabaseCommand {

    @Command(name = "log", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = "Print the newest audit entries, newest first.")
    static final class Log extends DatabaseSubcommand {

        @Option(names = "--subject", paramLabel = "SUBJECT",
                description = "Only entries about this subject, e.g. initiative:<id> or owner/repo#12.")
        String subject;

        @Option(names = "--limit", defaultValue = "50", description = "How many entries (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        @Override
        int run(AppContext ctx) {
            requireLimit(limit, 100_000);
            List<AuditLog.Entry> entries = new AuditLog(ctx.database()).recent(Optional.ofNullable(subject), limit);
            PrintStream out = ctx.out();
            for (AuditLog.Entry e : entries) {
                out.println(json ? Json.write(e)
                        : String.format("%6d  %s  %-22s  %-14s  %s", e.seq(), e.at(), e.type(), e.actor(), e.subject()));
            }
            if (!json && entries.isEmpty()) {
                out.println("(the audit log is empty)");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = {"Check the hash chain from the first entry to the head.",
                    "With --against, also that the entry an anchor recorded (fixgate audit anchor) is still in the log",
                    "unchanged, and that the anchor's signature is good: a rewrite of the log and its head made after",
                    "the anchor fails here. Without it, prints the head hash: keep it elsewhere to anchor the log."})
    static final class Verify extends DatabaseSubcommand {

        @Option(names = "--against", paramLabel = "ANCHOR", description = "An anchor in the configured anchor repository:"
                + " latest, or a commit id.")
        String against;

        @Override
        int run(AppContext ctx) {
            if (against != null) {
                AuditAnchors anchors = Wiring.auditAnchors(ctx.config().auditAnchor(), ctx.database(), ctx.clock());
                AuditAnchors.Check check = anchors.verifyAgainst(against);
                AuditAnchors.Stored a = check.stored();
                PrintStream out = ctx.out();
                out.println("anchor " + a.commit() + " in " + anchors.location() + ": entry " + a.anchor().seq() + ", hash "
                        + a.anchor().hash() + ", anchored " + a.anchor().anchoredAt());
                out.println("anchor signature: " + switch (a.signature()) {
                    case GOOD -> "good (the configured key)";
                    case BAD -> "BAD: not by the configured key, or not over this anchor";
                    case UNSIGNED -> "MISSING: the anchor is not signed but a key is configured";
                    case NOT_CHECKED -> "not checked (no signing or public key configured)";
                });
                AuditLog.Verification v = check.verification();
                if (v.intact()) {
                    out.println("audit log intact and consistent with the anchor: " + v.entries() + " entries, head "
                            + v.headHash());
                } else {
                    out.println("audit log BROKEN after " + v.entries() + " good entries: " + v.problem().orElseThrow());
                }
                return check.proven() ? ExitCodes.OK : ExitCodes.FINDINGS;
            }
            AuditLog.Verification v = new AuditLog(ctx.database()).verify();
            if (v.intact()) {
                ctx.out().println("audit log intact: " + v.entries() + " entries, head " + v.headHash());
                return ExitCodes.OK;
            }
            ctx.out().println("audit log BROKEN after " + v.entries() + " good entries: " + v.problem().orElseThrow());
            return ExitCodes.FINDINGS;
        }
    }

    @Command(name = "anchor", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = {"Write the audit log's head (entry, hash, time) as a signed commit to the anchor repository",
                    "(audit.anchor in fixgate.yml), outside the database; fixgate serve does it on a schedule.",
                    "Nothing is written when the head is the one anchored last. A broken log is not anchored (exit 1).",
                    "--list prints the anchors instead, newest first."})
    static final class Anchor extends DatabaseSubcommand {

        @Option(names = "--list", description = "List the anchors, newest first.")
        boolean list;

        @Option(names = "--limit", defaultValue = "20", description = "How many anchors --list prints (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(AppContext ctx) {
            AuditAnchors anchors = Wiring.auditAnchors(ctx.config().auditAnchor(), ctx.database(), ctx.clock());
            if (list) {
                for (AuditAnchors.Stored a : anchors.list(Math.max(1, limit))) {
                    ctx.out().printf("%s  entry %-8d %s  %s  signature %s%n", a.commit().substring(0, 12), a.anchor().seq(),
                            a.anchor().hash(), a.anchor().anchoredAt(), a.signature().name().toLowerCase(java.util.Locale.ROOT));
                }
                return ExitCodes.OK;
            }
            try {
                AuditAnchors.Outcome outcome = anchors.anchor();
                AuditAnchors.Stored a = outcome.stored();
                ctx.out().println((outcome instanceof AuditAnchors.Outcome.Anchored ? "anchored" : "already anchored")
                        + ": entry " + a.anchor().seq() + ", hash " + a.anchor().hash() + " — commit " + a.commit()
                        + " in " + anchors.location() + (a.signature() == AuditAnchors.SignatureStatus.GOOD ? ", signed"
                        : ", NOT signed (no audit.anchor.signing_key_file)"));
                return ExitCodes.OK;
            } catch (FixgateException e) {
                if (e.code().equals("audit.broken")) {
                    ctx.out().println(e.getMessage());
                    return ExitCodes.FINDINGS;
                }
                throw e;
            }
        }
    }
}
