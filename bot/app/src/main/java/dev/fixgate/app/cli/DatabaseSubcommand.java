package dev.fixgate.app.cli;

import dev.fixgate.spi.error.FixgateException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/**
 * A subcommand of a {@link DatabaseCommand}: it runs with the shared {@link AppContext}, whose
 * {@link AppContext#database()} opens the configured database.
 */
abstract class DatabaseSubcommand implements Callable<Integer> {

    @ParentCommand
    DatabaseCommand group;

    @Override
    public final Integer call() {
        return run(group.root.context());
    }

    /** The command; returns the exit code ({@link ExitCodes}). */
    abstract int run(AppContext ctx);

    /** A {@code --limit} outside 1 to {@code max} is a bad option. */
    static void requireLimit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new FixgateException("cli.bad-option", "--limit must be between 1 and " + max);
        }
    }
}
