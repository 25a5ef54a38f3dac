package dev.fixgate.app.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code fixgate} command: global options and the subcommands. */
@Command(name = "fixgate",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = "Turns cloud-security findings into reviewed Terraform/CloudFormation fix pull requests.",
        footer = ExitCodes.FOOTER,
        subcommands = {ServeCommand.class, IngestCommand.class, PlanCommand.class,
                AssessCommand.class, CheckCommand.class, PlaybooksCommand.class, ReportCommand.class, AuditCommand.class,
                JobsCommand.class, WebhooksCommand.class, DashboardCommand.class, PermissionsCommand.class,
                GuardrailsCommand.class, SetupCommand.class, VerifyCommand.class})
public final class FixgateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "State directory (database, default fixgate.yml). Default: $FIXGATE_HOME, else ./.fixgate.")
    Path home;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Service configuration. Default: <home>/fixgate.yml when it exists.")
    Path config;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Debug logging on stderr, and stack traces for internal errors.")
    boolean verbose;

    private final AppContext context;

    FixgateCommand(AppContext context) {
        this.context = context;
    }

    /** The shared context, with the global options applied. */
    public AppContext context() {
        context.options(Optional.ofNullable(home), Optional.ofNullable(config));
        return context;
    }

    /** Whether {@code -v} was given. */
    public boolean verbose() {
        return verbose;
    }

    @Override
    public void run() {
        spec.commandLine().usage(context.out());
    }
}
