package dev.fixgate.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code fixgate assess}: Score an initiative's fix: Remediation Confidence Indicator and blast radius, with reasons. */
@Command(name = "assess", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "Score an initiative's fix: Remediation Confidence Indicator and blast radius, with reasons.")
final class AssessCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotAvailable.stage("assess", "enrich and assess stages");
    }
}
