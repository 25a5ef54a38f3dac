package dev.fixgate.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code fixgate playbooks}: List and validate the remediation playbooks. */
@Command(name = "playbooks", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "List and validate the remediation playbooks.")
final class PlaybooksCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotAvailable.stage("playbooks", "playbook catalog");
    }
}
