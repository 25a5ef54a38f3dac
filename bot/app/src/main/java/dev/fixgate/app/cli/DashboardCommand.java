package dev.fixgate.app.cli;

import dev.fixgate.app.chatops.DashboardView;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerifyStore;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fixgate dashboard --repo owner/name}: the repository's Remediation Dashboard in full, from the store — what
 * the dashboard issue points to when it has to summarise.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Print a repository's Remediation Dashboard in full (the issue summarises past its max_length):",
                "awaiting approval, awaiting checks, blocked, routed to owners, snoozed or ignored, recently merged, errors."})
final class DashboardCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Option(names = "--repo", required = true, paramLabel = "OWNER/NAME", description = "The repository.")
    String repo;

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        Instant now = ctx.clock().instant();
        ChatOpsStore store = new ChatOpsStore(ctx.database());
        java.util.Map<Long, VerifyStore.Track> tracks = new java.util.HashMap<>();
        new VerifyStore(ctx.database()).inRepo(repo).forEach(t -> tracks.put(t.remediationId(), t));
        ctx.out().print(DashboardView.renderFull(new DashboardView.Data(repo,
                new RemediationStore(ctx.database()).inRepo(repo), store.holdsInForce(repo, now), store.notes(repo), now,
                tracks),
                "fixgate dashboard --repo " + repo));
        return ExitCodes.OK;
    }
}
