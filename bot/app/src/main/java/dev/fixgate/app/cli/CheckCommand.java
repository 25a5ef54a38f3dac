package dev.fixgate.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code fixgate check}: CI check that fails when a fixed misconfiguration is reintroduced (for the GitHub Action). */
@Command(name = "check", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "CI check that fails when a fixed misconfiguration is reintroduced (for the GitHub Action).")
final class CheckCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotAvailable.stage("check", "prevent stage");
    }
}
