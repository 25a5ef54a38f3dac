package dev.fixgate.app.cli;

import dev.fixgate.app.enrich.EvidenceFile;
import dev.fixgate.app.enrich.EvidenceIndex;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.locate.CloudMap;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.pipeline.Remediation;
import dev.fixgate.app.pipeline.RemediationResult;
import dev.fixgate.app.pipeline.RemediationRun;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.prevent.Checker;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.finding.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fixgate plan}: the fixes for a repository's findings, applied in memory, as a diff and a fixed copy. It runs
 * the same chain as the service ({@link RemediationRun}): each resource is planned once, on its own, and assessed and
 * gated as the repository's configuration says, so the output also shows what fixgate would do with each fix.
 */
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

    @Option(names = "--evidence", paramLabel = "FILE",
            description = "Evidence for the assessment, as for 'fixgate assess': {\"evidence\":[{\"resource\",\"kind\",\"value\",\"observedAt\"}]}.")
    Path evidence;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the fixed copy and fixgate.diff here (must not exist or be empty).")
    Path out;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--playbook", paramLabel = "ID", description = "Without --findings: fix only what these playbooks find (repeatable; default: every playbook).")
    List<String> playbooks = new ArrayList<>();

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        Path dir = ctx.workingDir().resolve(repo).toAbsolutePath().normalize();
        Path outDir = out == null ? null : ctx.workingDir().resolve(out).toAbsolutePath().normalize();
        if (outDir != null) {
            checkOut(dir, outDir);
        }
        RepoScan scan = RepoScan.of(dir);
        List<String> errors = new ArrayList<>();
        scan.problems().forEach(p -> errors.add(p.toString()));
        RepoConfig config = repoConfig(dir, errors);
        String name = AssessCommand.repoName(dir);
        StateSources states = Wiring.stateSources(ctx.config().terraformState());
        Remediation remediation = Wiring.remediation(ctx.config().gate(), states);
        EvidenceIndex index = EvidenceIndex.empty();
        List<String> evidenceProblems = new ArrayList<>();
        if (evidence != null) {
            Set<String> kinds = new LinkedHashSet<>();
            Wiring.catalog().all().forEach(p -> p.risk().evidence().forEach(r -> kinds.add(r.kind())));
            EvidenceFile.Contents ev = EvidenceFile.read(ctx.workingDir().resolve(evidence), kinds);
            evidenceProblems.addAll(ev.problems());
            index = new EvidenceIndex(ev.observations());
        }
        CloudMap map = remediation.map(scan, name, config);
        RemediationRun run = new RemediationRun(remediation, Optional.empty(), ctx.actor(),
                new RemediationRun.Target(name, 0, Optional.empty()), map,
                new Remediation.Context(name, Optional.empty(), EvidenceSource.of(index), config,
                        ctx.clock().instant())).withoutProposals(); // the fixed copy below is the one change
        RemediationRun.Report report;
        if (findings.isEmpty()) {
            PlaybookCatalog catalog = playbooks.isEmpty() ? Wiring.catalog() : Wiring.catalog().only(playbooks);
            if (catalog.all().size() < new LinkedHashSet<>(playbooks).size()) {
                throw new FixgateException("cli.unknown-playbook", "unknown playbook in --playbook " + playbooks
                        + "; 'fixgate playbooks list' shows them");
            }
            report = run.runChecks(new Checker(catalog, new Detector()).check(scan, config.playbookParams()).failures());
        } else {
            List<Finding> all = new ArrayList<>();
            for (Path f : findings) {
                all.addAll(FindingFiles.read(ctx.workingDir().resolve(f), f.toString(), errors));
            }
            report = run.run(all);
        }
        // a state that exists and cannot be read is an error; a partial backend or S3 turned off is not
        if (map.stateRead()) {
            map.problems().stream().filter(StateSources.Problem::blocking).forEach(p -> errors.add(p.toString()));
        }
        states.close();
        // the fixed copy: every patched resource's fix, put together (each was planned once, on its own)
        Planner.Result result = remediation.compose(report.results().stream().map(RemediationResult::plan).toList(), config);
        if (outDir != null) {
            write(dir, outDir, result);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < result.items().size(); i++) {
            Planner.Item it = result.items().get(i);
            RemediationResult r = report.results().get(i);
            Map<String, Object> m = item(it.request().playbook().id(), it.request().target().resource().address(),
                    it.request().target().resource().file(), it.status().json(), it.code(), it.reason(), it.request().source());
            m.put("summary", it.summary());
            m.put("diff", Map.of("added", it.added(), "removed", it.removed()));
            m.put("rci", r.rci().level().name());
            m.put("action", r.action().id());
            items.add(m);
        }
        for (RemediationRun.Skipped s : report.skipped()) {
            items.add(item(s.playbookId(), s.finding().resource().key(), "", "cannot-patch", s.code(), s.reason(),
                    s.finding().sourceTool() + ":" + s.finding().sourceControlId() + ":" + s.finding().resource().key()));
        }
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("results", items);
            summary.put("changedFiles", result.changed().keySet().stream().sorted().toList());
            summary.put("evidenceProblems", evidenceProblems);
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
            evidenceProblems.forEach(p -> ctx.out().println("EVIDENCE " + p));
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

    /** The repository's own configuration (its gate settings matter to the decisions); the defaults without one. */
    static RepoConfig repoConfig(Path dir, List<String> errors) {
        Path file = dir.resolve(RepoConfigLoader.PATH);
        if (!Files.isRegularFile(file)) {
            return RepoConfig.defaults();
        }
        try {
            return RepoConfigLoader.load(file);
        } catch (ConfigException e) {
            e.problems().forEach(p -> errors.add(p.toString()));
            return RepoConfig.defaults();
        }
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
