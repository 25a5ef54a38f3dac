package dev.fixgate.provider.azure;

import com.azure.resourcemanager.monitor.fluent.models.DiagnosticSettingsResourceInner;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Azure SQL evidence.
 * <ul>
 * <li>{@code sql.master_diagnostic_setting}: whether the server's {@code master} database has a diagnostic setting
 *     that sends {@code SQLSecurityAuditEvents} (or the audit / allLogs group) somewhere — server auditing with
 *     Azure Monitor as target keeps events only then.</li>
 * <li>{@code sql.database_size_gb}: the database's {@code allocated_data_storage} metric (bytes; the newest hourly
 *     maximum of the last day), in GB. A server has no single size: asked about a server, it is unavailable.</li>
 * <li>{@code sql.legacy_tls_connections_7d}: successful logins whose client TLS version is 1.0 or 1.1, from the
 *     server audit in the workspace master's diagnostic setting names ({@code AzureDiagnostics},
 *     {@code SQLSecurityAuditEvents}, fields {@code client_tls_version_name_s} / {@code client_tls_version_d} of the
 *     SQL audit log format). Without such a setting it is unavailable.</li>
 * </ul>
 */
final class SqlCollector extends AzureCollector {

    static final String MASTER_DIAGNOSTIC = "sql.master_diagnostic_setting";
    static final String SIZE = "sql.database_size_gb";
    static final String LEGACY_TLS = "sql.legacy_tls_connections_7d";
    private static final Set<String> AUDIT = Set.of("SQLSecurityAuditEvents");
    private static final Set<String> AUDIT_GROUPS = Set.of("audit", "allLogs");
    private static final double GIB = 1024d * 1024 * 1024;

    SqlCollector(AzureClients clients, ProviderSettings settings) {
        super("azure.sql", Set.of(MASTER_DIAGNOSTIC, SIZE, LEGACY_TLS),
                List.of(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.METRICS, AzureReads.WORKSPACE_QUERY,
                        AzureReads.table("AzureDiagnostics", "SQL audit logins by client TLS version")),
                List.of("microsoft.sql/servers"), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        ArmId server = ctx.id().ancestor("microsoft.sql/servers").orElseThrow();
        var a = ctx.answers();
        if (a.wantsAny(MASTER_DIAGNOSTIC, LEGACY_TLS)) {
            try {
                List<DiagnosticSettingsResourceInner> master = Diagnostics.list(ctx, server.child("databases", "master").id());
                boolean audited = master.stream().anyMatch(s -> hasDestination(s) && Diagnostics.sends(s, AUDIT, AUDIT_GROUPS));
                a.observed(MASTER_DIAGNOSTIC, audited, ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS));
                if (a.wants(LEGACY_TLS)) {
                    legacyTls(ctx, server, Diagnostics.workspace(master, AUDIT, AUDIT_GROUPS));
                }
            } catch (CallFailedException e) {
                ctx.unavailable(e, MASTER_DIAGNOSTIC, LEGACY_TLS);
            }
        }
        if (a.wants(SIZE)) {
            Optional<ArmId> database = ctx.id().ancestor("microsoft.sql/servers/databases");
            if (database.isEmpty()) {
                a.unavailable(SIZE, "a server has no single size: sql.database_size_gb is read for a database",
                        ctx.provenance(AzureReads.METRICS));
                return;
            }
            Instant to = ctx.request().now();
            try {
                Optional<Double> bytes = Metrics.latestMaximum(ctx, database.get().id(), "allocated_data_storage",
                        to.minus(Duration.ofDays(1)), to);
                if (bytes.isEmpty()) {
                    a.unavailable(SIZE, "no allocated_data_storage data point in the last day", ctx.provenance(AzureReads.METRICS));
                } else {
                    a.observed(SIZE, Math.round(bytes.get() / GIB * 100) / 100d, ctx.provenance(AzureReads.METRICS));
                }
            } catch (CallFailedException e) {
                ctx.unavailable(e, SIZE);
            }
        }
    }

    private static boolean hasDestination(DiagnosticSettingsResourceInner s) {
        return notBlank(s.workspaceId()) || notBlank(s.storageAccountId()) || notBlank(s.eventHubAuthorizationRuleId());
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void legacyTls(Ctx ctx, ArmId server, Optional<String> workspace) {
        var a = ctx.answers();
        if (workspace.isEmpty()) {
            a.unavailable(LEGACY_TLS, "the master database sends no SQLSecurityAuditEvents to a Log Analytics workspace,"
                    + " so logins by TLS version cannot be counted", ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS));
            return;
        }
        Instant to = ctx.request().now();
        String query = "AzureDiagnostics | where Category == 'SQLSecurityAuditEvents'"
                + " | where _ResourceId startswith " + Graph.literal(server.id().toLowerCase(Locale.ROOT) + "/")
                + " | where action_name_s =~ 'DATABASE AUTHENTICATION SUCCEEDED'"
                + " | where client_tls_version_name_s in ('1.0', '1.1') or client_tls_version_d in (769, 770)"
                + " | summarize n = count()";
        try {
            long n = LogCounts.count(ctx, workspace.get(), query, to.minus(Duration.ofDays(7)), to);
            a.observed(LEGACY_TLS, n, ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.WORKSPACE_QUERY));
        } catch (CallFailedException e) {
            ctx.unavailable(e, LEGACY_TLS);
        }
    }
}
