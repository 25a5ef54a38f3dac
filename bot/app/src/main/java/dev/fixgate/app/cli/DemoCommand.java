package dev.fixgate.app.cli;

import dev.fixgate.app.Pipeline;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code fixgate demo}: fixgate's main job on bundled data, locally. */
@Command(name = "demo", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "Run fixgate on bundled sample findings and show what it does at each stage.")
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        ctx.database();
        ctx.out().println("fixgate " + Versions.current() + " — state in " + ctx.home().dir());
        ctx.out().println("Pipeline:");
        for (Pipeline.Stage stage : Pipeline.stages()) {
            ctx.out().printf("  %-8s %s%n", stage.name().toLowerCase(Locale.ROOT), stage.purpose());
        }
        return ExitCodes.OK;
    }
}
