package dev.fixgate.app.cli;

import dev.fixgate.spi.error.FixgateException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code fixgate demo} where the demo module is not on the class path (the production jar alone): says where the
 * demo is instead of "unknown command".
 */
@Command(name = DemoNotIncluded.NAME, mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Run the whole loop locally (local GitHub, bundled repository and findings → pull requests, CI,",
                "merges). Not in the production jar: run ./fixgate demo from a source checkout, or add",
                "bot/demo/target/fixgate-demo.jar and bot/demo/target/lib/* to the class path."})
final class DemoNotIncluded implements Callable<Integer> {

    static final String NAME = "demo";

    @Unmatched
    List<String> ignored;

    @Override
    public Integer call() {
        throw new FixgateException("cli.not-available", "'fixgate demo' is not part of this jar: it lives in the "
                + "bot/demo module (with the local GitHub it runs). From a source checkout run ./fixgate demo, or put "
                + "bot/demo/target/fixgate-demo.jar and bot/demo/target/lib/* on the class path");
    }
}
