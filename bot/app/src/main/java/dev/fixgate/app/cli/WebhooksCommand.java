package dev.fixgate.app.cli;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.store.WebhookDeliveries.Delivery;
import dev.fixgate.spi.error.FixgateException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code fixgate webhooks}: the webhook deliveries fixgate has received. */
@Command(name = "webhooks", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "Inspect received GitHub webhook deliveries.",
        subcommands = {WebhooksCommand.Deliveries.class})
final class WebhooksCommand implements Runnable {

    @ParentCommand
    FixgateCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.context().out());
    }

    @Command(name = "deliveries", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = "List received deliveries, newest first: event, action, repository, status.")
    static final class Deliveries implements Callable<Integer> {

        @ParentCommand
        WebhooksCommand webhooks;

        @Option(names = "--limit", defaultValue = "50", description = "How many deliveries (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        @Override
        public Integer call() {
            AppContext ctx = webhooks.root.context();
            if (limit < 1 || limit > 10_000) {
                throw new FixgateException("cli.bad-option", "--limit must be between 1 and 10000");
            }
            List<Delivery> list = new WebhookDeliveries(ctx.database()).recent(limit);
            PrintStream out = ctx.out();
            for (Delivery d : list) {
                out.println(json ? Json.write(d) : String.format("%s  %-36s  %-22s  %-9s  %-30s  %s", d.receivedAt(),
                        d.deliveryId(), d.event() + (d.action().isEmpty() ? "" : "." + d.action()), d.status(),
                        d.repository(), d.error()));
            }
            if (!json && list.isEmpty()) {
                out.println("(no deliveries)");
            }
            return ExitCodes.OK;
        }
    }
}
