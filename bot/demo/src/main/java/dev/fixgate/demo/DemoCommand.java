package dev.fixgate.demo;

import dev.fixgate.app.cli.AppContext;
import dev.fixgate.app.cli.ExitCodes;
import dev.fixgate.app.cli.FixgateCommand;
import dev.fixgate.app.cli.IngestCommand;
import dev.fixgate.app.cli.Subcommand;
import dev.fixgate.app.cli.Versions;
import dev.fixgate.app.Pipeline;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.group.IngestSummary;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import dev.fixgate.app.json.Json;
import picocli.CommandLine.Option;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fixgate demo}: the whole loop on bundled data, locally ({@link DemoLoop}): the same service
 * {@code fixgate serve} runs, assembled by the wiring from the same configuration ({@code --config} or the state
 * directory's {@code fixgate.yml}: user policies, OPA, the reasoning model), pointed at a local GitHub, a fresh
 * embedded database and the bundled evidence. {@code --ingest-only} runs the earlier walkthrough of ingest and
 * group alone: two days of scans from three tools, duplicates merged, one finding resolved.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Run the whole loop locally: a local GitHub with a sample infrastructure repository (acme/infra),",
                "fixgate's server and workers, bundled findings and evidence → pull requests, green CI, merges, an",
                "approval for the RISKY fix, an issue for the UNSAFE one. Exits when everything is merged or waiting.",
                "Uses its own directory <home>/demo (embedded database, local GitHub), recreated on every run.",
                "The gate is configured as for serve: --config FILE (or <home>/fixgate.yml) sets user policies, OPA",
                "and the reasoning model."})
public final class DemoCommand implements Callable<Integer>, Subcommand {

    private static final List<String> DAY_ONE = List.of("01-securityhub-2026-11-20.json", "02-prowler-2026-11-20.ocsf.json",
            "03-kics-infra.json");
    private static final List<String> DAY_TWO = List.of("04-securityhub-2026-11-21.json");

    @ParentCommand
    FixgateCommand root;

    @Option(names = "--json", description = "Print only the result as JSON: pullRequests, issues, dashboard, mainLog.")
    boolean json;

    @Option(names = "--keep-running", description = "Leave the local GitHub and fixgate up (prints their URLs, the"
            + " repository and a token for the demo user) until interrupted.")
    boolean keepRunning;

    @Option(names = "--ingest-only", description = "Only the ingest stage on three tools' samples (the earlier demo).")
    boolean ingestOnly;

    @Override
    public Integer call() throws Exception {
        AppContext ctx = root.context();
        Path state = ctx.home().dir().resolve("demo");
        recreate(state);
        return ingestOnly ? ingestOnly(ctx, state) : loop(ctx, state);
    }

    private Integer loop(AppContext ctx, Path state) throws Exception {
        long started = System.nanoTime();
        // The demo narrates on stdout; the servers' INFO and the expected merge retries would drown it.
        Map<ch.qos.logback.classic.Logger, ch.qos.logback.classic.Level> before = new LinkedHashMap<>();
        if (!root.verbose() && org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
            for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "dev.fixgate")) {
                ch.qos.logback.classic.Logger logger = logs.getLogger(name);
                before.put(logger, logger.getLevel());
                logger.setLevel(ch.qos.logback.classic.Level.ERROR);
            }
        }
        try {
            return runLoop(ctx, state, started);
        } finally {
            before.forEach(ch.qos.logback.classic.Logger::setLevel);
        }
    }

    private Integer runLoop(AppContext ctx, Path state, long started) throws Exception {
        PrintStream out = json ? new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) : ctx.out();
        out.println("fixgate " + Versions.current() + " demo — local GitHub + fixgate in one process, state in " + state);
        try (DemoLoop demo = new DemoLoop(state, ctx.config(), ctx.clock(), out)) {
            IngestSummary ingest = demo.start();
            DemoLoop.Result r = demo.run();
            if (json) {
                ctx.out().println(Json.prettyInOrder(r.toJson()));
            } else {
                heading(out, "summary");
                out.printf("  pull requests: %d opened, %d merged (%d after an approval), %d awaiting approval%n",
                        r.opened(), r.merged(), r.approvedThenMerged(), r.awaitingApproval());
                out.printf("  issues: %d opened (UNSAFE fixes, for the code owners)%n", r.issues());
                if (!r.dashboard().isEmpty()) {
                    out.println("  dashboard: " + r.dashboard());
                }
                out.println("  main:");
                for (var c : r.mainLog()) {
                    String message = c.get("message");
                    out.println("    " + c.get("sha").substring(0, 12) + " " + message.lines().findFirst().orElse(""));
                    message.lines().filter(l -> l.startsWith("Fixgate-")).forEach(l -> out.println("                 " + l));
                }
                out.printf("  done in %.1f s%n", (System.nanoTime() - started) / 1e9);
            }
            r.problems().forEach(p -> ctx.err().println("demo: " + p));
            if (keepRunning) {
                ctx.out().println("local-github: " + demo.gitHubUrl());
                ctx.out().println("fixgate: " + demo.fixgateUrl());
                ctx.out().println("repo: " + DemoLoop.OWNER + "/" + DemoLoop.REPO);
                ctx.out().println("token: " + demo.userToken());
                ctx.out().flush();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "fixgate-demo-shutdown"));
                stop.await();
            }
            return ingest.hasErrors() || !r.problems().isEmpty() ? ExitCodes.FINDINGS : ExitCodes.OK;
        }
    }

    private Integer ingestOnly(AppContext ctx, Path state) {
        PrintStream out = ctx.out();
        out.println("fixgate " + Versions.current() + " demo — embedded database in " + state);
        try (Database db = Database.open(Database.embeddedUrl(state), "", Secret.none(), 2)) {
            // ingest only: nothing runs the remediation jobs this queues
            Intake intake = Wiring.intake(db, ctx.clock(), id -> { });

            heading(out, "ingest + group, day 1: Security Hub, Prowler and KICS report on account 111111111111 and repo infra/");
            IngestSummary first = intake.run(sources(DAY_ONE), Optional.empty(), "demo", b -> { });
            IngestCommand.print(out, first);
            out.println("  → " + first.duplicates() + " records repeated a problem another tool had reported: kept as"
                    + " sightings of one finding, not as new findings.");

            heading(out, "ingest + group, day 2: Security Hub again");
            IngestSummary second = intake.run(sources(DAY_TWO), Optional.empty(), "demo", b -> { });
            IngestCommand.print(out, second);
            out.println("  → " + second.stored().get("resolved") + " resolved since day 1, " + second.stored().get("seen_again")
                    + " still failing.");

            heading(out, "open initiatives (each becomes one pull request, or an issue when a fix is UNSAFE)");
            List<InitiativeStore.StoredInitiative> open = new InitiativeStore(db).list().stream()
                    .filter(i -> i.openFindings() > 0).toList();
            for (InitiativeStore.StoredInitiative i : open) {
                out.printf("  %-8s %-45s %-30s %d open finding%s%n", i.severity().id().toUpperCase(Locale.ROOT),
                        i.control(), i.scope(), i.openFindings(), i.openFindings() == 1 ? "" : "s");
            }

            heading(out, "what the full loop (fixgate demo without --ingest-only) does with them next");
            for (Pipeline.Stage stage : Pipeline.stages().subList(Pipeline.Stage.LOCATE.ordinal(), Pipeline.stages().size())) {
                out.printf("  %-8s %s%n", stage.name().toLowerCase(Locale.ROOT), stage.purpose());
            }

            heading(out, "audit");
            AuditLog.Verification v = new AuditLog(db).verify();
            out.println("  audit log " + (v.intact() ? "intact" : "BROKEN") + ": " + v.entries() + " entries, head " + v.headHash());
            return first.hasErrors() || second.hasErrors() || !v.intact() ? ExitCodes.FINDINGS : ExitCodes.OK;
        }
    }

    private static List<Intake.Source> sources(List<String> names) {
        return names.stream().<Intake.Source>map(name -> () -> {
            InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name);
            if (in == null) {
                throw new IOException("bundled sample missing from the jar: demo/" + name);
            }
            return Input.of("demo/" + name, in);
        }).toList();
    }

    private static void heading(PrintStream out, String text) {
        out.println();
        out.println("== " + text);
    }

    /** The demo's own directory under the state directory; nothing else is ever deleted. */
    private static void recreate(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recreate the demo directory " + dir, e);
        }
    }
}
