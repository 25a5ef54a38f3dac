package dev.fixgate.app.cli;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.json.Json;
import dev.fixgate.spi.error.FixgateException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code fixgate audit}: read and verify the append-only audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "Read and verify the append-only audit log.",
        subcommands = {AuditCommand.Log.class, AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

    @ParentCommand
    FixgateCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.context().out());
    }

    @Command(name = "log", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = "Print the newest audit entries, newest first.")
    static final class Log implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Option(names = "--subject", paramLabel = "SUBJECT",
                description = "Only entries about this subject, e.g. initiative:<id> or owner/repo#12.")
        String subject;

        @Option(names = "--limit", defaultValue = "50", description = "How many entries (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        @Override
        public Integer call() {
            AppContext ctx = audit.root.context();
            if (limit < 1 || limit > 100_000) {
                throw new FixgateException("cli.bad-option", "--limit must be between 1 and 100000");
            }
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
                    "Prints the head hash: keep it elsewhere to anchor the log."})
    static final class Verify implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Override
        public Integer call() {
            AppContext ctx = audit.root.context();
            AuditLog.Verification v = new AuditLog(ctx.database()).verify();
            if (v.intact()) {
                ctx.out().println("audit log intact: " + v.entries() + " entries, head " + v.headHash());
                return ExitCodes.OK;
            }
            ctx.out().println("audit log BROKEN after " + v.entries() + " good entries: " + v.problem().orElseThrow());
            return ExitCodes.FINDINGS;
        }
    }
}
