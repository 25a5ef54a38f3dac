package dev.fixgate.app.cli;

import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.locate.FindingLocator;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.prevent.Checker;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fixgate plan}: the fixes for a repository's findings, applied in memory, as a diff and a fixed copy. */
@Command(name = "plan", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Locate each finding's resource in the repository, apply its playbook's fix in memory and "
                + "re-check it; write a fixed copy of the repository plus fixgate.diff to --out.",
                "Without --findings, plans a fix for every failing 'fixgate check' result.",
                "Bad or unsupported items are reported; the rest are planned. Nothing is pushed and the repository "
                + "itself is never modified."})
final class PlanCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository checkout.")
    Path repo;

    @Option(names = "--findings", arity = "1..*", paramLabel = "FILE", description = "Tool output with findings (formats detected).")
    List<Path> findings = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Write the fixed copy and fixgate.diff here (must not exist or be empty).")
    Path out;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        Path dir = ctx.workingDir().resolve(repo).toAbsolutePath().normalize();
        Path outDir = out == null ? null : ctx.workingDir().resolve(out).toAbsolutePath().normalize();
        if (outDir != null) {
            checkOut(dir, outDir);
        }
        RepoScan scan = RepoScan.of(dir);
        PlaybookCatalog catalog = PlaybookCatalog.builtIn();
        List<Map<String, Object>> rejected = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        scan.problems().forEach(p -> errors.add(p.toString()));
        List<Planner.Request> requests = new ArrayList<>();
        if (findings.isEmpty()) {
            for (Checker.Result r : new Checker(catalog, new Detector()).check(scan, Map.of()).failures()) {
                requests.add(new Planner.Request(r.playbook(), r.target(), "check"));
            }
        } else {
            Set<String> seen = new LinkedHashSet<>();
            for (Path f : findings) {
                for (Finding finding : read(ctx.workingDir().resolve(f), f.toString(), errors)) {
                    String source = finding.sourceTool() + ":" + finding.sourceControlId() + ":" + finding.resource().key();
                    var playbook = catalog.select(finding);
                    if (playbook.isEmpty()) {
                        rejected.add(item("", finding.resource().key(), "", "cannot-patch", "plan.no-playbook",
                                "no playbook fixes " + finding.control() + " (" + finding.sourceTool() + " "
                                        + finding.sourceControlId() + ")", source));
                        continue;
                    }
                    switch (FindingLocator.locate(scan, finding, playbook.get())) {
                        case FindingLocator.Result.NotFound nf -> rejected.add(item(playbook.get().id(), finding.resource().key(),
                                "", "cannot-patch", nf.code(), nf.reason(), source));
                        case FindingLocator.Result.Found found -> {
                            // the same problem reported by two tools (or twice) is one fix
                            if (seen.add(playbook.get().id() + "|" + found.located().resource().file() + "|"
                                    + found.located().resource().address())) {
                                requests.add(new Planner.Request(playbook.get(), found.located(), source));
                            }
                        }
                    }
                }
            }
        }
        Planner.Result result = Planner.standard().plan(requests, Map.of());
        if (outDir != null) {
            write(dir, outDir, result);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Planner.Item i : result.items()) {
            Map<String, Object> m = item(i.request().playbook().id(), i.request().target().resource().address(),
                    i.request().target().resource().file(), i.status().json(), i.code(), i.reason(), i.request().source());
            m.put("summary", i.summary());
            m.put("diff", Map.of("added", i.added(), "removed", i.removed()));
            items.add(m);
        }
        items.addAll(rejected);
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("results", items);
            summary.put("changedFiles", result.changed().keySet().stream().sorted().toList());
            summary.put("errors", errors);
            if (outDir != null) {
                summary.put("out", outDir.toString());
            }
            ctx.out().println(Json.pretty(summary));
        } else {
            for (Map<String, Object> m : items) {
                ctx.out().printf("%-17s %-34s %s %s%s%n", m.get("status"), m.get("playbook"), m.get("file"), m.get("resource"),
                        m.get("reason").toString().isEmpty() ? "" : "  — " + m.get("reason"));
            }
            errors.forEach(e -> ctx.out().println("ERROR " + e));
            long patched = result.items().stream().filter(i -> i.status() == Planner.Status.PATCHED).count();
            ctx.out().printf("%d planned: %d patched, %d already compliant, %d cannot be patched; %d files changed%s%n",
                    items.size(), patched, result.items().stream().filter(i -> i.status() == Planner.Status.ALREADY_COMPLIANT).count(),
                    items.stream().filter(m -> m.get("status").equals("cannot-patch")).count(), result.changed().size(),
                    outDir == null ? "" : "; fixed copy and fixgate.diff in " + outDir);
        }
        boolean clean = errors.isEmpty() && items.stream().noneMatch(m -> m.get("status").equals("cannot-patch"));
        return clean ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private static Map<String, Object> item(String playbook, String resource, String file, String status, String code,
                                            String reason, String source) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("playbook", playbook);
        m.put("file", file);
        m.put("resource", resource);
        m.put("status", status);
        m.put("code", code);
        m.put("reason", reason);
        m.put("source", source);
        return m;
    }

    static List<Finding> read(Path file, String name, List<String> errors) {
        List<Finding> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            errors.add(name + ": no such file [cli.bad-input]");
            return out;
        }
        try (Input in = Input.of(name, Files.newInputStream(file))) {
            FindingParser parser = Services.parsers().detect(in.head(), name);
            parser.parse(in.stream(), new ParseContext(name, Services.controls(), Instant.now(), ParseLimits.defaults()),
                    new FindingParser.Sink() {
                        @Override
                        public void finding(Finding f) {
                            if (f.active()) {
                                out.add(f);
                            }
                        }

                        @Override
                        public void rejected(SourceLocation where, String code, String reason) {
                            errors.add(where + ": " + reason + " [" + code + "]");
                        }
                    });
        } catch (FindingParseException e) {
            errors.add(e.toString());
        } catch (IOException e) {
            errors.add(name + ": " + e.getMessage() + " [cli.bad-input]");
        }
        return out;
    }

    private static void checkOut(Path repoDir, Path outDir) {
        if (outDir.startsWith(repoDir) || repoDir.startsWith(outDir)) {
            throw new FixgateException("cli.bad-option", "--out " + outDir + " must be outside the repository");
        }
        try {
            if (Files.exists(outDir) && (!Files.isDirectory(outDir) || Files.list(outDir).findAny().isPresent())) {
                throw new FixgateException("cli.bad-option", "--out " + outDir + " exists and is not an empty directory");
            }
        } catch (IOException e) {
            throw new FixgateException("cli.bad-option", "--out " + outDir + ": " + e.getMessage());
        }
    }

    /** Copies the repository (without .git) to {@code outDir}, then writes the changed files and fixgate.diff. */
    private static void write(Path repoDir, Path outDir, Planner.Result result) {
        try {
            Files.createDirectories(outDir);
            Files.walkFileTree(repoDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!d.equals(repoDir) && d.getFileName().toString().equals(".git")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(outDir.resolve(repoDir.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        Files.copy(f, outDir.resolve(repoDir.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                                LinkOption.NOFOLLOW_LINKS);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            for (Map.Entry<String, String> e : result.changed().entrySet()) {
                Path target = outDir.resolve(e.getKey()).normalize();
                if (!target.startsWith(outDir)) {
                    throw new FixgateException("plan.path-outside-repo", e.getKey() + ": outside the output directory");
                }
                Path tmp = target.resolveSibling(target.getFileName() + ".fixgate-tmp");
                Files.writeString(tmp, e.getValue(), StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.writeString(outDir.resolve("fixgate.diff"), result.diff(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FixgateException("cli.cannot-write", outDir + ": " + e.getMessage());
        }
    }
}
