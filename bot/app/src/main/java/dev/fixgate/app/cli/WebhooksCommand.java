package dev.fixgate.app.cli;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.store.WebhookDeliveries.Delivery;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fixgate webhooks}: the webhook deliveries fixgate has received. */
@Command(name = "webhooks", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "Inspect received GitHub webhook deliveries.",
        subcommands = {WebhooksCommand.Deliveries.class})
final class WebhooksCommand extends DatabaseCommand {

    @Command(name = "deliveries", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = "List received deliveries, newest first: event, action, repository, status.")
    static final class Deliveries extends DatabaseSubcommand {

        @Option(names = "--limit", defaultValue = "50", description = "How many deliveries (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        @Override
        int run(AppContext ctx) {
            requireLimit(limit, 10_000);
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
