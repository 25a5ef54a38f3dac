package dev.fixgate.app.cli;

import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.redact.Redactor;
import dev.fixgate.spi.error.FixgateException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;

/** Entry point of the executable jar. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose")) {
            // Before the first logger is created: logback.xml reads it.
            System.setProperty("FIXGATE_LOG_LEVEL", "DEBUG");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, System.getenv(), Path.of("").toAbsolutePath(), Clock.systemUTC()));
    }

    /** Runs one command and returns its exit code; everything it prints goes to {@code out} and {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Path workingDir,
                          Clock clock) {
        try (AppContext context = new AppContext(out, err, env, workingDir, clock)) {
            FixgateCommand root = new FixgateCommand(context);
            CommandLine cli = new CommandLine(root);
            for (Subcommand extra : ServiceLoader.load(Subcommand.class, Main.class.getClassLoader())) {
                cli.addSubcommand(extra);
            }
            if (!cli.getSubcommands().containsKey(DemoNotIncluded.NAME)) {
                cli.addSubcommand(new DemoNotIncluded());
            }
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, err, root.verbose));
            cli.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
            return cli.execute(args);
        }
    }

    private static int report(Exception e, PrintStream err, boolean verbose) {
        switch (e) {
            case ConfigException c -> {
                err.println("fixgate: " + c.getMessage());
                return ExitCodes.USAGE;
            }
            case FixgateException f -> {
                err.println("fixgate: " + Redactor.redact(f.toString()));
                if (verbose && f.getCause() != null) {
                    f.getCause().printStackTrace(err);
                }
                return f.code().startsWith("cli.") ? ExitCodes.USAGE : ExitCodes.FAILURE;
            }
            default -> {
                err.println("fixgate: internal error: " + Redactor.redact(e.toString())
                        + (verbose ? "" : " (run with --verbose for details)"));
                if (verbose) {
                    e.printStackTrace(err);
                }
                return ExitCodes.FAILURE;
            }
        }
    }
}
