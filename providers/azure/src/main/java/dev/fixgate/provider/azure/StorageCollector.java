package dev.fixgate.provider.azure;

import com.azure.resourcemanager.monitor.fluent.models.DiagnosticSettingsResourceInner;
import com.azure.resourcemanager.storage.fluent.models.ListContainerItemInner;
import com.azure.resourcemanager.storage.fluent.models.StorageAccountInner;
import com.azure.resourcemanager.storage.models.PublicAccess;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Storage account evidence.
 * <ul>
 * <li>{@code storage.public_containers}: containers whose public access level is Blob or Container — 0 when the
 *     account disallows anonymous access ({@code allowBlobPublicAccess: false}), since then none is served.</li>
 * <li>{@code storage.anonymous_requests_30d}: the account's {@code Transactions} metric where
 *     {@code Authentication eq 'Anonymous'}, 30 days (platform metrics: always collected).</li>
 * <li>{@code storage.http_requests_30d}, {@code storage.legacy_tls_requests_30d}: only resource logs carry the
 *     protocol and the TLS version ({@code Storage*Logs.Protocol}, {@code .TlsVersion}). The services' diagnostic
 *     settings name the workspace; a service whose logs go nowhere but which had transactions makes the count
 *     unknowable, so the kind is then unavailable rather than an undercount.</li>
 * </ul>
 */
final class StorageCollector extends AzureCollector {

    static final String PUBLIC_CONTAINERS = "storage.public_containers";
    static final String ANONYMOUS = "storage.anonymous_requests_30d";
    static final String HTTP = "storage.http_requests_30d";
    static final String LEGACY_TLS = "storage.legacy_tls_requests_30d";
    static final Duration WINDOW = Duration.ofDays(30);

    /** Service → its resource log table. */
    private static final List<String[]> SERVICES = List.of(new String[] {"blobServices", "StorageBlobLogs"},
            new String[] {"fileServices", "StorageFileLogs"}, new String[] {"queueServices", "StorageQueueLogs"},
            new String[] {"tableServices", "StorageTableLogs"});
    private static final Set<String> LOG_CATEGORIES = Set.of("StorageRead", "StorageWrite", "StorageDelete");
    private static final Set<String> LOG_GROUPS = Set.of("allLogs", "audit");

    StorageCollector(AzureClients clients, ProviderSettings settings) {
        super("azure.storage", Set.of(PUBLIC_CONTAINERS, ANONYMOUS, HTTP, LEGACY_TLS), declaredReads(),
                List.of("microsoft.storage/storageaccounts"), clients, settings);
    }

    private static List<ReadAction> declaredReads() {
        List<ReadAction> r = new ArrayList<>(List.of(AzureReads.STORAGE_ACCOUNT, AzureReads.BLOB_CONTAINERS,
                AzureReads.METRICS, AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.WORKSPACE_QUERY));
        for (String[] s : SERVICES) {
            r.add(AzureReads.table(s[1], "requests by protocol and TLS version"));
        }
        return r;
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        ArmId account = ctx.id().ancestor("microsoft.storage/storageaccounts").orElseThrow();
        var a = ctx.answers();
        Instant from = ctx.from(WINDOW);
        Instant to = ctx.request().now();
        if (a.wants(PUBLIC_CONTAINERS)) {
            try {
                StorageAccountInner props = StorageReads.account(ctx, account);
                if (Boolean.FALSE.equals(props.allowBlobPublicAccess())) {
                    a.observed(PUBLIC_CONTAINERS, 0L, ctx.provenance(AzureReads.STORAGE_ACCOUNT));
                } else {
                    long n = 0;
                    for (ListContainerItemInner c : StorageReads.containers(ctx, account)) {
                        if (PublicAccess.BLOB.equals(c.publicAccess()) || PublicAccess.CONTAINER.equals(c.publicAccess())) {
                            n++;
                        }
                    }
                    a.observed(PUBLIC_CONTAINERS, n, ctx.provenance(AzureReads.STORAGE_ACCOUNT, AzureReads.BLOB_CONTAINERS));
                }
            } catch (CallFailedException e) {
                ctx.unavailable(e, PUBLIC_CONTAINERS);
            }
        }
        if (a.wants(ANONYMOUS)) {
            try {
                long n = Metrics.total(ctx, account.id(), "Transactions", "Authentication eq 'Anonymous'", from, to);
                a.observed(ANONYMOUS, n, ctx.provenance(AzureReads.METRICS));
            } catch (CallFailedException e) {
                ctx.unavailable(e, ANONYMOUS);
            }
        }
        if (a.wantsAny(HTTP, LEGACY_TLS)) {
            logKinds(ctx, account, from, to);
        }
    }

    private void logKinds(Ctx ctx, ArmId account, Instant from, Instant to) {
        var a = ctx.answers();
        Optional<String> workspace = Optional.empty();
        List<String> tables = new ArrayList<>();
        try {
            for (String[] service : SERVICES) {
                ArmId svc = account.child(service[0], "default");
                List<DiagnosticSettingsResourceInner> settings = Diagnostics.list(ctx, svc.id());
                Optional<String> ws = Diagnostics.workspace(settings, LOG_CATEGORIES, LOG_GROUPS);
                if (ws.isPresent() && (workspace.isEmpty() || workspace.get().equalsIgnoreCase(ws.get()))) {
                    workspace = ws;
                    tables.add(service[1]);
                } else if (Metrics.total(ctx, svc.id(), "Transactions", null, from, to) > 0) {
                    String reason = ws.isPresent()
                            ? "the " + service[0] + " logs go to another workspace than the other services'"
                            : "no diagnostic setting sends the " + service[0] + " StorageRead/StorageWrite/StorageDelete"
                              + " logs to a Log Analytics workspace, and it had requests in 30 days";
                    a.unavailable(HTTP, reason, ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.METRICS));
                    a.unavailable(LEGACY_TLS, reason, ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.METRICS));
                    return;
                }
            }
        } catch (CallFailedException e) {
            ctx.unavailable(e, HTTP, LEGACY_TLS);
            return;
        }
        if (workspace.isEmpty()) {
            // No service is logged and none had requests: nothing was served at all.
            a.observed(HTTP, 0L, ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.METRICS));
            a.observed(LEGACY_TLS, 0L, ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.METRICS));
            return;
        }
        String source = "union isfuzzy=true " + String.join(", ", tables)
                + " | where _ResourceId startswith " + Graph.literal(account.id().toLowerCase(java.util.Locale.ROOT) + "/");
        count(ctx, workspace.get(), HTTP, source + " | where Protocol =~ 'HTTP' | summarize n = count()", from, to);
        count(ctx, workspace.get(), LEGACY_TLS,
                source + " | where TlsVersion in ('TLS 1.0', 'TLS 1.1') | summarize n = count()", from, to);
    }

    private static void count(Ctx ctx, String workspace, String kind, String query, Instant from, Instant to) {
        if (!ctx.answers().wants(kind)) {
            return;
        }
        try {
            long n = LogCounts.count(ctx, workspace, query, from, to);
            ctx.answers().observed(kind, n, ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.WORKSPACE_QUERY));
        } catch (CallFailedException e) {
            ctx.unavailable(e, kind);
        }
    }
}
