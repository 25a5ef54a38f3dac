package dev.fixgate.app.cli;

import dev.fixgate.app.enrich.EvidenceFile;
import dev.fixgate.app.enrich.EvidenceIndex;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.config.ServiceConfigLoader;
import dev.fixgate.app.gate.Action;
import dev.fixgate.app.gate.DecisionRecorder;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.gate.RemediationSafety.ResourceDecision;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.locate.CloudMap;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.pipeline.Remediation;
import dev.fixgate.app.pipeline.RemediationResult;
import dev.fixgate.app.pipeline.RemediationRun;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fixgate assess}: for each finding, locate its resource, plan the fix in memory, assess it (RCI, blast
 * radius) and pass it through the three gates; print per initiative and resource what fixgate would do. Also
 * the way to replay a decision offline: same files, same {@code --at}, same answer.
 */
@Command(name = "assess", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Score each finding's fix — Remediation Confidence Indicator, blast radius — and pass it through",
                "the gates (policy, reasoning, approval): what fixgate would do with each resource, and why.",
                "--config takes the repository's configuration (.github/fixgate.yml format; default: the one in --repo)",
                "or the service configuration (fixgate.yml: user policies, OPA, reasoning model), told apart by its keys.",
                "Nothing is pushed; with --record the decisions are stored and audited."})
final class AssessCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository checkout.")
    Path repo;

    @Option(names = "--findings", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Tool output with findings (formats detected).")
    List<Path> findings = new ArrayList<>();

    @Option(names = "--evidence", paramLabel = "FILE",
            description = "Evidence: {\"evidence\":[{\"resource\",\"kind\",\"value\",\"observedAt\"}]}.")
    Path evidence;

    @Option(names = "--repo-config", paramLabel = "FILE",
            description = "The repository configuration to use instead of <repo>/.github/fixgate.yml.")
    Path repoConfig;

    @Option(names = "--at", paramLabel = "ISO-8601",
            description = "Decide as of this instant (change windows, blackouts, evidence age). Default: now.")
    String at;

    @Option(names = "--json", description = "Print the decisions as JSON.")
    boolean json;

    @Option(names = "--record", description = "Store the decisions and write them to the audit log.")
    boolean record;

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        Instant now = instant(ctx.clock());
        Path dir = ctx.workingDir().resolve(repo).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new FixgateException("cli.bad-input", repo + ": not a directory");
        }
        RepoConfig config = repoConfig(ctx, dir);
        Set<String> playbookKinds = new LinkedHashSet<>();
        Wiring.catalog().all().forEach(p -> p.risk().evidence().forEach(r -> playbookKinds.add(r.kind())));
        EvidenceFile.Contents ev = evidence == null ? EvidenceFile.Contents.empty()
                : EvidenceFile.read(ctx.workingDir().resolve(evidence), playbookKinds);
        StateSources states = Wiring.stateSources(ctx.config().terraformState());
        Remediation remediation = Wiring.remediation(ctx.config().gate(), states);

        List<String> errors = new ArrayList<>();
        List<Finding> all = new ArrayList<>();
        for (Path f : findings) {
            all.addAll(FindingFiles.read(ctx.workingDir().resolve(f), f.toString(), errors));
        }
        RepoScan scan = RepoScan.of(dir);
        scan.problems().forEach(p -> errors.add(p.toString()));
        String name = repoName(dir);
        CloudMap map = remediation.map(scan, name, config);
        RemediationRun.Report report = new RemediationRun(remediation,
                record ? Optional.of(Wiring.recorder(ctx.database(), ctx.clock())) : Optional.empty(), ctx.actor(),
                new RemediationRun.Target(name, 0, Optional.empty()), map,
                new Remediation.Context(name, Optional.empty(), EvidenceSource.of(new EvidenceIndex(ev.observations())),
                        config, now))
                .withoutProposals() // assess shows decisions; it proposes nothing
                .run(all);
        // a state that exists and cannot be read is an error; a partial backend or S3 turned off is not
        if (map.stateRead()) {
            map.problems().stream().filter(StateSources.Problem::blocking).forEach(p -> errors.add(p.toString()));
        }
        states.close();

        Map<InitiativeId, Initiative> initiatives = new LinkedHashMap<>();
        for (RemediationResult r : report.results()) {
            initiatives.computeIfAbsent(r.initiative(), id -> new Initiative(id, r.subject().finding().control().value(),
                    Remediation.scope(r.subject().finding(), r.subject().located().resource().file(), name),
                    new ArrayList<>())).results().add(r);
        }
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (RemediationRun.Skipped s : report.skipped()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("resource", s.finding().resource().key());
            m.put("control", s.finding().control().value());
            m.put("playbook", s.playbookId());
            m.put("code", s.code());
            m.put("reason", s.reason());
            skipped.add(m);
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("at", now.toString());
            out.put("initiatives", initiatives.values().stream().map(AssessCommand::toJson).toList());
            out.put("skipped", skipped);
            out.put("evidenceProblems", ev.problems());
            out.put("errors", errors);
            ctx.out().println(Json.pretty(out));
        } else {
            print(ctx, initiatives.values(), skipped, ev.problems(), errors);
        }
        return errors.isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private record Initiative(InitiativeId id, String control, String scope, List<RemediationResult> results) {
        List<ResourceDecision> decisions() {
            return results.stream().map(RemediationResult::decision).toList();
        }
    }

    private Instant instant(Clock clock) {
        if (at == null) {
            return clock.instant();
        }
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new FixgateException("cli.bad-option", "--at: expected an ISO-8601 instant such as 2026-11-20T10:00:00Z, got '"
                    + at + "'");
        }
    }

    /**
     * The repository configuration: {@code --repo-config}, else an inherited {@code --config} that holds a
     * repository configuration (then the service configuration is the state directory's), else the one in the
     * repository, else the defaults.
     */
    private RepoConfig repoConfig(AppContext ctx, Path dir) {
        if (repoConfig != null) {
            return RepoConfigLoader.load(ctx.workingDir().resolve(repoConfig));
        }
        if (root.config != null) {
            Path file = ctx.workingDir().resolve(root.config);
            try {
                ServiceConfigLoader.load(Optional.of(file), ctx.home().dir(), ctx.env());
            } catch (ConfigException asService) {
                RepoConfig asRepo;
                try {
                    asRepo = RepoConfigLoader.load(file);
                } catch (ConfigException e) {
                    throw asService;
                }
                ctx.options(Optional.ofNullable(root.home), Optional.empty());
                return asRepo;
            }
        }
        Path inRepo = dir.resolve(RepoConfigLoader.PATH);
        return Files.isRegularFile(inRepo) ? RepoConfigLoader.load(inRepo) : RepoConfig.defaults();
    }

    /** The checkout's directory name stands in for the repository's name in initiative scopes. */
    static String repoName(Path dir) {
        return dir.getFileName() == null ? "repo" : dir.getFileName().toString();
    }

    private static Map<String, Object> toJson(Initiative i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id().value());
        m.put("control", i.control());
        m.put("scope", i.scope());
        m.put("resources", i.results().stream().map(AssessCommand::toJson).toList());
        Map<String, Object> split = new LinkedHashMap<>();
        RemediationSafety.split(i.decisions()).forEach((action, ds) ->
                split.put(action.id(), ds.stream().map(ResourceDecision::resource).toList()));
        m.put("split", split);
        return m;
    }

    static Map<String, Object> toJson(RemediationResult r) {
        Map<String, Object> m = toJson(r.decision());
        m.put("findings", r.subject().findings().size());
        r.decisionId().ifPresent(id -> m.put("decisionId", id));
        return m;
    }

    static Map<String, Object> toJson(ResourceDecision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", d.resource());
        m.put("playbook", d.playbookId());
        if (d.input() != null) {
            m.put("address", d.input().resource().address());
            m.put("file", d.input().resource().file());
            m.put("environment", d.input().environment());
            m.put("patch", Map.of("status", d.input().patch().status(), "code", d.input().patch().code()));
        }
        m.put("rci", Map.of("level", d.rci().level().name(), "confidence", d.rci().confidence(),
                "reasons", d.rci().reasons().stream().map(RciReason::message).toList()));
        m.put("blastRadius", Map.of("resources", d.blastRadius().resources(), "instances", d.blastRadius().instances(),
                "references", d.blastRadius().references(), "complete", d.blastRadius().complete()));
        m.put("gate", Map.of("decision", d.gate().decisionId(), "reasons", d.gate().decision().reasons(),
                "layers", DecisionRecorder.layers(d.gate())));
        m.put("action", d.gate().action().id());
        return m;
    }

    private static void print(AppContext ctx, java.util.Collection<Initiative> initiatives, List<Map<String, Object>> skipped,
                              List<String> evidenceProblems, List<String> errors) {
        for (Initiative i : initiatives) {
            ctx.out().printf("%s  %s  (%s)%n", i.id().value(), i.control(), i.scope());
            for (ResourceDecision d : i.decisions()) {
                ctx.out().printf("  %-14s %-6s %.2f  %-14s %s  [%s]%n", d.gate().action().id(), d.rci().level(),
                        d.rci().confidence(), d.gate().decisionId(), d.resource(), d.playbookId());
                d.rci().reasons().forEach(r -> ctx.out().println("      rci: " + r.message()));
                ctx.out().printf("      blast radius: %d resource%s, %d instance%s%s%n", d.blastRadius().resources(),
                        d.blastRadius().resources() == 1 ? "" : "s", d.blastRadius().instances(),
                        d.blastRadius().instances() == 1 ? "" : "s", d.blastRadius().complete() ? "" : " (at least)");
                d.gate().decision().reasons().forEach(r -> ctx.out().println("      gate: " + r));
            }
            Map<Action, List<ResourceDecision>> split = RemediationSafety.split(i.decisions());
            if (split.size() > 1) {
                ctx.out().println("  split: " + String.join(", ", split.entrySet().stream()
                        .map(e -> e.getValue().size() + " " + e.getKey().id().toLowerCase(Locale.ROOT)).toList()));
            }
        }
        skipped.forEach(s -> ctx.out().println("SKIPPED " + s.get("resource") + ": " + s.get("reason") + " ["
                + s.get("code") + "]"));
        evidenceProblems.forEach(p -> ctx.out().println("EVIDENCE " + p));
        errors.forEach(e -> ctx.out().println("ERROR " + e));
    }
}
