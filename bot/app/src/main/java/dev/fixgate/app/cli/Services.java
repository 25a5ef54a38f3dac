package dev.fixgate.app.cli;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.deliver.RemediateJobHandler;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.ingest.ParserRegistry;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.ParseLimits;

/** Builds the pipeline's objects for commands from the shared context. */
final class Services {

    private static final ParserRegistry PARSERS = ParserRegistry.discover();
    private static final ControlCatalog CONTROLS = ControlCatalog.builtIn();

    private Services() {
    }

    static ParserRegistry parsers() {
        return PARSERS;
    }

    /** The canonical control catalog (data owned by the playbooks module), loaded once. */
    static ControlResolver controls() {
        return CONTROLS;
    }

    /** Ingest that queues the remediation of every new or changed initiative (a running serve picks it up). */
    static Intake intake(AppContext ctx) {
        JobQueue queue = new JobQueue(ctx.database());
        InitiativeStore initiatives = new InitiativeStore(ctx.database());
        return new Intake(PARSERS, controls(), new FindingStore(ctx.database()), initiatives,
                new AuditLog(ctx.database()), ctx.clock(), ParseLimits.defaults())
                .onInitiativeChanged(id -> RemediateJobHandler.enqueue(queue, initiatives, id, ctx.clock().instant()));
    }

    /** The audit actor for the CLI: the local user. */
    static String actor(AppContext ctx) {
        String user = ctx.env().get("USER");
        return "cli:" + (user == null || user.isBlank() ? System.getProperty("user.name", "unknown") : user);
    }
}
