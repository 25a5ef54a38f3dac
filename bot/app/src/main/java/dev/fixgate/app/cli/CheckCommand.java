package dev.fixgate.app.cli;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.prevent.Checker;
import dev.fixgate.app.prevent.RepoHistory;
import dev.fixgate.app.prevent.Sarif;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.FixgateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fixgate check}: CI check that fails when a misconfiguration is in the code (for the GitHub Action). */
@Command(name = "check", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Evaluate every playbook's detect condition over a repository's Terraform and CloudFormation.",
                "Exit 1 when a resource is non-compliant or a file cannot be read; SARIF 2.1.0 for GitHub code scanning."})
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository checkout to check.")
    Path repo;

    @Option(names = "--json", description = "Print results as JSON.")
    boolean json;

    @Option(names = "--sarif", paramLabel = "FILE", description = "Also write SARIF 2.1.0 to FILE.")
    Path sarif;

    @Option(names = "--changed-since", paramLabel = "REF", description = {"Report only resources in files HEAD changes"
            + " against its merge base with REF (git), e.g. origin/main in a pull request."})
    String changedSince;

    @Option(names = "--fail-on", paramLabel = "WHAT", defaultValue = "all", description = {"all (default): any"
            + " non-compliant resource fails the check; fixed: only a control fixgate has already fixed in this"
            + " repository (a Fixgate-Control trailer in the history of --fixed-in, not reverted since) fails it,"
            + " the others are reported as warnings."})
    String failOn;

    @Option(names = "--fixed-in", paramLabel = "REF", defaultValue = "HEAD",
            description = "Whose history says what fixgate fixed (with --fail-on fixed). Default: HEAD.")
    String fixedIn;

    @Option(names = "--annotations", paramLabel = "FORMAT",
            description = "github: also print GitHub Actions workflow commands that annotate each result's line.")
    String annotations;

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        Path dir = ctx.workingDir().resolve(repo);
        if (!failOn.equals("all") && !failOn.equals("fixed")) {
            throw new FixgateException("cli.bad-option", "--fail-on must be all or fixed, is '" + failOn + "'");
        }
        if (annotations != null && !annotations.equals("github")) {
            throw new FixgateException("cli.bad-option", "--annotations takes github, is '" + annotations + "'");
        }
        RepoScan scan = RepoScan.of(dir);
        List<String> configProblems = new java.util.ArrayList<>();
        // detect sees the repository's playbook params (playbooks.<id>.params), as plan does
        var config = PlanCommand.repoConfig(dir.toAbsolutePath().normalize(), configProblems);
        configProblems.forEach(p -> ctx.err().println("fixgate: " + p));
        Checker.Report report = new Checker(PlaybookCatalog.builtIn(), new Detector()).check(scan, config.playbookParams());
        if (changedSince != null) {
            report = report.onlyFiles(RepoHistory.changedSince(dir, changedSince));
        }
        java.util.function.Predicate<Checker.Result> blocking = r -> true;
        if (failOn.equals("fixed")) {
            java.util.Set<String> fixed = RepoHistory.fixedControls(dir, fixedIn);
            blocking = r -> r.playbook().controls().stream().anyMatch(c -> fixed.contains(c.value()));
        }
        if (sarif != null) {
            try {
                Files.writeString(ctx.workingDir().resolve(sarif), Json.prettyInOrder(Sarif.of(report, Versions.current())),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new FixgateException("cli.cannot-write", sarif + ": " + e.getMessage());
            }
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("results", report.results().stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("playbook", r.playbook().id());
                m.put("file", r.file());
                m.put("line", r.line());
                m.put("resource", r.resource());
                m.put("status", r.status().name().toLowerCase());
                return m;
            }).toList());
            out.put("errors", report.errors().stream().map(Checker.Problem::toString).toList());
            ctx.out().println(Json.pretty(out));
        } else {
            List<Checker.Result> failures = report.failures();
            if (annotations != null) {
                for (Checker.Result r : failures) {
                    ctx.out().println(GitHubAnnotations.of(blocking.test(r) ? "error" : "warning", r));
                }
                report.errors().forEach(e -> ctx.out().println(GitHubAnnotations.of(e)));
            }
            for (Checker.Result r : failures) {
                ctx.out().printf("FAIL  %s:%d  %s  %s — %s%n", r.file(), r.line(), r.resource(), r.playbook().id(),
                        r.playbook().title());
            }
            report.errors().forEach(e -> ctx.out().println("ERROR " + e));
            ctx.out().printf("%d resources checked against %d playbooks: %d passed, %d failed, %d errors%n",
                    scan.resources().size(), report.results().stream().map(r -> r.playbook().id()).distinct().count(),
                    report.results().size() - failures.size(), failures.size(), report.errors().size());
        }
        boolean blocked = report.failures().stream().anyMatch(blocking);
        if (failOn.equals("fixed") && !json) {
            long warnings = report.failures().stream().filter(blocking.negate()).count();
            ctx.out().printf("--fail-on fixed: %d failures reintroduce a control fixgate fixed here, %d are warnings%n",
                    report.failures().size() - warnings, warnings);
        }
        return !blocked && report.errors().isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
}
