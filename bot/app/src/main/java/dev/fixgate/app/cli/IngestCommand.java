package dev.fixgate.app.cli;

import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.app.group.IngestSummary;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.json.Json;
import dev.fixgate.spi.error.FixgateException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code fixgate ingest}: read findings from tool output into the store. */
@Command(name = "ingest", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Read findings from security tools' output, deduplicate them and group them into initiatives.",
                "Formats are detected; files may be gzip-compressed; '-' reads standard input.",
                "A malformed record is reported with its location and skipped; the rest of the file is kept."})
public final class IngestCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Tool output files, or - for standard input.")
    List<Path> files;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Skip detection and read every file as this format (see 'fixgate ingest --list-formats').")
    String format;

    @Option(names = "--json", description = "Print the summary as JSON (and no progress bar).")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar, even on a terminal.")
    boolean noProgress;

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        List<Intake.Source> sources = new ArrayList<>();
        for (Path file : files) {
            sources.add(source(ctx, file));
        }
        Intake intake = Wiring.intake(ctx.database(), ctx.clock(), id -> { });
        Optional<String> forced = Optional.ofNullable(format);
        if (forced.isPresent() && Wiring.parsers().byFormat(format).isEmpty()) {
            throw new FixgateException("cli.bad-option", "unknown format '" + format + "'; known formats: "
                    + String.join(", ", Wiring.parsers().formats()));
        }
        IngestSummary summary;
        if (!json && !noProgress && System.console() != null && files.stream().noneMatch(f -> f.toString().equals("-"))) {
            summary = withProgressBar(ctx, intake, sources, forced);
        } else {
            summary = intake.run(sources, forced, ctx.actor(), bytes -> { });
        }
        if (json) {
            ctx.out().println(Json.pretty(summary));
        } else {
            print(ctx.out(), summary);
        }
        return summary.hasErrors() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    private IngestSummary withProgressBar(AppContext ctx, Intake intake, List<Intake.Source> sources, Optional<String> forced) {
        long total = 0;
        for (Path f : files) {
            try {
                total += Files.size(ctx.workingDir().resolve(f));
            } catch (IOException e) {
                total = -1;
                break;
            }
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("ingest").setInitialMax(Math.max(total, 1))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1 << 20).showSpeed().continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(ctx.err())).build()) {
            long[] done = new long[1];
            LongConsumer progress = bytes -> bar.stepTo(done[0] + bytes);
            List<Intake.Source> tracked = new ArrayList<>();
            for (Intake.Source s : sources) {
                tracked.add(() -> {
                    done[0] = bar.getCurrent();
                    return s.open();
                });
            }
            return intake.run(tracked, forced, ctx.actor(), progress);
        }
    }

    private static Intake.Source source(AppContext ctx, Path file) {
        if (file.toString().equals("-")) {
            return () -> Input.of("<stdin>", System.in);
        }
        Path path = ctx.workingDir().resolve(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new FixgateException("cli.bad-input", file + ": " + (Files.exists(path) ? "not a readable file" : "no such file"));
        }
        return () -> Input.of(file.toString(), Files.newInputStream(path));
    }

    /** The summary as {@code fixgate ingest} prints it. */
    public static void print(PrintStream out, IngestSummary s) {
        out.printf("Read %d records from %d input%s: %d findings, %d duplicates, %d rejected.%n", s.records(),
                s.files().size(), s.files().size() == 1 ? "" : "s", s.findings(), s.duplicates(), s.rejected());
        for (IngestSummary.FileLine f : s.files()) {
            out.printf("  %-40s %-12s %7d records %7d findings %5d rejected%s%n", f.file(), f.format().isEmpty() ? "?" : f.format(),
                    f.records(), f.findings(), f.rejected(), f.error().isEmpty() ? "" : "  STOPPED: " + f.error());
        }
        out.print("Stored:");
        s.stored().forEach((k, v) -> {
            if (v > 0) {
                out.print(" " + v + " " + k.replace('_', ' ') + ";");
            }
        });
        out.println();
        out.println("Initiatives (" + s.initiatives().size() + "), each one pull request or issue:");
        for (IngestSummary.InitiativeLine i : s.initiatives()) {
            out.printf("  %-8s %-45s %-34s %5d finding%s%s%n", i.severity().toUpperCase(Locale.ROOT), i.control(),
                    i.scope(), i.findings(), i.findings() == 1 ? "" : "s",
                    i.total() > i.findings() ? " (" + i.total() + " in all)" : "");
        }
        if (!s.unmapped().isEmpty()) {
            out.println("Unmapped controls (" + s.unmapped().size() + "): kept as unmapped:<tool>:<id>; add them to the control catalog");
            for (IngestSummary.Unmapped u : s.unmapped()) {
                out.printf("  %-12s %-50s %5d record%s%n", u.tool(), u.id(), u.records(), u.records() == 1 ? "" : "s");
            }
        }
        if (s.errorsTotal() > 0) {
            out.println("Errors (" + s.errorsTotal() + (s.errorsTotal() > s.errors().size() ? ", first " + s.errors().size() + " shown" : "") + "):");
            s.errors().forEach(e -> out.println("  " + e));
        }
    }
}
