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
 * {@code db.non_ssl_connections_30d}, {@code db.legacy_tls_connections_30d} for Azure Database for PostgreSQL
 * (flexible and single server): the server's {@code PostgreSQLLogs} in the Log Analytics workspace its diagnostic
 * setting names ({@code AzureDiagnostics}, {@code Message}), PostgreSQL's {@code log_connections} lines —
 * {@code connection authorized: user=… database=… SSL enabled (protocol=TLSv1.3, cipher=…)}, without the SSL part for a
 * plain connection. No such line in 30 days (no setting, {@code log_connections} off, or no connection) is
 * unavailable: no logs is not no connections. Azure Database for MySQL is unavailable with the reason: its audit
 * log's connection events carry user, host and database but not the TLS state, and no metric separates them.
 */
final class DbConnectionsCollector extends AzureCollector {

    static final String NON_SSL = "db.non_ssl_connections_30d";
    static final String LEGACY_TLS = "db.legacy_tls_connections_30d";
    static final Duration WINDOW = Duration.ofDays(30);
    private static final Set<String> LOGS = Set.of("PostgreSQLLogs");
    private static final Set<String> GROUPS = Set.of("allLogs");
    static final List<String> POSTGRES = List.of("microsoft.dbforpostgresql/flexibleservers", "microsoft.dbforpostgresql/servers");
    static final List<String> MYSQL = List.of("microsoft.dbformysql/flexibleservers", "microsoft.dbformysql/servers");

    DbConnectionsCollector(AzureClients clients, ProviderSettings settings) {
        super("azure.dbconnections", Set.of(NON_SSL, LEGACY_TLS), List.of(AzureReads.DIAGNOSTIC_SETTINGS,
                        AzureReads.WORKSPACE_QUERY, AzureReads.table("AzureDiagnostics", "PostgreSQL connection log lines")),
                java.util.stream.Stream.concat(POSTGRES.stream(), MYSQL.stream()).toList(), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        var a = ctx.answers();
        Optional<ArmId> server = POSTGRES.stream().map(t -> ctx.id().ancestor(t)).flatMap(Optional::stream).findFirst();
        if (server.isEmpty()) {
            a.rest("not collected for Azure Database for MySQL: its audit log's connection events carry user, host and"
                    + " database but not whether or how TLS was used, and no MySQL metric separates them",
                    ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS));
            return;
        }
        String id = server.get().id();
        List<DiagnosticSettingsResourceInner> settings = Diagnostics.list(ctx, id);
        Optional<String> workspace = Diagnostics.workspace(settings, LOGS, GROUPS);
        if (workspace.isEmpty()) {
            a.rest("no diagnostic setting sends the server's PostgreSQLLogs to a Log Analytics workspace: connections"
                    + " cannot be counted", ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS));
            return;
        }
        Instant to = ctx.request().now();
        Instant from = ctx.from(WINDOW);
        String lines = "AzureDiagnostics | where Category == 'PostgreSQLLogs' and _ResourceId =~ "
                + Graph.literal(id.toLowerCase(Locale.ROOT)) + " and Message contains 'connection authorized'";
        var provenance = ctx.provenance(AzureReads.DIAGNOSTIC_SETTINGS, AzureReads.WORKSPACE_QUERY);
        long authorized = LogCounts.count(ctx, workspace.get(), lines + " | summarize n = count()", from, to);
        if (authorized == 0) {
            a.rest("no PostgreSQL 'connection authorized' log line in 30 days (log_connections off, or no connection):"
                    + " connections cannot be counted", provenance);
            return;
        }
        if (a.wants(NON_SSL)) {
            a.observed(NON_SSL, LogCounts.count(ctx, workspace.get(),
                    lines + " and Message !contains 'SSL enabled' | summarize n = count()", from, to), provenance);
        }
        if (a.wants(LEGACY_TLS)) {
            a.observed(LEGACY_TLS, LogCounts.count(ctx, workspace.get(), lines + " and (Message contains 'protocol=TLSv1,'"
                    + " or Message contains 'protocol=TLSv1.1,') | summarize n = count()", from, to), provenance);
        }
    }
}
