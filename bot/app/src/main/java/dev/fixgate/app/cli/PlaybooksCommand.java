package dev.fixgate.app.cli;

import dev.fixgate.app.json.Json;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.finding.ControlId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fixgate playbooks}: the remediation catalog. */
@Command(name = "playbooks", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "List and validate the remediation playbooks.",
        subcommands = {PlaybooksCommand.ListCommand.class})
final class PlaybooksCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Override
    public Integer call() {
        return new ListCommand().print(root.context(), false);
    }

    /** {@code fixgate playbooks list [--json]}. */
    @Command(name = "list", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = {"List the playbooks: id, cloud, IaC formats, canonical controls, tool ids, default risk.",
                    "Loading the catalog validates it (schema, detect conditions, fix operations)."})
    static final class ListCommand implements Callable<Integer> {

        @ParentCommand
        PlaybooksCommand parent;

        @Option(names = "--json", description = "Print a JSON list.")
        boolean json;

        @Override
        public Integer call() {
            return print(parent.root.context(), json);
        }

        int print(AppContext ctx, boolean asJson) {
            List<Playbook> all = List.copyOf(PlaybookCatalog.builtIn().all());
            if (asJson) {
                ctx.out().println(Json.pretty(all.stream().map(ListCommand::entry).toList()));
                return ExitCodes.OK;
            }
            ctx.out().printf("%-36s %-6s %-26s %-7s %s%n", "ID", "CLOUD", "FORMATS", "RISK", "CONTROLS / TOOL IDS");
            for (Playbook p : all) {
                int ids = p.toolIds().values().stream().mapToInt(List::size).sum();
                ctx.out().printf("%-36s %-6s %-26s %-7s %s (%d tool ids)%s%n", p.id(), p.cloud().name().toLowerCase(Locale.ROOT),
                        String.join(",", p.formats()), p.risk().defaultLevel(),
                        String.join(",", p.controls().stream().map(ControlId::value).toList()), ids,
                        p.variantOf().map(v -> " — variant of " + v).orElse(""));
            }
            ctx.out().println(all.size() + " playbooks");
            return ExitCodes.OK;
        }

        private static Map<String, Object> entry(Playbook p) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("title", p.title());
            m.put("cloud", p.cloud().name().toLowerCase(Locale.ROOT));
            m.put("formats", p.formats());
            m.put("controls", p.controls().stream().map(ControlId::value).toList());
            // the five scanners every entry names (empty when none), plus any other tool the playbook lists
            Map<String, List<String>> tools = new TreeMap<>();
            for (String t : List.of("securityhub", "prowler", "checkov", "kics", "trivy")) {
                tools.put(t, List.of());
            }
            tools.putAll(p.toolIds());
            m.put("toolIds", tools);
            m.put("risk", p.risk().defaultLevel().name());
            m.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
            p.variantOf().ifPresent(v -> m.put("variantOf", v));
            return m;
        }
    }
}
