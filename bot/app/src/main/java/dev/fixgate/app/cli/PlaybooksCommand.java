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
        subcommands = {PlaybooksCommand.ListCommand.class, PlaybooksCommand.ShowCommand.class})
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

        static Map<String, Object> entry(Playbook p) {
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

    /** {@code fixgate playbooks show ID [--json] [--fixture CASE]}: one playbook, everything a reviewer or a repository needs. */
    @Command(name = "show", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = {"Show one playbook: its declared parameters (type, default, example, description) and how a",
                    "repository sets them, its fix operations per format, its risk rules and rollback, its fixtures."})
    static final class ShowCommand implements Callable<Integer> {

        @ParentCommand
        PlaybooksCommand parent;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "ID", description = "The playbook id (see 'playbooks list').")
        String id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Option(names = "--fixture", paramLabel = "CASE", description = "Also print one fixture case's files, e.g. terraform/fail_missing.")
        String fixture;

        @Override
        public Integer call() {
            AppContext ctx = parent.root.context();
            Playbook p = PlaybookCatalog.builtIn().all().stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> new dev.fixgate.spi.error.FixgateException("cli.unknown-playbook",
                            "no playbook '" + id + "'; 'fixgate playbooks list' shows them"));
            Map<String, String> fixtures = PlaybookCatalog.builtInFixtures(p);
            if (json) {
                Map<String, Object> m = ListCommand.entry(p);
                m.put("params", p.declaredParams().stream().map(d -> {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("name", d.name());
                    x.put("type", d.type());
                    x.put("description", d.description());
                    x.put("default", d.defaultValue());
                    x.put("example", d.example());
                    return x;
                }).toList());
                Map<String, Object> fix = new LinkedHashMap<>();
                p.fix().forEach((format, steps) -> fix.put(format, steps.stream()
                        .map(st -> Map.of("op", st.op(), "params", st.params())).toList()));
                m.put("fix", fix);
                m.put("riskRules", p.risk().evidence().stream().map(r -> Map.of("kind", r.kind(), "when", r.when(),
                        "level", r.level().name(), "reason", r.reason())).toList());
                m.put("rollback", Map.of("how", p.rollback().how(), "forcesReplacement", p.rollback().forcesReplacement(),
                        "dataLoss", p.rollback().dataLoss()));
                m.put("fixtures", cases(fixtures));
                ctx.out().println(Json.pretty(m));
                return ExitCodes.OK;
            }
            var out = ctx.out();
            out.printf("%s — %s%n", p.id(), p.title());
            out.printf("cloud %s, severity %s, formats %s%n", p.cloud().name().toLowerCase(Locale.ROOT),
                    p.severity().name().toLowerCase(Locale.ROOT), String.join(", ", p.formats()));
            p.resourceTypes().forEach((f, types) -> out.printf("  %s resources: %s%n", f, String.join(", ", types)));
            out.printf("controls: %s%n", String.join(", ", p.controls().stream().map(ControlId::value).toList()));
            p.toolIds().forEach((tool, ids) -> out.printf("  %s: %s%n", tool, String.join(", ", ids)));
            out.println();
            out.println("Parameters" + (p.declaredParams().isEmpty() ? ": none" : ":"));
            for (Playbook.Param d : p.declaredParams()) {
                out.printf("  %s (%s)%n      default: %s%n      example: %s%n      %s%n", d.name(), d.type(),
                        Json.write(d.defaultValue()), Json.write(d.example()),
                        d.description().isBlank() ? "(undescribed)" : d.description());
            }
            if (!p.declaredParams().isEmpty()) {
                out.println("  set in .github/fixgate.yml:");
                out.println("    playbooks:");
                out.println("      " + p.id() + ":");
                out.println("        params:");
                p.declaredParams().forEach(d -> out.println("          " + d.name() + ": " + Json.write(d.example())));
            }
            out.println();
            out.println("Fix:");
            p.fix().forEach((format, steps) -> {
                out.println("  " + format + ":");
                steps.forEach(st -> out.println("    - " + st.op() + " " + Json.write(st.params())));
            });
            out.println();
            out.printf("Risk: %s by default; actions %s; safe for production: %s%n", p.risk().defaultLevel(),
                    String.join(", ", p.risk().actions()), p.risk().safeForProduction() ? "yes" : "no");
            p.risk().evidence().forEach(r -> out.printf("  %s when %s → %s: %s%n", r.kind(), r.when(), r.level(), r.reason()));
            out.printf("Rollback: %s%n  forces replacement: %s, data loss: %s%n", p.rollback().how().strip(),
                    p.rollback().forcesReplacement() ? "yes" : "no", p.rollback().dataLoss() ? "yes" : "no");
            out.println();
            out.println("Fixtures" + (fixtures.isEmpty() ? ": none shipped" : ":"));
            cases(fixtures).forEach((c, files) -> out.println("  " + c + "  " + String.join(", ", files)));
            if (fixture != null) {
                String prefix = fixture.endsWith("/") ? fixture : fixture + "/";
                boolean any = false;
                for (var e : fixtures.entrySet()) {
                    if (e.getKey().startsWith(prefix)) {
                        any = true;
                        out.println();
                        out.println("--- " + e.getKey());
                        out.print(e.getValue());
                    }
                }
                if (!any) {
                    throw new dev.fixgate.spi.error.FixgateException("cli.unknown-fixture", "no fixture case '" + fixture
                            + "' in " + p.id() + "; the cases are listed above");
                }
            }
            return ExitCodes.OK;
        }

        /** {@code terraform/fail_x} → its file names. */
        private static Map<String, List<String>> cases(Map<String, String> fixtures) {
            Map<String, List<String>> out = new TreeMap<>();
            fixtures.keySet().forEach(path -> {
                int slash = path.lastIndexOf('/');
                if (slash > 0) {
                    out.computeIfAbsent(path.substring(0, slash), k -> new java.util.ArrayList<>()).add(path.substring(slash + 1));
                }
            });
            return out;
        }
    }
}
