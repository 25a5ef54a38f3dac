package dev.fixgate.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code fixgate plan}: Compute the remediation plan (diff, rollback, guardrail) for an initiative, without pushing anything. */
@Command(name = "plan", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "Compute the remediation plan (diff, rollback, guardrail) for an initiative, without pushing anything.")
final class PlanCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotAvailable.stage("plan", "plan stage (playbooks applied in memory to produce a diff)");
    }
}
