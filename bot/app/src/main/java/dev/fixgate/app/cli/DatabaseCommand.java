package dev.fixgate.app.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command group whose subcommands ({@link DatabaseSubcommand}) work on fixgate's database — {@code fixgate jobs},
 * {@code webhooks}, {@code audit}, {@code verify}. Given no subcommand it prints its usage.
 */
abstract class DatabaseCommand implements Runnable {

    @ParentCommand
    FixgateCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.context().out());
    }
}
