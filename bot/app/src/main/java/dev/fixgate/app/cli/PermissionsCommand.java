package dev.fixgate.app.cli;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceProvider;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fixgate permissions aws|azure|gcp}: the least-privilege role fixgate's evidence collectors need on a cloud,
 * generated from what each collector declares it reads — an IAM policy (AWS), a custom role definition (Azure), a
 * custom role (GCP). Nothing in it writes.
 */
@Command(name = "permissions", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Print the least-privilege, read-only role fixgate needs to collect evidence on a cloud:",
                "aws: an IAM policy (JSON); azure: a custom role definition (JSON); gcp: a custom role (YAML).",
                "Generated from the read actions every evidence collector declares."})
final class PermissionsCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Parameters(index = "0", paramLabel = "CLOUD", description = "aws, azure or gcp.")
    String cloud;

    @Option(names = "--explain", description = "List each read action with the collector that needs it and why, "
            + "instead of the policy.")
    boolean explain;

    @Option(names = "--json", description = "With --explain: print JSON.")
    boolean json;

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        Cloud c;
        try {
            c = Cloud.valueOf(cloud.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            c = Cloud.UNKNOWN;
        }
        if (c == Cloud.UNKNOWN) {
            ctx.err().println("fixgate permissions: unknown cloud '" + cloud + "' (expected aws, azure or gcp)");
            return ExitCodes.USAGE;
        }
        EvidenceProvider provider = Wiring.evidenceProviders().get(c);
        if (provider == null) {
            ctx.err().println("fixgate permissions: this build has no " + c.id() + " evidence provider");
            return ExitCodes.FAILURE;
        }
        List<EvidenceCollector> collectors = provider.collectors(ProviderSettings.defaults(ctx.clock()));
        if (!explain) {
            ctx.out().println(provider.permissions(collectors).strip());
            return ExitCodes.OK;
        }
        Map<String, List<Map<String, String>>> byAction = new java.util.TreeMap<>();
        for (EvidenceCollector col : collectors) {
            for (ReadAction r : col.reads()) {
                Map<String, String> use = new LinkedHashMap<>();
                use.put("collector", col.id());
                use.put("operation", r.operation());
                use.put("why", r.why());
                byAction.computeIfAbsent(r.action(), k -> new java.util.ArrayList<>()).add(use);
            }
        }
        // the pull sources (intake.pull) run under the same identity; their reads are in the role too
        var sources = Wiring.findingSourceProviders().get(c);
        if (sources != null) {
            for (var source : sources.sources(ProviderSettings.defaults(ctx.clock()))) {
                for (ReadAction r : source.reads()) {
                    Map<String, String> use = new LinkedHashMap<>();
                    use.put("collector", "pull " + source.id());
                    use.put("operation", r.operation());
                    use.put("why", r.why());
                    byAction.computeIfAbsent(r.action(), k -> new java.util.ArrayList<>()).add(use);
                }
            }
        }
        if (json) {
            ctx.out().println(Json.pretty(byAction));
            return ExitCodes.OK;
        }
        byAction.forEach((action, uses) -> {
            ctx.out().println(action);
            uses.forEach(u -> ctx.out().println("    " + u.get("collector") + ": " + u.get("operation") + " — "
                    + u.get("why")));
        });
        return ExitCodes.OK;
    }
}
