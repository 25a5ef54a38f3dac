package dev.fixgate.provider.azure;

import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code app.http_requests_7d}: requests that reached the app on port 80 in 7 days, from its
 * {@code AppServiceHTTPLogs} (column {@code SPort}) in the workspace its diagnostic setting names. The platform
 * metrics have no scheme dimension, so without that setting the count is unavailable.
 */
final class AppServiceCollector extends AzureCollector {

    static final String HTTP = "app.http_requests_7d";
    private static final Set<String> CATEGORY = Set.of("AppServiceHTTPLogs");
    private static final Set<String> GROUPS = Set.of("allLogs");

    AppServiceCollector(AzureClients clients, ProviderSettings settings) {
        super("azure.appservice", Set.of(HTTP),
                List.of(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.WORKSPACE_QUERY,
                        AzureReads.table("AppServiceHTTPLogs", "requests by server port")),
                List.of("microsoft.web/sites"), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        ArmId site = ctx.id().ancestor("microsoft.web/sites").orElseThrow();
        var a = ctx.answers();
        Optional<String> workspace = Diagnostics.workspace(Diagnostics.list(ctx, site.id()), CATEGORY, GROUPS);
        if (workspace.isEmpty()) {
            a.unavailable(HTTP, "no diagnostic setting sends the app's AppServiceHTTPLogs to a Log Analytics workspace",
                    ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS));
            return;
        }
        Instant to = ctx.request().now();
        String query = "AppServiceHTTPLogs | where _ResourceId =~ " + Graph.literal(site.id().toLowerCase(Locale.ROOT))
                + " | where SPort == '80' | summarize n = count()";
        long n = LogCounts.count(ctx, workspace.get(), query, to.minus(Duration.ofDays(7)), to);
        a.observed(HTTP, n, ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.WORKSPACE_QUERY));
    }
}
